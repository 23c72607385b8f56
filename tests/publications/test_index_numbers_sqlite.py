"""索引号 under concurrent publishing on SQLite, as a laptop install runs it: a database file in
WAL mode and several processes, each with its own connection (RULES.md §5.2). The in-memory test
database cannot show this: its shared cache locks tables instead of the file, so the test copies
it to a file and publishes from separate processes."""

from __future__ import annotations

import os
import sqlite3
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

import pytest
from django.conf import settings
from django.db import connection

from tests.publications.test_index_numbers import _reviewed

# Each worker publishes one item once the start file appears, so that all of them reach
# BEGIN IMMEDIATE at about the same moment.
WORKER = """
import sys, time
from pathlib import Path
import django

django.setup()
from django.contrib.auth import get_user_model
from gongkai.publications import services
from gongkai.publications.models import Publication

folder, pub_id, user_id = Path(sys.argv[1]), int(sys.argv[2]), int(sys.argv[3])
actor = get_user_model().objects.get(pk=user_id)
pub = Publication.objects.get(pk=pub_id)
(folder / f"ready-{pub_id}").touch()
while not (folder / "start").exists():
    time.sleep(0.005)
services.publication_publish(actor=actor, publication=pub)
"""


@pytest.mark.django_db(transaction=True)
@pytest.mark.skipif(connection.vendor != "sqlite", reason="the file locking of SQLite")
def test_processes_publishing_at_once_get_gap_free_unique_numbers(
    district: Any, tmp_path: Path
) -> None:
    n = 4
    pubs = _reviewed(district, n)
    connection.ensure_connection()
    target = sqlite3.connect(tmp_path / "gongkai.sqlite3")
    connection.connection.backup(target)
    target.close()

    env = {
        **os.environ,
        "GONGKAI_DATA_DIR": str(tmp_path),
        "DATABASE_URL": "",
        "GONGKAI_SECRET_KEY": settings.SECRET_KEY,
        "GONGKAI_TASKS_IMMEDIATE": "1",
        "DJANGO_SETTINGS_MODULE": "gongkai.conf.settings",
        "PYTHONPATH": os.pathsep.join(sys.path),
    }
    workers = [
        subprocess.Popen(  # noqa: S603 (fixed arguments)
            [sys.executable, "-c", WORKER, str(tmp_path), str(p.pk), str(district.reviewer_a.pk)],
            env=env,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
        )
        for p in pubs
    ]
    deadline = time.monotonic() + 120
    while len(list(tmp_path.glob("ready-*"))) < n:
        assert all(w.poll() is None for w in workers), [w.communicate() for w in workers]
        assert time.monotonic() < deadline, "workers did not start"
        time.sleep(0.05)
    (tmp_path / "start").touch()
    results = [w.communicate(timeout=120) for w in workers]
    assert [w.returncode for w in workers] == [0] * n, results

    with sqlite3.connect(tmp_path / "gongkai.sqlite3") as db:
        rows = db.execute(
            "SELECT index_seq, index_number FROM publications_publication"
            " WHERE organization_id = ? AND index_number IS NOT NULL",
            (district.dept_a.pk,),
        ).fetchall()
        last = db.execute(
            "SELECT last FROM publications_indexsequence WHERE organization_id = ?",
            (district.dept_a.pk,),
        ).fetchone()[0]
    assert sorted(seq for seq, _ in rows) == list(range(1, n + 1))
    assert len({number for _, number in rows}) == n
    assert last == n
