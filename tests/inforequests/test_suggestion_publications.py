"""A 第四十四条 conversion names the publication that made the information 主动公开, and one
conversion is counted once: an item converted on 第十八条 re-assessment and named on a
第四十四条 decision counts under 第四十四条 only (条例第十八条、第四十四条)."""

from __future__ import annotations

from datetime import date
from typing import Any

import pytest
import time_machine
from bs4 import BeautifulSoup
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse

from gongkai.audit.models import AuditEvent
from gongkai.inforequests.misuse_selectors import (
    converted_suggestions_count,
    converted_without_publication,
    links_to_check,
    suggestions,
)
from gongkai.inforequests.misuse_services import (
    suggestion_decide,
    suggestion_link_publication,
    suggestion_unlink_publication,
)
from gongkai.inforequests.models_ledger import DisclosureSuggestionDecision, SuggestionPublication
from gongkai.publications import selectors as pub_selectors
from gongkai.publications import services as pub_services
from gongkai.publications.models import Publication
from tests.conftest import District
from tests.inforequests.test_misuse import _three_applicants_asked
from tests.publications.conftest import draft_data, login, make_draft

TODAY = date(2024, 3, 20)
YEAR = TODAY.year


@pytest.fixture(autouse=True)
def _today(settings: Any, tmp_path: Any) -> Any:
    settings.MEDIA_ROOT = tmp_path / "media"
    with time_machine.travel(TODAY, tick=False):
        yield


def withheld(district: District, **overrides: Any) -> Publication:
    """A draft reviewed as 不予公开 (过程性信息): kept in the catalog, re-assessed (第十八条)."""
    pub = make_draft(district, **overrides)
    pub_services.publication_submit(actor=district.officer_a, publication=pub)
    return pub_services.publication_review(
        actor=district.reviewer_a,
        publication=pub,
        secrecy_ok=True,
        disclosure_attribute="withheld",
        withholding_reason="process",
        withholding_basis="《政府信息公开条例》第十六条第二款",
    )


def converted_on_reassessment(district: District, **overrides: Any) -> Publication:
    """第十八条: the withheld item is converted to 主动公开 and published (gets its 索引号)."""
    pub = withheld(district, **overrides)
    pub_services.publication_convert_to_proactive(
        actor=district.reviewer_a, publication=pub, opinion="多名申请人申请，情况变化，可以公开"
    )
    pub_services.publication_publish(actor=district.reviewer_a, publication=pub)
    pub.refresh_from_db()
    assert pub.index_number and pub.converted_to_proactive_on == TODAY
    return pub


def decide_converted(district: District, **kw: Any) -> DisclosureSuggestionDecision:
    (item,) = suggestions(district.officer_a, TODAY)
    return suggestion_decide(
        actor=district.officer_a,
        organization=district.dept_a,
        key=item.group.key,
        verdict="converted",
        **kw,
    )


def columns(district: District) -> tuple[int, int]:
    orgs = [district.dept_a.pk]
    return (
        pub_selectors.conversions_count(orgs, YEAR).get(district.dept_a.pk, 0),
        converted_suggestions_count(orgs, YEAR).get(district.dept_a.pk, 0),
    )


def test_item_converted_on_reassessment_for_a_suggestion_is_counted_once(
    district: District,
) -> None:
    """第四十四条 is why the item went out; the 第十八条 service was only the means."""
    _three_applicants_asked(district)
    pub = converted_on_reassessment(district, title="2023年老旧小区改造项目清单")
    other = converted_on_reassessment(district, title="另一份评估后转为主动公开的信息")
    assert columns(district) == (2, 0)

    decision = decide_converted(district, publications=[pub])

    # 第十八条 keeps only the conversion no suggestion names; 第四十四条 counts the decision.
    assert columns(district) == (1, 1)
    assert sum(columns(district)) == 2  # two items went out, each counted once
    assert list(decision.links.values_list("publication", flat=True)) == [pub.pk]
    assert other.pk not in SuggestionPublication.objects.values_list("publication", flat=True)
    event = AuditEvent.objects.get(verb="inforequest.suggestion_publication_linked")
    assert event.organization_id == district.dept_a.pk
    assert event.after["index_number"] == pub.index_number


def test_a_decision_with_two_publications_is_still_one_item(district: District) -> None:
    _three_applicants_asked(district)
    first = converted_on_reassessment(district, title="清单（上半年）")
    second = converted_on_reassessment(district, title="清单（下半年）")
    decide_converted(district, publications=[first, second])
    assert columns(district) == (0, 1)


