"""The pure rules of 主动公开: 文号 key, sanitising, the PII scan, 第二十六条, 三同步, 第十八条."""

from __future__ import annotations

import re
from datetime import date, timedelta
from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st

from gongkai.core.ids import resident_id_check_char
from gongkai.core.workdays import Calendar, add_workdays
from gongkai.publications import rules
from gongkai.publications.constants import PiiKind

VALID_ID = "11010519491231002X"  # GB 11643 example
# National Day 2024: 1–7 October off, Sunday 29 September and Saturday 12 October worked.
CAL_2024 = Calendar(
    known_years=frozenset({2024}),
    holidays=frozenset(date(2024, 10, d) for d in range(1, 8)),
    makeup_workdays=frozenset({date(2024, 9, 29), date(2024, 10, 12)}),
)


@pytest.mark.parametrize(
    "variant",
    ["长府办〔2020〕12号", "长府办[2020]12号", "长府办【2020】12号", "长府办（2020）12号",
     "長府辦〔2020〕12號", " 长府办 (2020) 12号 ", "长府办［２０２０］１２号"],
)  # fmt: skip
def test_document_number_variants_share_one_key(variant: str) -> None:
    assert rules.document_number_key(variant) == rules.document_number_key("长府办〔2020〕12号")


def test_sanitize_strips_script_handlers_and_javascript_links() -> None:
    dirty = (
        '<p onclick="steal()">通知<script>alert(1)</script></p>'
        '<a href="javascript:alert(1)">链接</a><img src=x onerror="alert(1)">'
        '<style>p{}</style><table><tr><td colspan="2">表</td></tr></table>'
    )
    clean = rules.sanitize_body(dirty)
    assert "<script" not in clean and "alert" not in clean
    assert "onclick" not in clean and "onerror" not in clean and "<style" not in clean
    assert "<p>通知</p>" in clean
    assert 'colspan="2"' in clean


def test_plain_text_keeps_blocks_apart() -> None:
    assert rules.plain_text("<p>第一段</p><p>第二段&amp;</p>") == "第一段\n第二段&"


# --- personal data (QUALITY.md §3) -------------------------------------------------------
def kinds(text: str, **kw: object) -> list[str]:
    return [h.kind for h in rules.scan_pii(text, **kw)]  # type: ignore[arg-type]


def test_valid_resident_id_is_found_and_a_wrong_check_character_is_not() -> None:
    assert kinds(f"申请人身份证号{VALID_ID}。") == [PiiKind.RESIDENT_ID]
    wrong = VALID_ID[:-1] + "1"
    assert kinds(f"编号{wrong}。") == []


@given(st.integers(min_value=0, max_value=999), st.integers(min_value=1, max_value=17))
def test_an_id_number_wrapped_in_a_table_cell_is_found(seq: int, at: int) -> None:
    """A PDF table's narrow column breaks the number over two lines in the extracted text."""
    first17 = f"32010219850614{seq:03d}"
    number = first17 + resident_id_check_char(first17)
    text = f"王某\t{number[:at]}\n{number[at:]}\t低保"
    (hit,) = rules.scan_pii(text)
    assert hit.kind == PiiKind.RESIDENT_ID and hit.value.replace("\n", "") == number
    shown = rules.excerpt(text, hit)
    assert number[2:-3] not in shown.replace(" ", "")
    wrong = number[:-1] + ("0" if number[-1] != "0" else "1")
    assert rules.scan_pii(f"王某\t{wrong[:at]}\n{wrong[at:]}\t低保") == []


@given(st.integers(min_value=0, max_value=999))
def test_any_valid_id_is_found(seq: int) -> None:
    first17 = f"32010219850614{seq:03d}"
    number = first17 + resident_id_check_char(first17)
    assert kinds(f"身份证：{number}") == [PiiKind.RESIDENT_ID]


def test_numbers_inside_longer_codes_are_not_ids() -> None:
    assert kinds(f"索引号 A{VALID_ID}/2024-00001") == []


def test_mobile_numbers_in_common_forms() -> None:
    assert kinds("联系电话13812345678") == [PiiKind.MOBILE]
    assert kinds("电话 +86 138-1234-5678") == [PiiKind.MOBILE]
    assert kinds("办公电话021-62345678") == []


