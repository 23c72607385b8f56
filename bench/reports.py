"""Annual-report build over a synthetic province (issue: 年度报告, performance).

2,000 organisations in 3 levels and 200,000 applications over three years. Measures, in one
run: one plain GROUP BY over all applications (the yardstick), then building every
organisation's own report and every consolidated (subtree) report. Prints absolute times and
the ratio; target: the whole build within 3× the GROUP BY.

Publications (table 二) and appeals (table 四) are not modelled yet and are not part of the run.
Set BENCH_DATABASE_URL=postgres://… to run on PostgreSQL; default is a fresh SQLite file.
Sizes: BENCH_ORGS, BENCH_APPLICATIONS.
"""

from __future__ import annotations

import os
import random
import sys
import tempfile
import time
from collections import defaultdict
from datetime import date, timedelta

os.environ.setdefault("GONGKAI_DATA_DIR", tempfile.mkdtemp(prefix="gongkai-bench-"))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "gongkai.conf.settings")
if os.environ.get("BENCH_DATABASE_URL"):
    os.environ["DATABASE_URL"] = os.environ["BENCH_DATABASE_URL"]
sys.path.insert(0, os.path.join(os.path.dirname(__file__), "..", "src"))

import django

django.setup()

from django.core.management import call_command
from django.db import connection
from django.db.models import Count

from gongkai.core.ids import make_credit_code
from gongkai.inforequests.constants import ApplicantType, Outcome, Status
from gongkai.inforequests.models import InfoRequest
from gongkai.orgs.constants import OrgType
from gongkai.orgs.models import Organization
from gongkai.reports.builder import build_all, consolidate

ORGS = int(os.environ.get("BENCH_ORGS", "2000"))
APPLICATIONS = int(os.environ.get("BENCH_APPLICATIONS", "200000"))
YEAR = 2024


def make_province(rng: random.Random) -> list[Organization]:
    seq = iter(range(1, 10**6))

    def org(name: str, parent: Organization | None, kind: str) -> Organization:
        n = next(seq)
        node = Organization(
            name=name, org_type=kind, credit_code=make_credit_code("339900", f"BM{n:06d}")
        )
        manager = Organization.objects
        return manager.add_child(parent, instance=node) if parent else manager.add_root(instance=node)

    province = org("某省人民政府", None, OrgType.GOVERNMENT)
    cities = [org(f"某省第{i}市人民政府", province, OrgType.GOVERNMENT) for i in range(1, 21)]
    made = [province, *cities]
    per_city = (ORGS - len(made)) // len(cities)
    for c, city in enumerate(cities):
        for j in range(per_city):
            made.append(org(f"第{c + 1}市第{j + 1}部门", city, OrgType.DEPARTMENT))
    return made


def make_applications(orgs: list[Organization], rng: random.Random) -> None:
    applicants, outcomes = list(ApplicantType), list(Outcome)
    batch: list[InfoRequest] = []
    for i in range(APPLICATIONS):
        received = date(2023, 1, 1) + timedelta(days=rng.randrange(3 * 365))
        closed = received + timedelta(days=rng.randrange(60)) if rng.random() < 0.9 else None
        batch.append(
            InfoRequest(
                organization=rng.choice(orgs), number=f"B{i}", tracking_code="BENCHXYZ",
                channel="online", received_on=received, applicant_type=rng.choice(applicants),
                applicant_name="某", id_document="resident_id", id_number="x", phone="x",
                subject="x", provision_form="electronic", delivery_way="email",
                status=Status.CLOSED if closed else Status.IN_PROGRESS,
                outcome=rng.choice(outcomes) if closed else "", closed_on=closed,
            )
        )
        if len(batch) == 5000:
            InfoRequest.objects.bulk_create(batch)
            batch = []
    InfoRequest.objects.bulk_create(batch)


def timed(fn):  # type: ignore[no-untyped-def]
    start = time.perf_counter()
    result = fn()
    return result, time.perf_counter() - start


def main() -> None:
    call_command("migrate", verbosity=0)
    rng = random.Random(2026)
    (orgs, t_orgs) = timed(lambda: make_province(rng))
    (_, t_apps) = timed(lambda: make_applications(orgs, rng))
    print(f"database: {connection.vendor}; {len(orgs)} organisations ({t_orgs:.1f} s), "
          f"{InfoRequest.objects.count()} applications ({t_apps:.1f} s)")

    def group_by() -> int:
        rows = InfoRequest.objects.values("organization_id", "applicant_type", "outcome").annotate(
            n=Count("id")
        ).order_by()
        return len(list(rows))

    group_by()  # warm the cache for both measurements alike
    _, t_group = timed(group_by)

    def build() -> int:
        own = build_all(YEAR, {o.pk: o.name for o in orgs})
        # Each organisation counts in its own report and in every ancestor's consolidated one;
        # ancestors' paths are prefixes of the materialised path, one per level.
        by_path = {o.path: o.pk for o in orgs}
        below: dict[int, list[int]] = defaultdict(list)
        for o in orgs:
            for depth in range(1, o.depth + 1):
                below[by_path[o.path[: depth * Organization.steplen]]].append(o.pk)
        parents = [o for o in orgs if len(below[o.pk]) > 1]
        for parent in parents:
            consolidate((own[pk] for pk in below[parent.pk]), YEAR, parent.name)
        return len(own) + len(parents)

    built, t_build = timed(build)
    print(f"single GROUP BY over all applications: {t_group * 1000:8.1f} ms")
    print(f"build {built} reports (own + consolidated): {t_build * 1000:8.1f} ms")
    print(f"ratio build / GROUP BY: {t_build / t_group:.2f} (target ≤ 3)")


if __name__ == "__main__":
    main()
