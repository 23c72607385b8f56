"""Annual-report build over a synthetic province (issue: 年度报告, performance).

2,000 organisations in 3 levels, 200,000 applications over three years, 2,000,000
publications over seven (most not normative; some 规章 and 行政规范性文件 amended, repealed or
expired on the way) and 5,000 appeals (行政复议 and 行政诉讼). Measures, in one run:

- the yardstick: one plain GROUP BY over all applications (organisation, applicant type,
  outcome) plus one over all publications (organisation, kind, normative kind, status), each
  counting rows; the yardstick is the sum of the two times;
- the build: every organisation's own report (tables 二's counted rows, 三 and 四) and every
  consolidated (subtree) report.

Prints load times, absolute times and the ratio; target: the build within 3× the yardstick.
Set BENCH_DATABASE_URL=postgres://… (an empty database) to run on PostgreSQL; default is a
fresh SQLite file, written without fsync (bench data only). Sizes: BENCH_ORGS,
BENCH_APPLICATIONS, BENCH_PUBLICATIONS, BENCH_APPEALS.
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
from django.db import connection, transaction
from django.db.models import Count
from django.utils import timezone

from gongkai.appeals.constants import AppealResult, LitigationRoute
from gongkai.appeals.models import Litigation, Reconsideration
from gongkai.core.ids import make_credit_code
from gongkai.inforequests.constants import ApplicantType, Outcome, Status
from gongkai.inforequests.models import InfoRequest
from gongkai.orgs.constants import OrgType
from gongkai.orgs.models import Organization
from gongkai.publications.constants import Kind, NormativeKind, Validity
from gongkai.publications.constants import Status as PublicationStatus
from gongkai.publications.models import Publication
from gongkai.reports.builder import build_all, consolidate

ORGS = int(os.environ.get("BENCH_ORGS", "2000"))
APPLICATIONS = int(os.environ.get("BENCH_APPLICATIONS", "200000"))
PUBLICATIONS = int(os.environ.get("BENCH_PUBLICATIONS", "2000000"))
APPEALS = int(os.environ.get("BENCH_APPEALS", "5000"))
YEAR = 2024


def make_province(rng: random.Random) -> list[Organization]:
    seq = iter(range(1, 10**6))

    def org(name: str, parent: Organization | None, kind: str) -> Organization:
        n = next(seq)
        node = Organization(
            name=name, org_type=kind, credit_code=make_credit_code("339900", f"BM{n:06d}")
        )
        manager = Organization.objects
        return (
            manager.add_child(parent, instance=node) if parent else manager.add_root(instance=node)
        )

    province = org("某省人民政府", None, OrgType.GOVERNMENT)
    cities = [org(f"某省第{i}市人民政府", province, OrgType.GOVERNMENT) for i in range(1, 21)]
    made = [province, *cities]
    per_city, extra = divmod(ORGS - len(made), len(cities))
    for c, city in enumerate(cities):
        for j in range(per_city + (c < extra)):
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
                organization=rng.choice(orgs),
                number=f"B{i}",
                tracking_code="BENCHXYZ",
                channel="online",
                received_on=received,
                applicant_type=rng.choice(applicants),
                applicant_name="某",
                id_document="resident_id",
                id_number="x",
                phone="x",
                subject="x",
                provision_form="electronic",
                delivery_way="email",
                status=Status.CLOSED if closed else Status.IN_PROGRESS,
                outcome=rng.choice(outcomes) if closed else "",
                closed_on=closed,
            )
        )
        if len(batch) == 5000:
            InfoRequest.objects.bulk_create(batch)
            batch = []
    InfoRequest.objects.bulk_create(batch)


def _publication_rows(orgs: list[Organization], rng: random.Random):  # type: ignore[no-untyped-def]
    """Column names and a generator of rows, as the database stores them: a template item
    converted once by the model's fields, then the varying columns set per row."""
    fields = [f for f in Publication._meta.concrete_fields if not f.primary_key]
    now = timezone.now()
    template = Publication(
        organization_id=orgs[0].pk, title="某某工作通知", created_at=now, updated_at=now
    )
    base = [f.get_db_prep_save(getattr(template, f.attname), connection) for f in fields]
    col = {f.attname: i for i, f in enumerate(fields)}
    day0, days = date(2019, 1, 1), 7 * 365

    def rows():  # type: ignore[no-untyped-def]
        for i in range(PUBLICATIONS):
            row = list(base)
            published = day0 + timedelta(days=rng.randrange(days))
            row[col["organization_id"]] = rng.choice(orgs).pk
            row[col["published_on"]] = published
            row[col["written_on"]] = published - timedelta(days=rng.randrange(20))
            row[col["index_number"]] = f"B{i}"
            r = rng.random()
            status = (
                PublicationStatus.PUBLISHED
                if r < 0.95
                else PublicationStatus.DRAFT
                if r < 0.98
                else PublicationStatus.WITHDRAWN
            )
            row[col["status"]] = status.value
            if status == PublicationStatus.WITHDRAWN:
                row[col["withdrawal_reason"]] = "内容有误"
            if rng.random() < 0.1:
                row[col["kind"]] = Kind.INTERPRETATION.value
            else:
                r = rng.random()
                if r < 0.10:  # 8 % 行政规范性文件, 2 % 规章
                    row[col["normative_kind"]] = (
                        NormativeKind.NORMATIVE if r < 0.08 else NormativeKind.RULE
                    ).value
                    row[col["effective_on"]] = published + timedelta(days=rng.randrange(31))
                    r = rng.random()
                    if r < 0.12:
                        row[col["validity"]] = Validity.REPEALED.value
                        row[col["ceased_on"]] = published + timedelta(days=rng.randrange(60, 1500))
                    elif r < 0.22:
                        row[col["validity"]] = Validity.AMENDED.value
                        row[col["ceased_on"]] = published + timedelta(days=rng.randrange(60, 1500))
                    elif r < 0.40:
                        row[col["expires_on"]] = published + timedelta(
                            days=rng.randrange(365, 1825)
                        )
            yield row

    return [f.column for f in fields], rows()