def test_bank_card_needs_luhn() -> None:
    assert rules.luhn_ok("6225881414207430")
    assert kinds("卡号 6225881414207430") == [PiiKind.BANK_CARD]
    assert kinds("卡号 6225881414207431") == []
    assert kinds("开户账号 4111 1111 1111 1111") == [PiiKind.BANK_CARD]


def test_email_except_the_organisations_published_mailboxes() -> None:
    assert kinds("请联系 zhang.san@example.com") == [PiiKind.EMAIL]
    assert kinds("邮箱 xxgk@test.gov.cn") == []
    assert (
        kinds("邮箱 office@edu-bureau.cn", allowed_emails=frozenset({"office@edu-bureau.cn"})) == []
    )


# Residential addresses as they appear in 低保 / 拆迁 / 救助 notices: each reaches a household.
RESIDENTIAL_ADDRESSES = [
    ("户主王秀英，家住幸福小区5栋302室，家庭人口3人", "幸福小区5栋302室"),
    ("建设路58号华府小区12幢1单元602", "建设路58号华府小区12幢1单元602"),
    ("和平里小区3号楼2单元201", "和平里小区3号楼2单元201"),
    ("申请人李建国，住址：临江区城关镇红旗村3组15号", "红旗村3组15号"),
    ("被征收人张某某，房屋坐落于东湖花园B座1203", "东湖花园B座1203"),
    ("救助对象：赵某，锦绣苑7-2-501", "锦绣苑7-2-501"),
    ("李家村3组农户", "李家村3组"),
    ("住在人民路88号3栋502室", "人民路88号3栋502室"),
    ("被征收房屋：长乐路100弄5号", "长乐路100弄5号"),
    ("临江区滨江公寓2幢1803室", "滨江公寓2幢1803室"),
    ("户籍地址：临江区人民路88号", "临江区人民路88号"),
    ("阳光新村15栋3单元402，特困供养", "阳光新村15栋3单元402"),
    ("城南家园A座2单元1101室", "城南家园A座2单元1101室"),
    ("临时救助对象居住于桃源村5组22号", "桃源村5组22号"),
    ("光明小区16-3-201（租住）", "光明小区16-3-201"),
    ("金桂苑3栋2单元5楼502", "金桂苑3栋2单元5楼502"),
    ("申请人赵六，住临江区人民路88号，家庭人口2人", "临江区人民路88号"),
    # An office label further back does not cover a home named after it.
    ("报名地点：李四家，幸福小区3栋502室", "幸福小区3栋502室"),
]
# What an organisation publishes about itself, plain place names, and numbers that only look
# like addresses: none reaches a household's door.
NOT_ADDRESSES = [
    "临江区人民路88号",
    "办公地址：人民路88号",
    "办理地点：临江区政务服务中心3楼",
    "受理窗口：区政务服务中心二楼5号窗口",
    "会议地点：区政府3号楼2楼第一会议室",
    "幸福小区3号楼加装电梯工程公示",
    "区民政局位于人民路88号3楼",
    "办公地点：人民路88号3栋502室",
    "联系地址：人民路88号2栋301办公室",
    "东湖花园B座1203会议室",
    "沿江大道与建设路交叉口",
    "临江区东湖街道红旗社区",
    "本次共涉及幸福小区5栋2单元住户18户",
    "测教发〔2024〕3号",
    "红旗村村民委员会",
    "城南新村2024年改造工程",
    "2024年3月15日在人民路100号召开",
    "通讯地址：临江区人民路88号3楼302室",
    "住房和城乡建设局位于人民路88号",
    "企业住所：临江区人民路88号",
    "住院部设在人民路88号",
]


@pytest.mark.parametrize(("text", "address"), RESIDENTIAL_ADDRESSES)
def test_residential_address_down_to_the_door_is_found(text: str, address: str) -> None:
    hits = rules.scan_pii(text)
    assert [h.kind for h in hits] == [PiiKind.ADDRESS]
    # The hit ends with the door (masking leaves no number of it) and starts at most a place
    # name's length before the address: where the name begins is not knowable.
    start = text.index(address)
    assert hits[0].end == start + len(address)
    assert start - 12 <= hits[0].start <= start


