"""The stored annual report: created with a narrative draft, saved with the validator run on
every save and a version per change, published only without error findings (条例第四十九、
五十条); who may edit and publish; every write audited."""

from __future__ import annotations

import re
from datetime import date
from typing import Any

import pytest
import time_machine
from django.core.exceptions import PermissionDenied, ValidationError

from gongkai.audit.models import AuditEvent
from gongkai.inforequests import services as requests
from gongkai.inforequests.constants import Outcome
from gongkai.orgs.models import Organization
from gongkai.reports import sources
from gongkai.reports.models import Report, ReportVersion
from gongkai.reports.selectors import part_ids, statutory_report
from gongkai.reports.services import (
    ReportNotPublishable,
    report_create,
    report_publish,
    report_save,
)
from tests.conftest import APPLICANT, District, make_user
from tests.inforequests.letters_support import close_with_reply

YEAR = 2024


@pytest.fixture(autouse=True)
def _today() -> Any:
    with time_machine.travel(date(2025, 2, 10), tick=False):
        yield


def _submit(
    org: Organization, received: date, close_on: date | None = None, closer: Any = None
) -> Any:
    request, _ = requests.request_submit(
        organization=org, data=APPLICANT, channel="online", received_on=received
    )
    if close_on is not None:
        close_with_reply(
            actor=closer,
            request=request,
            outcome=Outcome.DISCLOSED,
            legal_basis="《政府信息公开条例》第三十六条第（二）项",
            reasons="予以公开",
            on=close_on,
        )
    return request


@pytest.fixture
def applications(district: District) -> None:
    """Department A: 3 in 2024 (one answered), 1 in 2023; department B: 2 in 2024."""
    _submit(district.dept_a, date(2023, 5, 4), date(2023, 5, 20), district.officer_a)
    _submit(district.dept_a, date(YEAR, 3, 1), date(YEAR, 3, 15), district.officer_a)
    _submit(district.dept_a, date(YEAR, 6, 3))
    _submit(district.dept_a, date(YEAR, 12, 2))
    _submit(district.dept_b, date(YEAR, 4, 1))
    _submit(district.dept_b, date(YEAR, 4, 2))


def _fix_problems(sections: dict[str, str]) -> dict[str, str]:
    """The draft with every 【请补充…】 placeholder written out, as an officer would."""
    done = {
        key: re.sub(r"【请补充[^】]*】", "本年度按照条例要求做好相关工作。", text)
        for key, text in sections.items()
    }
    done["problems"] = (
        "存在的主要问题是答复文书格式不够统一，下一步将制定统一的答复文书模板并开展培训。"
    )
    done["other"] = "本年度未收取信息处理费。"
    return done


# --- creating -----------------------------------------------------------------------------


@pytest.mark.usefixtures("applications")
def test_new_report_starts_with_a_draft_that_states_the_figures(district: District) -> None:
    report = report_create(actor=district.officer_a, organization=district.dept_a, year=YEAR)
    assert "全年共受理政府信息公开申请3件，比上年增加2件" in report.sections["requests"]
    assert "本年度办结申请1件，其中予以公开1件，占比100%" in report.sections["requests"]
    assert "结转下年度继续办理2件" in report.sections["requests"]
    (version,) = report.versions.all()
    assert version.number == 1 and version.created_by == district.officer_a
    assert version.content["table3"]["rows"]["received"][-1] == 3
    event = AuditEvent.objects.get(verb="report.created")
    assert event.actor_id == district.officer_a.pk
    assert event.organization_id == district.dept_a.pk


@pytest.mark.usefixtures("applications")
def test_government_report_consolidates_what_the_supervisor_may_view(district: District) -> None:
    report = report_create(actor=district.supervisor, organization=district.gov, year=YEAR)
    assert set(part_ids(report)) == {
        district.gov.pk,
        district.dept_a.pk,
        district.dept_b.pk,
        district.street.pk,
    }
    assert statutory_report(report).cell("received", "total") == 5
    assert "全年共受理政府信息公开申请5件" in report.sections["requests"]