def test_conversion_may_name_its_publication_later(district: District) -> None:
    """The information is to be drafted: decide now, name the new item when it exists."""
    _three_applicants_asked(district)
    decision = decide_converted(district)
    assert list(converted_without_publication(district.officer_a)) == [decision]
    assert not converted_without_publication(district.officer_b).exists()
    draft = make_draft(district, title="2023年老旧小区改造项目清单")
    suggestion_link_publication(actor=district.officer_a, decision=decision, publication=draft)
    assert not converted_without_publication(district.officer_a).exists()
    with pytest.raises(ValidationError):  # the same item twice
        suggestion_link_publication(actor=district.officer_a, decision=decision, publication=draft)
    assert columns(district) == (0, 1)


def test_publication_of_another_organisation_is_refused(district: District) -> None:
    _three_applicants_asked(district)
    theirs = pub_services.publication_create(
        actor=district.officer_b,
        organization=district.dept_b,
        data=draft_data(title="民政局的信息", document_number="测民发〔2024〕1号"),
    )
    with pytest.raises(ValidationError) as exc:
        decide_converted(district, publications=[theirs])
    assert "只能关联测试区教育局自己的公开信息" in exc.value.messages[0]
    # The decision and its link are one step: nothing was recorded.
    assert not DisclosureSuggestionDecision.objects.exists()
    assert not SuggestionPublication.objects.exists()


def test_only_proactive_items_and_each_once(district: District) -> None:
    _three_applicants_asked(district)
    decision = decide_converted(district)
    still_withheld = withheld(district)
    with pytest.raises(ValidationError) as exc:
        suggestion_link_publication(
            actor=district.officer_a, decision=decision, publication=still_withheld
        )
    assert "不是主动公开的信息" in exc.value.messages[0]
    pub = converted_on_reassessment(district)
    suggestion_link_publication(actor=district.officer_a, decision=decision, publication=pub)
    another = DisclosureSuggestionDecision.objects.create(
        organization=district.dept_a,
        key="another",
        title="另一组申请",
        verdict="converted",
        actor=district.officer_a,
    )
    with pytest.raises(ValidationError) as exc:
        suggestion_link_publication(actor=district.officer_a, decision=another, publication=pub)
    assert "不能重复计数" in exc.value.messages[0]
    dismissed = DisclosureSuggestionDecision.objects.create(
        organization=district.dept_a,
        key="dismissed",
        title="不予转为主动公开的一组",
        verdict="dismissed",
        reason="涉及个案",
        actor=district.officer_a,
    )
    with pytest.raises(ValidationError):
        suggestion_link_publication(
            actor=district.officer_a, decision=dismissed, publication=make_draft(district)
        )
    assert SuggestionPublication.objects.count() == 1


def test_officer_of_another_organisation_cannot_link(district: District) -> None:
    _three_applicants_asked(district)
    decision = decide_converted(district)
    pub = converted_on_reassessment(district)
    with pytest.raises(PermissionDenied):
        suggestion_link_publication(actor=district.officer_b, decision=decision, publication=pub)
    response = login(district.officer_b).post(
        reverse("console:suggestion_link", args=[decision.pk]),
        {"index_number": pub.index_number},
    )
    assert response.status_code == 404
    assert not SuggestionPublication.objects.exists()
    assert columns(district) == (1, 1)


def test_console_decides_with_an_index_number_and_shows_a_clear_error(
    district: District,
) -> None:
    _three_applicants_asked(district)
    pub = converted_on_reassessment(district)
    theirs = pub_services.publication_create(
        actor=district.officer_b,
        organization=district.dept_b,
        data=draft_data(title="民政局的信息", document_number="测民发〔2024〕1号"),
    )
    theirs = publish_b(district, theirs)
    client = login(district.officer_a)
    page = client.get(reverse("console:suggestion_list")).content.decode()
    key = page.split('name="key" value="')[1].split('"')[0]
    url = reverse("console:suggestion_decide", args=[district.dept_a.pk])

    wrong = client.post(
        url, {"key": key, "verdict": "converted", "index_number": theirs.index_number}, follow=True
    ).content.decode()
    assert f"索引号“{theirs.index_number}”不是测试区教育局已发布的信息" in wrong
    assert not DisclosureSuggestionDecision.objects.exists()

    client.post(url, {"key": key, "verdict": "converted", "index_number": pub.index_number})
    decision = DisclosureSuggestionDecision.objects.get()
    assert [link.publication for link in decision.links.all()] == [pub]
    shown = client.get(reverse("console:suggestion_list"), {"decided": "1"}).content.decode()
    assert pub.title in shown and pub.index_number in shown