@pytest.mark.parametrize("text", NOT_ADDRESSES)
def test_office_addresses_and_place_names_are_not_flagged(text: str) -> None:
    assert kinds(text) == []


# Filler text for the property test: common characters without any that end a place name or
# start an address part, so that the only address in the text is the generated one.
_STRUCTURAL = set(
    "路街道巷弄胡同村组苑园区小号栋幢座单元室楼层住址家居现籍寓新办公窗厅会议接待受理"
)
_FILLER = [c for c in "的一是在不了有和人这中大为上个以要他时来用们生到作地于出就分对成可主发年动同工也能下"
           "过子说产种面而方后多定行学法所民得经十三之进着等部度电力如水化高自二理起物现实加量都"
           "两体制机当使点从业本去把性好应开它合还因由其些然前外天政四日那社义事平形相全表间样与"
           "关各重线内数正心反明看原又利比或但质气第向命此变条只没结解问意建月无系很情者最立代想"
           "已通并提直题党程展五果料象员位入常文总次品式活设及管特件长求老头基资边流级少图山统"
           if c not in _STRUCTURAL]  # fmt: skip
_filler = st.text(alphabet=st.sampled_from(_FILLER), max_size=15)
_name = st.text(alphabet=st.sampled_from(_FILLER), min_size=2, max_size=4)
_n = st.integers(min_value=1, max_value=30).map(str)
_room = st.integers(min_value=101, max_value=3208).map(str)
_door = st.one_of(
    st.tuples(
        st.one_of(_n, st.sampled_from("ABCD")),
        st.sampled_from(["栋", "幢", "号楼", "座"]),
        st.one_of(st.just(""), _n.map(lambda u: f"{u[:1]}单元")),
        _room,
        st.sampled_from(["", "室"]),
    ).map("".join),
    st.tuples(_n.map(lambda u: u[:1] + "单元"), _room).map("".join),
    st.tuples(_room, st.just("室")).map("".join),
    st.tuples(_n, _n.map(lambda u: u[:1]), _room).map("-".join),
)
_residential = st.one_of(
    st.tuples(
        st.one_of(
            st.just(""),
            st.tuples(_name, st.sampled_from(["路", "街", "大道"]), _n).map(
                lambda r: f"{r[0]}{r[1]}{r[2]}号"
            ),
        ),
        _name,
        st.sampled_from(["小区", "花园", "花苑", "家园", "公寓", "新村", "苑"]),
        _door,
    ).map("".join),
    st.tuples(_name, _n, st.one_of(st.just(""), _n.map(lambda d: d + "号"))).map(
        lambda v: f"{v[0]}村{v[1]}组{v[2]}"
    ),
)


@given(
    before=_filler,
    gap=st.sampled_from(["，", "。", "；", "：", "、", " ", "\n"]),
    address=_residential,
    after=_filler,
)
def test_generated_residential_address_is_found_with_its_span(
    before: str, gap: str, address: str, after: str
) -> None:
    text = before + gap + address + after
    hits = rules.scan_pii(text)
    start = len(before) + len(gap)
    assert [(h.kind, h.start, h.end) for h in hits] == [
        (PiiKind.ADDRESS, start, start + len(address))
    ]
    assert not re.search(r"\d", rules.mask_value(hits[0].kind, hits[0].value))


def test_masked_values_do_not_match_again() -> None:
    for kind, value in [
        (PiiKind.RESIDENT_ID, VALID_ID),
        (PiiKind.MOBILE, "13812345678"),
        (PiiKind.BANK_CARD, "6225881414207430"),
        (PiiKind.ADDRESS, "人民路88号3栋502室"),
        (PiiKind.ADDRESS, "东湖花园B座1203"),
        (PiiKind.ADDRESS, "锦绣苑7-2-501"),
        (PiiKind.ADDRESS, "红旗村3组15号"),
    ]:
        assert kinds(rules.mask_value(kind, value)) == [], kind
    assert rules.mask_value(PiiKind.MOBILE, "13812345678") == "138****5678"
    assert rules.mask_value(PiiKind.RESIDENT_ID, VALID_ID) == "11*************02X"


