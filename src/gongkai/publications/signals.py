"""`publication_changed` is sent after the commit of every service that changes what a
publication shows (metadata, body, status, validity, attachment text), with its id. Search
indexing and caches connect to it; nothing that changes business data may."""

from django.dispatch import Signal

publication_changed = Signal()  # kwargs: publication_id