def publish_b(district: District, pub: Publication) -> Publication:
    """Department B has no reviewer in the fixture: one is made for this test."""
    from tests.conftest import make_user

    reviewer_b = make_user("reviewer_b", reviewer=district.dept_b)
    pub_services.publication_submit(actor=district.officer_b, publication=pub)
    pub_services.publication_review(
        actor=reviewer_b, publication=pub, secrecy_ok=True, disclosure_attribute="proactive"
    )
    pub_services.publication_publish(actor=reviewer_b, publication=pub)
    pub.refresh_from_db()
    assert pub.index_number
    return pub


def test_console_links_a_draft_later(district: District) -> None:
    _three_applicants_asked(district)
    decision = decide_converted(district)
    draft = make_draft(district, title="2023年老旧小区改造项目清单（待发布）")
    client = login(district.officer_a)
    page = client.get(reverse("console:suggestion_list")).content.decode()
    assert "尚未关联公开信息" in page and draft.title in page
    url = reverse("console:suggestion_link", args=[decision.pk])
    empty = client.post(url, {}, follow=True).content.decode()
    assert "请填写已发布信息的索引号，或选择尚未发布的信息。" in empty
    client.post(url, {"publication": draft.pk})
    assert decision.links.get().publication == draft
    assert AuditEvent.objects.filter(verb="inforequest.suggestion_publication_linked").exists()


def test_timeliness_page_shows_each_conversion_in_one_column(district: District) -> None:
    _three_applicants_asked(district)
    linked = converted_on_reassessment(district, title="2023年老旧小区改造项目清单")
    converted_on_reassessment(district, title="评估后转为主动公开的另一项")
    decide_converted(district, publications=[linked])
    page = login(district.reviewer_a).get(reverse("console:pub_timeliness"), {"year": YEAR})
    soup = BeautifulSoup(page.content, "html.parser")
    table = soup.select("table")[0]
    headers = [th.get_text(strip=True) for th in table.select("thead th")]
    row = next(
        [td.get_text(strip=True) for td in tr.select("td")]
        for tr in table.select("tbody tr")
        if tr.td and tr.td.get_text(strip=True) == district.dept_a.name
    )
    assert row[headers.index("依申请转主动（第十八条评估）")] == "1"
    assert row[headers.index("第四十四条建议转主动")] == "1"


def test_a_wrong_link_is_undone_with_a_reason_and_counts_go_back(district: District) -> None:
    _three_applicants_asked(district)
    pub = converted_on_reassessment(district)
    decision = decide_converted(district, publications=[pub])
    assert columns(district) == (0, 1)
    link = decision.links.get()
    with pytest.raises(PermissionDenied):
        suggestion_unlink_publication(actor=district.officer_b, link=link, reason="错了")
    client = login(district.officer_a)
    url = reverse("console:suggestion_unlink", args=[link.pk])
    page = client.post(url, {"reason": " "}, follow=True).content.decode()
    assert "请填写取消关联的理由。" in page
    assert SuggestionPublication.objects.exists()
    client.post(url, {"reason": "关联错了信息"})
    assert not SuggestionPublication.objects.exists()
    # The item counts again as the 第十八条 conversion it was; the decision still counts.
    assert columns(district) == (1, 1)
    event = AuditEvent.objects.get(verb="inforequest.suggestion_publication_unlinked")
    assert event.reason == "关联错了信息" and event.before["publication"] == pub.pk


# --- a link never changes a closed year; a linked item stays 主动公开; a group is decided once


def columns_of(district: District, year: int) -> tuple[int, int]:
    orgs = [district.dept_a.pk]
    return (
        pub_selectors.conversions_count(orgs, year).get(district.dept_a.pk, 0),
        converted_suggestions_count(orgs, year).get(district.dept_a.pk, 0),
    )


def convert_and_publish(district: District, **overrides: Any) -> Publication:
    pub = withheld(district, **overrides)
    pub_services.publication_convert_to_proactive(
        actor=district.reviewer_a, publication=pub, opinion="情况变化，可以公开"
    )
    pub_services.publication_publish(actor=district.reviewer_a, publication=pub)
    pub.refresh_from_db()
    return pub