# --- attachments the scan cannot read -----------------------------------------------------
_PAGE = "临江区民政局关于2024年第一季度城乡最低生活保障对象的公示，公示期七天，如有异议请反映。"
_SIGNATURE = "临江区民政局\n2024年3月1日"  # the last page of many 公文: 13 characters


@pytest.mark.parametrize(
    ("file_type", "texts", "gap"),
    [
        ("png", [], rules.TextGap()),
        ("jpeg", [], rules.TextGap()),
        ("pdf", ["", "", ""], rules.TextGap()),  # a scanned PDF
        ("pdf", ["- 1 -", "- 2 -"], rules.TextGap()),  # scanned, page numbers only
        ("pdf", [_PAGE, "", _PAGE, ""], rules.TextGap((2, 4))),  # a scanned list appended
        ("pdf", [_PAGE, "3"], rules.TextGap((2,))),
        ("pdf", [_PAGE, _PAGE, _SIGNATURE], None),
        ("pdf", [_PAGE], None),
        ("ofd", [_PAGE, ""], rules.TextGap((2,))),
        ("ofd", [""], rules.TextGap()),
        ("docx", [], rules.TextGap()),  # only pictures
        ("docx", ["详见附图"], rules.TextGap()),
        ("docx", [_PAGE], None),
        ("xlsx", ["名单\n张三"], None),  # cells are text
    ],
)
def test_text_gap(file_type: str, texts: list[str], gap: rules.TextGap | None) -> None:
    assert rules.text_gap(file_type, texts) == gap


@given(st.lists(st.text(max_size=60), min_size=1, max_size=30), st.sampled_from(["pdf", "ofd"]))
def test_a_page_without_text_is_never_taken_as_read(pages: list[str], file_type: str) -> None:
    gap = rules.text_gap(file_type, pages)
    blank = [i for i, p in enumerate(pages, 1) if len("".join(p.split())) < rules.BLANK_PAGE_CHARS]
    if blank:
        assert gap is not None and (gap.whole or set(blank) <= set(gap.pages))


def test_text_gap_names_pages_as_ranges() -> None:
    assert rules.TextGap((3, 5, 6, 7, 9)).describe() == "第3、5–7、9页无可提取的文字"
    assert rules.TextGap().describe() == "全文无可提取的文字"


def test_excerpt_never_contains_the_value() -> None:
    text = f"张三，身份证号{VALID_ID}，住址不详"
    hit = rules.scan_pii(text)[0]
    assert VALID_ID not in rules.excerpt(text, hit)


def test_excerpt_masks_the_other_values_in_its_context() -> None:
    """A mobile number right after an ID number: neither excerpt may show the other value,
    nor the part of it that the context window would cut off."""
    text = f"家长王某，身份证号{VALID_ID}，联系电话13912345678，住址不详"
    hits = rules.scan_pii(text)
    assert {h.kind for h in hits} >= {"resident_id", "mobile"}
    for hit in hits:
        shown = rules.excerpt(text, hit, hits)
        assert VALID_ID not in shown and VALID_ID[2:-3] not in shown
        assert "13912345678" not in shown and "2345678" not in shown
        assert rules.mask_value(hit.kind, hit.value) in shown


# --- 第二十六条 ------------------------------------------------------------------------------
def test_article_26_counts_workdays_with_the_holiday_arrangement() -> None:
    """条例第二十六条: 20 working days, 调休 Sunday counted, the National Day week not."""
    formed = date(2024, 9, 27)
    assert rules.publish_due_on(formed, CAL_2024) == date(2024, 10, 30)
    on_time = rules.timeliness(formed, date(2024, 10, 30), date(2024, 11, 5), CAL_2024)
    assert on_time.on_time and on_time.due_on == date(2024, 10, 30) and not on_time.provisional
    late = rules.timeliness(formed, date(2024, 11, 1), date(2024, 11, 5), CAL_2024)
    assert late.workdays_late == 2 and not late.on_time


def test_article_26_pending_item_is_late_by_today() -> None:
    t = rules.timeliness(date(2024, 9, 27), None, date(2024, 10, 31), CAL_2024)
    assert t.workdays_late == 1


