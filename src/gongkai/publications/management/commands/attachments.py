"""gongkai attachments reprocess [--organization N] — extract the text and write the public copy
of stored attachments again.

Run after an upgrade that changes what a public copy leaves out (names of commenters and
revisers, EXIF of embedded photos): copies written earlier keep what the older code left.
"""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from gongkai.core.text import quote_title
from gongkai.publications.constants import ExtractionStatus
from gongkai.publications.models import Attachment
from gongkai.publications.services import attachment_process


class Command(BaseCommand):
    help = "附件：重新提取文字并重新生成对外公开的副本。"

    def add_arguments(self, parser: CommandParser) -> None:
        sub = parser.add_subparsers(dest="action", required=True)
        reprocess = sub.add_parser("reprocess", help="重新处理已上传的附件")
        reprocess.add_argument("--organization", type=int, help="只处理该机关（编号）的附件")

    def handle(self, *args: Any, **options: Any) -> None:
        attachments = Attachment.objects.order_by("pk")
        if options["organization"] is not None:
            attachments = attachments.filter(publication__organization_id=options["organization"])
        ids = list(attachments.values_list("pk", flat=True))
        if not ids:
            raise CommandError("没有需要处理的附件。")
        for pk in ids:
            attachment_process(pk)  # records a failure on the attachment, never raises for it
        failed = Attachment.objects.filter(pk__in=ids, extraction_status=ExtractionStatus.FAILED)
        self.stdout.write(f"已处理 {len(ids)} 个附件，其中 {failed.count()} 个失败。")
        for attachment in failed.select_related("publication"):
            self.stdout.write(
                f"- {quote_title(attachment.publication.title)}附件{quote_title(attachment.title)}："
                f"{attachment.extraction_error}"
            )
