"""Background work of the catalogs: writing an accepted catalog file. Calls the service only."""

from __future__ import annotations

from huey.contrib.djhuey import db_task

from gongkai.catalogs import imports


@db_task()
def run_catalog_import(import_id: int) -> None:
    imports.import_run(import_id)