def test_consolidation_is_limited_to_the_organisations_below(district: District) -> None:
    with pytest.raises(ValidationError):
        report_create(
            actor=district.supervisor,
            organization=district.dept_a,
            year=YEAR,
            includes=[district.dept_b],
        )


@pytest.mark.parametrize("who", ["officer_b", "reviewer_a", "auditor", "sysadmin"])
def test_only_staff_of_the_organisation_may_start_its_report(district: District, who: str) -> None:
    with pytest.raises(PermissionDenied):
        report_create(actor=getattr(district, who), organization=district.dept_a, year=YEAR)
    assert not Report.objects.exists()
    assert not AuditEvent.objects.filter(verb__startswith="report.").exists()


def test_one_report_per_organisation_and_year(district: District) -> None:
    report_create(actor=district.officer_a, organization=district.dept_a, year=YEAR)
    with pytest.raises(ValidationError):
        report_create(actor=district.admin_a, organization=district.dept_a, year=YEAR)
    with pytest.raises(ValidationError):
        report_create(actor=district.officer_a, organization=district.dept_a, year=2026)


# --- saving -------------------------------------------------------------------------------


@pytest.mark.usefixtures("applications")
def test_save_runs_the_validator_and_keeps_a_version(district: District) -> None:
    report = report_create(actor=district.officer_a, organization=district.dept_a, year=YEAR)
    wrong = {**report.sections, "requests": "2024年，全年共受理政府信息公开申请7件。"}
    version, findings = report_save(
        actor=district.officer_a,
        report=report,
        sections=wrong,
        table2={"licensing": {"decisions": "120"}, "fees": {"amount": "1.5"}},
        table2_sources={"licensing": "区政务服务网统计"},
    )
    assert version is not None and version.number == 2
    mismatch = [f for f in findings if f.code == "narrative.mismatch"]
    assert mismatch and "7" in mismatch[0].message
    assert any(f["code"] == "narrative.mismatch" for f in version.findings)
    assert version.table2_sources == {"licensing": "区政务服务网统计"}
    assert set(version.changed) == {
        "section.requests",
        "table2.licensing.decisions",
        "table2.fees.amount",
        "source.licensing",
    }
    built = statutory_report(Report.objects.get(pk=report.pk))
    assert built.table2["licensing"]["decisions"] == 120
    event = AuditEvent.objects.get(verb="report.saved")
    assert event.actor_id == district.officer_a.pk
    assert event.after["table2.licensing.decisions"] == "120"
    assert event.before["table2.licensing.decisions"] is None
    assert event.after["errors"] >= 1


def test_saving_nothing_new_adds_no_version(district: District) -> None:
    report = report_create(actor=district.officer_a, organization=district.dept_a, year=YEAR)
    version, findings = report_save(
        actor=district.officer_a,
        report=report,
        sections=dict(report.sections),
        table2={},
        table2_sources={},
    )
    assert version is None
    # The validator still runs: the draft's placeholders must be written before publishing.
    assert {f.location for f in findings if f.code == "section.placeholder"} >= {
        "section.overview",
        "section.problems",
    }
    assert report.versions.count() == 1
    assert not AuditEvent.objects.filter(verb="report.saved").exists()


def test_negative_table2_figures_are_refused(district: District) -> None:
    report = report_create(actor=district.officer_a, organization=district.dept_a, year=YEAR)
    with pytest.raises(ValidationError):
        report_save(
            actor=district.officer_a,
            report=report,
            sections={},
            table2={"penalty": {"decisions": "-1"}},
            table2_sources={},
        )


