"""Index updates queued to run after the caller's transaction commits, and the recovery of
tantivy index writes that did not happen."""

from __future__ import annotations

from huey import crontab
from huey.contrib.djhuey import db_periodic_task, db_task

from gongkai.search.api import SearchDocument, index_documents, remove_documents
from gongkai.search.engines import get_engine


@db_task()
def index_documents_task(docs: tuple[SearchDocument, ...]) -> None:
    index_documents(docs)


@db_task()
def remove_documents_task(keys: tuple[str, ...]) -> None:
    remove_documents(keys)


@db_periodic_task(crontab(minute="*/5"))
def recover_index() -> int:
    from gongkai.search import tantivy_engine

    if not isinstance(get_engine(), tantivy_engine.TantivyEngine):
        return 0  # the other engines are written in the database transaction itself
    return tantivy_engine.recover()