def test_a_later_years_decision_cannot_take_a_conversion_out_of_a_closed_year(
    district: District,
) -> None:
    """第十八条 conversion on 2024-12-20 is in the 2024 figures; a 第四十四条 decision of 2025
    cannot move it out of them (the 2024 annual report is due by 31 January, 第五十条)."""
    _three_applicants_asked(district)
    with time_machine.travel(date(2024, 12, 20), tick=False):
        pub = convert_and_publish(district, title="2023年老旧小区改造项目清单")
    assert columns_of(district, 2024) == (1, 0)
    with time_machine.travel(date(2025, 1, 10), tick=False):
        (item,) = suggestions(district.officer_a, date(2025, 1, 10))
        with pytest.raises(ValidationError) as exc:
            suggestion_decide(
                actor=district.officer_a,
                organization=district.dept_a,
                key=item.group.key,
                verdict="converted",
                publications=[pub],
            )
        assert exc.value.messages == [
            "该信息已于2024年经定期评估转为主动公开并计入当年第十八条数字，不能再计入第四十四条。"
        ]
        decision = suggestion_decide(
            actor=district.officer_a,
            organization=district.dept_a,
            key=item.group.key,
            verdict="converted",
        )
        with pytest.raises(ValidationError):
            suggestion_link_publication(
                actor=district.officer_a, decision=decision, publication=pub
            )
    assert not SuggestionPublication.objects.exists()
    assert columns_of(district, 2024) == (1, 0)
    assert columns_of(district, 2025) == (0, 1)
    # A link of a later year made before this rule still leaves the closed year alone.
    SuggestionPublication.objects.create(
        decision=decision, publication=pub, actor=district.officer_a
    )
    assert columns_of(district, 2024) == (1, 0)


def test_decided_in_one_year_converted_early_next_year_is_counted_once(
    district: District,
) -> None:
    """Decided in December, published through 第十八条 in January: one conversion, in the
    decision's year under 第四十四条, not again under 第十八条 of the next year."""
    _three_applicants_asked(district)
    with time_machine.travel(date(2024, 12, 20), tick=False):
        (item,) = suggestions(district.officer_a, date(2024, 12, 20))
        decision = suggestion_decide(
            actor=district.officer_a,
            organization=district.dept_a,
            key=item.group.key,
            verdict="converted",
        )
    with time_machine.travel(date(2025, 1, 10), tick=False):
        pub = convert_and_publish(district, title="2023年老旧小区改造项目清单")
        suggestion_link_publication(actor=district.officer_a, decision=decision, publication=pub)
    assert columns_of(district, 2024) == (0, 1)
    assert columns_of(district, 2025) == (0, 0)


def test_a_linked_item_cannot_be_reviewed_as_withheld(district: District) -> None:
    """The link counts it as 主动公开 under 第四十四条: a 不予公开/依申请公开 verdict (第十七条)
    must first undo the link."""
    _three_applicants_asked(district)
    decision = decide_converted(district)
    draft = make_draft(district, title="2023年老旧小区改造项目清单")
    suggestion_link_publication(actor=district.officer_a, decision=decision, publication=draft)
    pub_services.publication_submit(actor=district.officer_a, publication=draft)
    for attribute in ("withheld", "on_request"):
        with pytest.raises(ValidationError) as exc:
            pub_services.publication_review(
                actor=district.reviewer_a,
                publication=draft,
                secrecy_ok=True,
                disclosure_attribute=attribute,
                withholding_reason="process",
                withholding_basis="《政府信息公开条例》第十六条第二款",
            )
        assert "请先在“建议转为主动公开”页面取消关联" in exc.value.messages[0]
    draft.refresh_from_db()
    assert draft.disclosure_attribute == "proactive" and draft.status == "in_review"
    # Through the console the reviewer reads the same message.
    page = login(district.reviewer_a).post(
        reverse("console:pub_review", args=[draft.pk]),
        {
            "secrecy_ok": "on",
            "disclosure_attribute": "withheld",
            "withholding_reason": "process",
            "withholding_basis": "《政府信息公开条例》第十六条第二款",
            "publish": "later",
        },
    )
    assert "请先在“建议转为主动公开”页面取消关联" in page.content.decode()
    # After undoing the link the verdict is accepted.
    suggestion_unlink_publication(
        actor=district.officer_a, link=decision.links.get(), reason="不公开"
    )
    pub_services.publication_review(
        actor=district.reviewer_a,
        publication=draft,
        secrecy_ok=True,
        disclosure_attribute="withheld",
        withholding_reason="process",
        withholding_basis="《政府信息公开条例》第十六条第二款",
    )


