"""主动公开 (条例第三章): publications, their catalog metadata, attachments and interpretations."""