def test_table2_rules_come_from_publications_once_counted(
    district: District, monkeypatch: Any
) -> None:
    """The seam for the publications records: their counts win over hand entry."""
    report = report_create(actor=district.officer_a, organization=district.dept_a, year=YEAR)
    report_save(
        actor=district.officer_a,
        report=report,
        sections={},
        table2={"normative_documents": {"issued": "2"}},
        table2_sources={},
    )
    report.refresh_from_db()
    assert statutory_report(report).table2["normative_documents"]["issued"] == 2
    monkeypatch.setattr(
        sources,
        "table2_publication_counts",
        lambda ids, year: {"normative_documents": {"issued": 5}},
    )
    from gongkai.reports import selectors

    monkeypatch.setattr(selectors, "table2_publication_counts", sources.table2_publication_counts)
    assert statutory_report(report).table2["normative_documents"]["issued"] == 5


def test_another_organisations_officer_cannot_save(district: District) -> None:
    report = report_create(actor=district.officer_a, organization=district.dept_a, year=YEAR)
    with pytest.raises(PermissionDenied):
        report_save(
            actor=district.officer_b, report=report, sections={}, table2={}, table2_sources={}
        )


# --- publishing ---------------------------------------------------------------------------


@pytest.mark.usefixtures("applications")
def test_publishing_is_refused_while_there_are_errors(district: District) -> None:
    report = report_create(actor=district.officer_a, organization=district.dept_a, year=YEAR)
    report_save(
        actor=district.officer_a,
        report=report,
        sections={
            **_fix_problems(report.sections),
            "requests": "2024年，全年共受理政府信息公开申请7件。",
        },
        table2={},
        table2_sources={},
    )
    with pytest.raises(ReportNotPublishable) as refused:
        report_publish(actor=district.admin_a, report=report)
    assert {f.code for f in refused.value.findings} == {"narrative.mismatch"}
    assert not ReportVersion.objects.published().exists()
    assert not AuditEvent.objects.filter(verb="report.published").exists()


@pytest.mark.parametrize("who", ["officer_a", "reviewer_a", "officer_b"])
def test_officers_and_reviewers_cannot_publish(district: District, who: str) -> None:
    report = report_create(actor=district.officer_a, organization=district.dept_a, year=YEAR)
    with pytest.raises(PermissionDenied):
        report_publish(actor=getattr(district, who), report=report)


@pytest.mark.usefixtures("applications")
def test_published_version_is_frozen_and_republishing_adds_one(district: District) -> None:
    report = report_create(actor=district.officer_a, organization=district.dept_a, year=YEAR)
    report_save(
        actor=district.officer_a,
        report=report,
        sections=_fix_problems(report.sections),
        table2={},
        table2_sources={},
    )
    first = report_publish(actor=district.admin_a, report=report)  # the org admin
    assert first.published_at is not None
    assert first.content["published_on"] == "2025-02-10"
    published_text = first.content["sections"]["problems"]
    report_save(
        actor=district.officer_a,
        report=report,
        sections={"problems": published_text + "另将加强培训，提高答复质量和效率。"},
        table2={},
        table2_sources={},
    )
    first.refresh_from_db()
    assert first.content["sections"]["problems"] == published_text
    with pytest.raises(ValueError):
        first.save()
    second = report_publish(actor=district.supervisor, report=report)  # a supervisor above
    assert second.number > first.number
    assert ReportVersion.objects.published().count() == 2
    event = AuditEvent.objects.filter(verb="report.published").latest("id")
    assert event.actor_id == district.supervisor.pk
    assert event.after == {"year": YEAR, "version": second.number, "deadline": "2025-01-31"}


def test_org_admin_of_another_organisation_cannot_publish(district: District) -> None:
    report = report_create(actor=district.officer_b, organization=district.dept_b, year=YEAR)
    with pytest.raises(PermissionDenied):
        report_publish(actor=district.admin_a, report=report)


def test_a_supervisor_of_a_sibling_district_cannot_publish(district: District) -> None:
    from tests.conftest import make_org

    other = make_org("另一区人民政府")
    outsider = make_user("outsider", supervisor=other)
    report = report_create(actor=district.officer_a, organization=district.dept_a, year=YEAR)
    with pytest.raises(PermissionDenied):
        report_publish(actor=outsider, report=report)