def test_a_withdrawn_linked_item_is_listed_for_checking(district: District) -> None:
    _three_applicants_asked(district)
    pub = converted_on_reassessment(district, title="2023年老旧小区改造项目清单")
    decision = decide_converted(district, publications=[pub])
    client = login(district.officer_a)
    assert pub.title not in client.get(reverse("console:suggestion_list")).content.decode()
    pub_services.publication_withdraw(actor=district.reviewer_a, publication=pub, reason="有误")
    assert [link.publication for link in links_to_check(district.officer_a)] == [pub]
    assert not links_to_check(district.officer_b).exists()
    page = client.get(reverse("console:suggestion_list")).content.decode()
    assert "关联的公开信息已不再主动公开，请核对" in page and pub.title in page
    # Found by its 索引号 for another decision, it is refused as withdrawn.
    decision.links.get().delete()
    with pytest.raises(ValidationError) as exc:
        suggestion_link_publication(actor=district.officer_a, decision=decision, publication=pub)
    assert exc.value.messages == [f"“{pub.title}”已撤回，不能作为已主动公开的依据。"]


def test_undoing_a_link_twice_writes_one_event(district: District) -> None:
    _three_applicants_asked(district)
    pub = converted_on_reassessment(district)
    decision = decide_converted(district, publications=[pub])
    link = decision.links.get()
    stale = SuggestionPublication.objects.get(pk=link.pk)
    suggestion_unlink_publication(actor=district.officer_a, link=link, reason="错了")
    with pytest.raises(ValidationError):
        suggestion_unlink_publication(actor=district.officer_a, link=stale, reason="错了")
    assert (
        AuditEvent.objects.filter(verb="inforequest.suggestion_publication_unlinked").count() == 1
    )


def test_the_unlinked_list_says_when_it_shows_only_part(district: District) -> None:
    for i in range(21):
        DisclosureSuggestionDecision.objects.create(
            organization=district.dept_a,
            key=f"k{i}",
            title=f"第{i}组",
            verdict="converted",
            actor=district.officer_a,
        )
    page = login(district.officer_a).get(reverse("console:suggestion_list")).content.decode()
    assert "共 21 项" in page and "以下仅显示决定最早的 20 项" in page


def test_a_group_is_decided_once_when_its_first_application_leaves_the_window(
    district: District,
) -> None:
    """第四十四条 suggestions look back one year and key a group by its earliest application:
    when that one is older than a year, the group is keyed by the next one, and must still
    count as decided (else it is decided, and counted, a second time)."""
    from tests.inforequests.test_misuse import OTHER_IDS, close, submit

    ids = [*OTHER_IDS, "110101198001010010"]  # four different applicants
    subjects = ["2023年老旧小区改造项目清单", "2023年老旧小区改造的项目清单"]
    for i, received in enumerate([date(2024, 2, 1), date(2024, 2, 2), date(2024, 2, 3)]):
        info = submit(
            district,
            received,
            id_number=ids[i],
            subject=subjects[min(i, 1)],
        )
        close(district, info, date(2024, 3, 1))
    (item,) = suggestions(district.officer_a, TODAY)
    first = suggestion_decide(
        actor=district.officer_a,
        organization=district.dept_a,
        key=item.group.key,
        verdict="converted",
    )
    with time_machine.travel(date(2024, 6, 10), tick=False):
        later = submit(district, date(2024, 6, 1), id_number=ids[3], subject=subjects[1])
        close(district, later, date(2024, 6, 10))
    day = date(2025, 1, 31)  # the window starts on 2024-02-02: the first application is out
    with time_machine.travel(day, tick=False):
        assert suggestions(district.officer_a, day) == []
        (again,) = suggestions(district.officer_a, day, include_decided=True)
        assert again.group.key != first.key and again.decision == first
        with pytest.raises(ValidationError) as exc:
            suggestion_decide(
                actor=district.officer_a,
                organization=district.dept_a,
                key=again.group.key,
                verdict="converted",
            )
        assert exc.value.messages == ["该建议已处理。"]
    assert DisclosureSuggestionDecision.objects.count() == 1
    assert columns_of(district, 2024)[1] + columns_of(district, 2025)[1] == 1


def test_the_publication_page_says_it_counts_under_article_44(district: District) -> None:
    _three_applicants_asked(district)
    pub = converted_on_reassessment(district, title="2023年老旧小区改造项目清单")
    client = login(district.reviewer_a)
    url = reverse("console:pub_detail", args=[pub.pk])
    assert "计入第四十四条" not in client.get(url).content.decode()
    decide_converted(district, publications=[pub])
    page = client.get(url).content.decode()
    assert "计入第四十四条转为主动公开的数字" in page
    assert "撤回后该建议仍计入第四十四条" in page
