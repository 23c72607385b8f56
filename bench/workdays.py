"""How fast are legal-clock computations? Every inbox row shows a due date, so a page of 50
applications and a daily reminder run over 200,000 open applications both lean on this.

Prints: calendar load time, pure add_workdays/workdays_between throughput, and the cost of
the DB-backed call (which loads the years it needs each time).
Run with `make bench` (never part of `make test`)."""

from __future__ import annotations

import os
import random
import sys
import tempfile
import time
from datetime import date, timedelta

os.environ.setdefault("GONGKAI_DATA_DIR", tempfile.mkdtemp(prefix="gongkai-bench-"))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "gongkai.conf.settings")
sys.path.insert(0, os.path.join(os.path.dirname(__file__), "..", "src"))

import django

django.setup()

from django.core.management import call_command

from gongkai.core.workdays import add_workdays, load_calendar, workdays_between


def timed(label: str, fn, count: int) -> None:  # type: ignore[no-untyped-def]
    start = time.perf_counter()
    fn()
    elapsed = time.perf_counter() - start
    print(f"{label:<48} {count:>8} calls  {elapsed * 1000:9.1f} ms  {count / elapsed:12,.0f}/s")


def main() -> None:
    call_command("migrate", verbosity=0)
    rng = random.Random(2026)
    starts = [date(2005, 1, 1) + timedelta(days=rng.randrange(365 * 21)) for _ in range(100_000)]
    lengths = [rng.choice([7, 15, 20, 40]) for _ in starts]

    t0 = time.perf_counter()
    calendar = load_calendar(range(2004, 2028))
    print(f"load_calendar 2004–2027: {(time.perf_counter() - t0) * 1000:.1f} ms")

    timed(
        "add_workdays (pure, preloaded calendar)",
        lambda: [add_workdays(s, n, calendar) for s, n in zip(starts, lengths, strict=True)],
        len(starts),
    )
    ends = [s + timedelta(days=40) for s in starts]
    timed(
        "workdays_between (pure, preloaded calendar)",
        lambda: [workdays_between(s, e, calendar) for s, e in zip(starts, ends, strict=True)],
        len(starts),
    )
    few = starts[:2_000]
    timed(
        "add_workdays (loads calendar from DB per call)",
        lambda: [add_workdays(s, 20) for s in few],
        len(few),
    )


if __name__ == "__main__":
    main()
