"""Publications in the full-text index: what a published item looks like to search, the source
`gongkai search reindex` reads, and the hook that keeps the index in step with the catalog.

The hook listens to `post_save` of Publication: every workflow service saves the item whose
showing it changes (publish, scheduled publish, withdraw, the 已修改/已废止 flag set on an
older version when its successor is published, validity changes; attachment text is extracted
while the item is a draft, and reprocessing an attachment of a published item saves the item
when its texts change). The update itself runs in the task
queue once the transaction has committed. A service saving many items at once wraps them in
`publications.signals.saving_in_bulk()`; they are then read and queued together at its end.
(`publications.signals.publication_changed` is sent after those commits too; nothing listens
to it yet.)
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from typing import Any

from django.db.models import Prefetch
from django.urls import reverse

from gongkai.publications.constants import Status
from gongkai.publications.models import Attachment, AttachmentText, Publication
from gongkai.publications.rules import plain_text
from gongkai.publications.signals import bulk_saved_ids, publications_saved
from gongkai.search import api as search_api
from gongkai.search.models import SearchEntry

KIND = "publication"


def key_for(pk: int) -> str:
    return f"{KIND}:{pk}"


def publication_url(pk: int) -> str:
    return reverse("portal:publication", kwargs={"pk": pk})


def _with_texts(qs: Any) -> Any:
    return qs.select_related("organization").prefetch_related(
        Prefetch(
            "attachments",
            queryset=Attachment.objects.order_by("position", "id").prefetch_related(
                Prefetch("texts", queryset=AttachmentText.objects.order_by("page"))
            ),
        )
    )


def to_search_document(pub: Publication) -> search_api.SearchDocument:
    """The searchable form of a published item: title, 文号, summary + body text, and one
    chunk per attachment page labelled so a hit in an attachment says where it is."""
    chunks = []
    for number, attachment in enumerate(pub.attachments.all(), start=1):
        for text in attachment.texts.all():
            label = f"附件{number} {attachment.title} 第{text.page}页"
            chunks.append(search_api.Chunk(text=text.text, label=label))
    body = "\n".join(part for part in (pub.summary, plain_text(pub.body), pub.keywords) if part)
    return search_api.SearchDocument(
        key=key_for(pub.pk),
        title=pub.title,
        body=body,
        url=publication_url(pub.pk),
        document_number=pub.document_number,
        organization_id=pub.organization_id,
        organization_name=pub.organization.name,
        year=pub.published_on.year if pub.published_on else None,
        published_on=pub.published_on,
        topic=pub.topic,
        category=pub.statutory_category,
        validity=pub.validity if pub.is_normative else "",
        chunks=tuple(chunks),
    )


def iter_all() -> Iterator[search_api.SearchDocument]:
    """Every published item, oldest first (index order serves broad queries newest first)."""
    qs = _with_texts(Publication.objects.published().order_by("published_at", "pk"))
    for pub in qs.iterator(chunk_size=200):
        yield to_search_document(pub)


def sync(publications: Iterable[Publication]) -> None:
    """Queue the index update for these items once the current transaction commits:
    published ones are (re)indexed, anything else is removed if it was indexed."""
    sync_ids([p.pk for p in publications])


def sync_ids(pks: list[int]) -> None:
    # Indexed oldest first, as iter_all does: ranking ties and broad queries are served in
    # reverse index order, so the newest published goes last (the model orders newest first).
    fresh = list(_with_texts(Publication.objects.filter(pk__in=pks).order_by("published_at", "pk")))
    shown = [p for p in fresh if p.status == Status.PUBLISHED]
    gone = {key_for(p.pk) for p in fresh if p.status != Status.PUBLISHED}
    gone &= set(SearchEntry.objects.filter(key__in=gone).values_list("key", flat=True))
    if shown:
        search_api.index_on_commit([to_search_document(p) for p in shown])
    if gone:
        search_api.remove_on_commit(sorted(gone))


def on_publication_saved(sender: Any, instance: Publication, raw: bool = False, **_: Any) -> None:
    if raw:  # loaddata
        return
    # Drafts never reach the index; skip them without a query unless they were indexed.
    if instance.status in (Status.DRAFT, Status.IN_REVIEW) and instance.published_at is None:
        return
    if (collected := bulk_saved_ids()) is not None:
        collected.add(instance.pk)  # synced once, by on_publications_saved
        return
    sync([instance])


def on_publications_saved(sender: Any, ids: list[int], **_: Any) -> None:
    sync_ids(ids)


def connect() -> None:
    from django.db.models.signals import post_save

    search_api.register_source(KIND, iter_all)
    post_save.connect(on_publication_saved, sender=Publication, dispatch_uid="portal.search_source")
    publications_saved.connect(on_publications_saved, dispatch_uid="portal.search_source")