def make_publications(orgs: list[Organization], rng: random.Random) -> None:
    """Raw bulk load (COPY on PostgreSQL, executemany on SQLite): the ORM's per-object
    overhead would dominate at this size."""
    columns, rows = _publication_rows(orgs, rng)
    table = connection.ops.quote_name(Publication._meta.db_table)
    names = ", ".join(connection.ops.quote_name(c) for c in columns)
    with transaction.atomic(), connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            with cursor.cursor.copy(f"COPY {table} ({names}) FROM STDIN") as copy:
                for row in rows:
                    copy.write_row(row)
        else:
            marks = ", ".join("?" * len(columns))
            raw = cursor.cursor
            sql = f"INSERT INTO {table} ({names}) VALUES ({marks})"
            chunk: list[list[object]] = []
            for row in rows:
                chunk.append(row)
                if len(chunk) == 20000:
                    raw.executemany(sql, chunk)
                    chunk = []
            raw.executemany(sql, chunk)


def make_appeals(orgs: list[Organization], rng: random.Random) -> None:
    """About 60 % 行政复议 and 40 % 行政诉讼, filed over three years, most decided."""
    results = [r for r in AppealResult if r != AppealResult.PENDING]
    reconsiderations: list[Reconsideration] = []
    litigations: list[Litigation] = []
    for i in range(APPEALS):
        filed = date(2023, 1, 1) + timedelta(days=rng.randrange(3 * 365))
        decided = filed + timedelta(days=rng.randrange(30, 200)) if rng.random() < 0.8 else None
        common = {
            "organization": rng.choice(orgs),
            "applicant_name": "某",
            "case_number": f"A{i}",
            "filed_on": filed,
            "decided_on": decided,
            "result": rng.choice(results) if decided else AppealResult.PENDING,
        }
        if rng.random() < 0.6:
            reconsiderations.append(Reconsideration(body="某省人民政府", **common))
        else:
            route = rng.choice([LitigationRoute.DIRECT, LitigationRoute.AFTER_RECONSIDERATION])
            litigations.append(Litigation(court="某中级人民法院", route=route, **common))
    Reconsideration.objects.bulk_create(reconsiderations, batch_size=1000)
    Litigation.objects.bulk_create(litigations, batch_size=1000)


def timed(fn):  # type: ignore[no-untyped-def]
    start = time.perf_counter()
    result = fn()
    return result, time.perf_counter() - start


def main() -> None:
    call_command("migrate", verbosity=0)
    if connection.vendor == "sqlite":
        with connection.cursor() as cursor:  # bench data only: no durability needed
            cursor.execute("PRAGMA synchronous = OFF")
            cursor.execute("PRAGMA journal_mode = MEMORY")
    rng = random.Random(2026)
    (orgs, t_orgs) = timed(lambda: make_province(rng))
    (_, t_apps) = timed(lambda: make_applications(orgs, rng))
    (_, t_pubs) = timed(lambda: make_publications(orgs, rng))
    (_, t_appeals) = timed(lambda: make_appeals(orgs, rng))

    def analyze() -> None:  # fresh statistics, as autovacuum or a nightly ANALYZE leaves them
        with connection.cursor() as cursor:
            cursor.execute("VACUUM ANALYZE" if connection.vendor == "postgresql" else "ANALYZE")

    (_, t_analyze) = timed(analyze)
    appeals = Reconsideration.objects.count() + Litigation.objects.count()
    print(
        f"database: {connection.vendor}; load: {len(orgs)} organisations ({t_orgs:.1f} s), "
        f"{InfoRequest.objects.count()} applications ({t_apps:.1f} s), "
        f"{Publication.objects.count()} publications ({t_pubs:.1f} s), "
        f"{appeals} appeals ({t_appeals:.1f} s), analyze ({t_analyze:.1f} s)"
    )

    def group_by_applications() -> int:
        rows = (
            InfoRequest.objects.values("organization_id", "applicant_type", "outcome")
            .annotate(n=Count("id"))
            .order_by()
        )
        return len(list(rows))

    def group_by_publications() -> int:
        rows = (
            Publication.objects.values("organization_id", "kind", "normative_kind", "status")
            .annotate(n=Count("id"))
            .order_by()
        )
        return len(list(rows))

    group_by_applications()  # warm the cache for both measurements alike
    group_by_publications()
    _, t_group_apps = timed(group_by_applications)
    _, t_group_pubs = timed(group_by_publications)
    t_group = t_group_apps + t_group_pubs

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
    print(f"GROUP BY over all applications: {t_group_apps * 1000:8.1f} ms")
    print(f"GROUP BY over all publications: {t_group_pubs * 1000:8.1f} ms")
    print(f"yardstick (sum of the two):     {t_group * 1000:8.1f} ms")
    print(f"build {built} reports (own + consolidated): {t_build * 1000:8.1f} ms")
    print(f"ratio build / yardstick: {t_build / t_group:.2f} (target ≤ 3)")


if __name__ == "__main__":
    main()
