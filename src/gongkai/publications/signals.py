"""`publication_changed` is sent after the commit of every service that changes what a
publication shows (metadata, body, status, validity, attachment text), with its id, for caches
and other readers; nothing that changes business data may connect to it. Search does not use
it: portal.search_source follows `post_save` of Publication, so a service that changes what a
published item shows saves the item (attachment reprocessing does, when the texts change).

`saving_in_bulk()` is for services that save many publications in one transaction (the
catalog import): inside it, `post_save` listeners that follow publications collect the ids in
`bulk_saved_ids()` instead of acting per row, and `publications_saved` is sent once with all
of them at the end of the block, still inside its transaction (the block is atomic).
Listeners re-read the rows then, so a row whose savepoint was rolled back meanwhile is seen as
it is in the database.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar

from django.db import transaction
from django.dispatch import Signal

publication_changed = Signal()  # kwargs: publication_id
publications_saved = Signal()  # kwargs: ids (sorted), saved inside saving_in_bulk()

_bulk: ContextVar[set[int] | None] = ContextVar("publications_saving_in_bulk", default=None)


def bulk_saved_ids() -> set[int] | None:
    """Inside `saving_in_bulk`, the ids saved so far (listeners add to it); else None."""
    return _bulk.get()


@contextmanager
def saving_in_bulk() -> Iterator[None]:
    if _bulk.get() is not None:  # nested: the outer block sends them
        yield
        return
    ids: set[int] = set()
    # Its own atomic block: when the block fails, what it saved is rolled back with the ids,
    # never committed unindexed (e.g. by a caller catching the error in autocommit).
    with transaction.atomic():
        token = _bulk.set(ids)
        try:
            yield
        finally:
            _bulk.reset(token)
        if ids:
            from gongkai.publications.models import Publication

            publications_saved.send(sender=Publication, ids=sorted(ids))