@given(st.dates(min_value=date(2024, 1, 1), max_value=date(2024, 12, 1)))
def test_article_26_due_date_is_the_twentieth_workday(formed: date) -> None:
    due = rules.publish_due_on(formed, CAL_2024)
    assert CAL_2024.is_workday(due)
    assert rules.timeliness(formed, due, due, CAL_2024).on_time
    next_workday = add_workdays(due, 1, CAL_2024).value
    assert rules.timeliness(formed, next_workday, next_workday, CAL_2024).workdays_late == 1


# --- 三同步 and 第十八条 --------------------------------------------------------------------------
def test_interpretation_missing_after_the_grace_period() -> None:
    published = date(2024, 9, 27)
    assert not rules.interpretation_missing(
        published, date(2024, 9, 30), date(2024, 12, 1), 3, CAL_2024
    )
    # 3 workdays: 29 Sep (调休), 30 Sep, 8 Oct.
    assert not rules.interpretation_missing(
        published, date(2024, 10, 8), date(2024, 12, 1), 3, CAL_2024
    )
    assert rules.interpretation_missing(
        published, date(2024, 10, 9), date(2024, 12, 1), 3, CAL_2024
    )
    assert not rules.interpretation_missing(published, None, date(2024, 10, 8), 3, CAL_2024)
    assert rules.interpretation_missing(published, None, date(2024, 10, 9), 3, CAL_2024)


@given(st.dates(min_value=date(2000, 1, 1), max_value=date(2090, 1, 1)), st.integers(1, 36))
def test_article_18_next_reassessment_is_months_later(day: date, months: int) -> None:
    nxt = rules.next_reassessment(day, months)
    assert (nxt.year - day.year) * 12 + nxt.month - day.month == months
    assert nxt.day <= day.day and nxt > day
    assert nxt - timedelta(days=31 * months + 1) < day


def test_index_number_pattern() -> None:
    kw = {"credit_code": "11339905TT0000017X", "division_code": "339905", "org_id": 7}
    assert rules.format_index_number("{credit_code}/{yyyy}-{seq:05d}", year=2024, seq=12, **kw) == (
        "11339905TT0000017X/2024-00012"
    )
    assert rules.format_index_number(
        "{division_code}-{org_id:03d}-{yyyy}-{seq}", year=2024, seq=3, **kw
    ) == ("339905-007-2024-3")
    with pytest.raises(rules.IndexPatternError):
        rules.format_index_number("{credit_code}", year=2024, seq=1, **kw)
    with pytest.raises(rules.IndexPatternError):
        rules.format_index_number("{yyyy}-{seq}-{nope}", year=2024, seq=1, **kw)
    # Sequences run per organisation: without {credit_code} or {org_id} two departments of
    # one district would both get 339905-2024-1.
    with pytest.raises(rules.IndexPatternError):
        rules.format_index_number("{division_code}-{yyyy}-{seq}", year=2024, seq=1, **kw)


@pytest.mark.parametrize(
    ("pattern", "fails"),
    [
        ("{credit_code}/{yyyy}-{seq:05d}", False),
        ("{org_id}-{yyyy}-{seq}", False),
        ("{division_code}-{yyyy}-{seq}", True),
        ("{credit_code}-{yyyy}-{seq:05x}", False),
        ("{credit_code}-{yyyy}-{seq:s}", True),
        ("{credit_code}-{yyyy}-{seq}-{nope}", True),
        ("{credit_code}-{yyyy}-{seq", True),
        ("{{credit_code}}/{yyyy}-{seq:05d}", True),  # a literal, the same for every body
        ("{credit_code}-{yyyy}-{{seq}}", True),
    ],
)
def test_a_bad_index_number_pattern_stops_start_up(
    settings: Any, pattern: str, fails: bool
) -> None:
    from django.core.management import call_command
    from django.core.management.base import SystemCheckError

    settings.INDEX_NUMBER_PATTERN = pattern
    if fails:
        with pytest.raises(SystemCheckError, match=r"gongkai\.E003"):
            call_command("check")
    else:
        call_command("check")
