"""gongkai.core.text: NFKC folding, 繁 → 简 (OpenCC), whitespace clean-up and identifier codes."""

from __future__ import annotations

import pytest
from hypothesis import example, given
from hypothesis import strategies as st

from gongkai.core.text import normalize, normalize_code, to_simplified, to_traditional

# Characters for which OpenCC's t2s is not idempotent on its own: phrase entries keep a character
# (乾縣 → 乾县, 於潛 → 於潜) that the character table converts on the next pass, and chains such
# as 薴 → 苧 → 苎.
T2S_CHAIN_CHARS = "乾縣县安鎮镇於于潛潜薴苧昇張张徵聲声調麼麽么幺氾國蒐祕釐吳 \u3000"

GOVERNMENT_PHRASES = [
    ("政府信息公开", "政府信息公開"),
    ("依申请公开", "依申請公開"),
    ("主动公开", "主動公開"),
    ("行政复议", "行政複議"),
    ("国务院办公厅", "國務院辦公廳"),
    ("信息公开申请表", "信息公開申請表"),
    ("政府信息公开工作年度报告", "政府信息公開工作年度報告"),
    ("延长答复期限", "延長答覆期限"),
    ("统一社会信用代码", "統一社會信用代碼"),
    ("居民身份证", "居民身份證"),
]


def test_nfkc_folds_full_width_letters_and_digits_to_half_width() -> None:
    """NFKC (Unicode UAX #15): 全角 ＡＢＣ１２３ → 半角 ABC123."""
    assert normalize("ＡＢＣ１２３") == "ABC123"


def test_nfkc_folds_full_width_punctuation() -> None:
    """NFKC: full-width forms (U+FF01–FF5E, incl. the comma ，) fold; 、 and 。 (U+3001/3002) stay."""
    assert normalize("（２０２４）第１号：ａ－ｂ") == "(2024)第1号:a-b"
    assert normalize("依申请公开，予以答复、备案。") == "依申请公开,予以答复、备案。"


def test_traditional_is_converted_to_simplified() -> None:
    """OpenCC t2s: 政府資訊公開條例 → 政府资讯公开条例."""
    assert normalize("政府資訊公開條例") == "政府资讯公开条例"


def test_odd_spaces_are_collapsed_and_trimmed() -> None:
    """U+3000 ideographic space and NBSP become one ASCII space, trimmed; zero-width ones vanish."""
    assert normalize("\ufeff\u3000 政府\u3000\u00a0\u200b信息\t\n公开 \u200b") == "政府 信息 公开"
    assert normalize("政府\u200b信息\ufeff公开") == "政府信息公开"


@pytest.mark.parametrize("space", ["\u3000", "\u00a0", "\u2002", "\u2003", "\u2009"])
def test_each_odd_space_alone_counts_as_a_space(space: str) -> None:
    """Spaces from Word/PDF exports separate words like an ordinary space and vanish at the ends."""
    assert normalize(f"{space}政府{space}信息{space}") == "政府 信息"


def test_empty_input_gives_empty_string() -> None:
    assert normalize("") == ""
    assert normalize("\u3000 \u200b") == ""


@given(st.text())
@example("乾縣")
@example("乾縣人民政府")
@example("薴")
@example("幺麼小醜")
@example("於潛")
@example("ＡＢＣ\u3000政府資訊")
def test_normalize_is_idempotent(text: str) -> None:
    """normalize(normalize(x)) == normalize(x) over arbitrary Unicode (documented contract)."""
    once = normalize(text)
    assert normalize(once) == once


@given(st.text(alphabet=st.sampled_from(T2S_CHAIN_CHARS), max_size=12))
def test_normalize_is_idempotent_on_opencc_chains(text: str) -> None:
    """Idempotence where OpenCC t2s alone is not (phrase/character chains such as 乾縣 → 乾县 → 干县)."""
    once = normalize(text)
    assert normalize(once) == once


@given(st.text())
def test_normalize_without_simplify_is_idempotent(text: str) -> None:
    once = normalize(text, simplify=False)
    assert normalize(once, simplify=False) == once


def test_traditional_and_simplified_spellings_normalize_alike() -> None:
    """For search and comparison, a 繁體 spelling and its 简体 form must compare equal.

    OpenCC maps 乾縣 to 乾县 by phrase but 乾县 to 干县 by character, so both end as the same
    string only because normalize converts until stable.
    """
    assert normalize("乾縣人民政府") == normalize("乾县人民政府")
    assert normalize("幺麼小醜") == normalize("幺么小丑")


@given(st.text(alphabet=st.sampled_from(T2S_CHAIN_CHARS), max_size=12))
def test_normalize_of_traditional_equals_normalize_of_its_simplified_form(text: str) -> None:
    assert normalize(to_simplified(text)) == normalize(text)


@pytest.mark.parametrize(("simplified", "traditional"), GOVERNMENT_PHRASES)
def test_to_traditional_round_trips_government_phrases(simplified: str, traditional: str) -> None:
    """OpenCC s2t for the portal's 繁體 view, and back with t2s (政府信息公开条例 vocabulary)."""
    assert to_traditional(simplified) == traditional
    assert to_simplified(traditional) == simplified
    assert normalize(traditional) == simplified


def test_to_traditional_and_to_simplified_pass_empty_text_through() -> None:
    assert to_traditional("") == ""
    assert to_simplified("") == ""


def test_simplify_false_keeps_traditional_but_still_folds_width_and_spaces() -> None:
    assert normalize("政府資訊公開條例", simplify=False) == "政府資訊公開條例"
    assert normalize("\u3000ＡＢＣ\u00a0政府資訊 ", simplify=False) == "ABC 政府資訊"


def test_normalize_code_folds_width_drops_spaces_and_hyphens_and_upper_cases() -> None:
    """Identifiers typed by people: ９１３５ ０１００-m000100y43 → 91350100M000100Y43."""
    assert normalize_code("９１３５ ０１００-m000100y43") == "91350100M000100Y43"
    assert normalize_code("110105\u300019491231002x") == "11010519491231002X"
    assert normalize_code("") == ""


@given(st.text(alphabet=st.sampled_from("0123456789ABCXYZabcxyz０１９ＡＸｘ－- \u3000\t")))
def test_normalize_code_is_idempotent_on_identifier_input(text: str) -> None:
    """Over what people type into identifier fields. (Not over all Unicode: removing the space
    NFKC leaves in front of a spacing diacritic, e.g. R¸ → R + U+0327, lets a second NFKC compose.)
    """
    once = normalize_code(text)
    assert normalize_code(once) == once
