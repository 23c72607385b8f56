"""Index updates queued to run after the caller's transaction commits."""

from __future__ import annotations

from huey.contrib.djhuey import db_task

from gongkai.search.api import SearchDocument, index_documents, remove_documents


@db_task()
def index_documents_task(docs: tuple[SearchDocument, ...]) -> None:
    index_documents(docs)


@db_task()
def remove_documents_task(keys: tuple[str, ...]) -> None:
    remove_documents(keys)
