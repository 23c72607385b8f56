"""gongkai.core.ids: GB 32100-2015 credit codes, GB 11714-1997 organisation codes and
GB 11643-1999 citizen identity numbers."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from hypothesis import given
from hypothesis import strategies as st

from gongkai.core.ids import (
    CREDIT_ALPHABET,
    credit_code_check_char,
    credit_code_problem,
    make_credit_code,
    mask_resident_id,
    org_code_check_char,
    resident_id_check_char,
    resident_id_problem,
)

DIGITS = "0123456789"
ID_CHECK_CHARS = "0123456789X"

# Published codes whose check characters (GB 32100 and the embedded GB 11714 one) are verified by
# the tests below, not taken on trust.
KNOWN_GOOD_CREDIT_CODES = [
    "91350100M000100Y43",
    "91440300708461136T",
    "91110108551385082Q",
]

credit_chars = st.sampled_from(CREDIT_ALPHABET)
digits = st.sampled_from(DIGITS)


@st.composite
def credit_prefixes(draw: st.DrawFn) -> str:
    """17 characters: registration authority + type, 6-digit 行政区划代码, 9-character subject id."""
    head = draw(st.text(credit_chars, min_size=2, max_size=2))
    division = draw(st.text(digits, min_size=6, max_size=6))
    subject = draw(st.text(credit_chars, min_size=9, max_size=9))
    return head + division + subject


@st.composite
def resident_first17(draw: st.DrawFn) -> str:
    """6-digit region, a real birth date from 1900 to today, 3-digit sequence (GB 11643-1999)."""
    region = draw(st.text(digits, min_size=6, max_size=6))
    born = draw(st.dates(min_value=date(1900, 1, 1), max_value=date.today()))
    seq = draw(st.integers(min_value=0, max_value=999))
    return f"{region}{born:%Y%m%d}{seq:03d}"


# -- GB 32100-2015 统一社会信用代码 ------------------------------------------------------------


@pytest.mark.parametrize("code", KNOWN_GOOD_CREDIT_CODES)
def test_gb32100_published_codes_validate(code: str) -> None:
    assert credit_code_check_char(code[:17]) == code[17]
    assert credit_code_problem(code) is None


@pytest.mark.parametrize("code", KNOWN_GOOD_CREDIT_CODES)
def test_gb11714_org_code_inside_published_codes_validates(code: str) -> None:
    """GB 32100-2015: characters 9–17 are the GB 11714-1997 organisation code with its check."""
    assert org_code_check_char(code[8:16]) == code[16]


def test_gb32100_check_char_is_computed_over_31_symbols() -> None:
    """Check = 31 − (Σ value × 3^(i−1) mod 31) mod 31, mapped back to the 31-symbol alphabet."""
    assert len(CREDIT_ALPHABET) == 31
    assert not set("IOSVZ") & set(CREDIT_ALPHABET)
    assert credit_code_check_char("91350100M000100Y4") == "3"
    assert credit_code_check_char("0" * 17) == "0"


def test_gb11714_check_char_maps_10_to_x_and_11_to_0() -> None:
    """GB 11714-1997: C9 = 11 − (Σ Ci × Wi mod 11); 10 → X, 11 → 0."""
    assert org_code_check_char("00000000") == "0"
    assert org_code_check_char("70846113") == "6"
    assert org_code_check_char("M000100Y") == "4"
    # Σ = 3·3 = 9 → 2;  Σ = 3·10 (A = 10) = 30 ≡ 8 → 3;  Σ = 3·4 = 12 ≡ 1 → 10 → X.
    assert org_code_check_char("30000000") == "2"
    assert org_code_check_char("A0000000") == "3"
    assert org_code_check_char("40000000") == "X"


def test_gb32100_wrong_check_char_is_rejected() -> None:
    assert credit_code_problem("91350100M000100Y44") == "校验码错误"
    assert credit_code_problem("91440300708461136X") == "校验码错误"


@pytest.mark.parametrize("letter", list("IOSVZ"))
def test_gb32100_forbidden_letters_are_rejected(letter: str) -> None:
    """GB 32100-2015: I, O, S, V, Z are never used (confusable with 1, 0, 5, U, 2)."""
    code = "91350100M000100Y43"
    for pos in (0, 1, *range(8, 18)):
        bad = code[:pos] + letter + code[pos + 1 :]
        assert (
            credit_code_problem(bad) == "含有不允许的字符（不使用 I、O、S、V、Z）或第3–8位不是数字"
        )


@pytest.mark.parametrize("code", ["91350100M000100Y4", "91350100M000100Y433", "", "9"])
def test_gb32100_wrong_length_is_rejected(code: str) -> None:
    assert credit_code_problem(code) == f"应为18位，实为{len(code)}位"


def test_gb32100_division_part_must_be_digits() -> None:
    """Characters 3–8 are the GB/T 2260 行政区划代码, digits only."""
    first17 = "91A50100M000100Y4"
    code = first17 + credit_code_check_char(first17)
    assert credit_code_problem(code) == "含有不允许的字符（不使用 I、O、S、V、Z）或第3–8位不是数字"


def test_gb32100_lower_case_is_rejected_before_normalisation() -> None:
    """credit_code_problem wants the canonical form; the Django validator upper-cases first."""
    assert credit_code_problem("91350100m000100y43") is not None


@pytest.mark.parametrize("code", ["913501٠0M000100Y43", "91350100M000100Y43".replace("0", "０")])
def test_gb32100_non_ascii_digits_are_a_problem_not_a_crash(code: str) -> None:
    """Unicode decimal digits (Arabic-Indic ٠, full-width ０) are not code characters; the check
    must report them instead of raising (it used to raise ValueError from str.index)."""
    assert credit_code_problem(code) is not None


@given(credit_prefixes())
def test_gb32100_prefix_plus_check_char_validates(first17: str) -> None:
    assert credit_code_problem(first17 + credit_code_check_char(first17)) is None


@given(credit_prefixes())
def test_gb32100_detects_every_single_character_substitution(first17: str) -> None:
    """GB 32100-2015: weights 3^(i−1) mod 31 are non-zero and 31 is prime, so replacing any one
    of the 18 characters by any other allowed character is detected (all 18 × 30 cases)."""
    code = first17 + credit_code_check_char(first17)
    for pos in range(18):
        for char in CREDIT_ALPHABET:
            if char != code[pos]:
                assert credit_code_problem(code[:pos] + char + code[pos + 1 :]) is not None


@given(credit_prefixes())
def test_gb32100_detects_adjacent_transpositions_in_first_17(first17: str) -> None:
    """Swapping neighbours i, i+1 (i < 17) changes the sum by (a−b)·3^(i−1)·(1−3) ≠ 0 mod 31."""
    code = first17 + credit_code_check_char(first17)
    for pos in range(16):
        a, b = code[pos], code[pos + 1]
        if a != b:
            swapped = code[:pos] + b + a + code[pos + 2 :]
            assert credit_code_problem(swapped) is not None


# -- make_credit_code ---------------------------------------------------------------------------


@given(
    st.text(credit_chars, min_size=2, max_size=2),
    st.text(digits, min_size=6, max_size=6),
    st.text(credit_chars, min_size=8, max_size=8),
)
def test_make_credit_code_output_validates_with_gb11714_check_inside(
    prefix: str, division: str, body: str
) -> None:
    """GB 32100-2015 over GB 11714-1997: the whole code validates and characters 9–17 carry a
    valid organisation-code check character."""
    code = make_credit_code(division, body, prefix)
    assert credit_code_problem(code) is None
    assert code[:2] == prefix
    assert code[2:8] == division
    assert code[8:16] == body
    assert org_code_check_char(code[8:16]) == code[16]


def test_make_credit_code_defaults_to_type_11_机关() -> None:
    code = make_credit_code("339905", "TT000001")
    assert code.startswith("11339905TT000001")
    assert credit_code_problem(code) is None


@pytest.mark.parametrize("body", ["tt000001", "TT00001", "TT0000012", "TT-00001"])
def test_make_credit_code_rejects_malformed_org_body(body: str) -> None:
    with pytest.raises(ValueError, match="organisation code body"):
        make_credit_code("339905", body)


@pytest.mark.parametrize("letter", list("IOSVZ"))
def test_make_credit_code_refuses_letters_gb32100_forbids(letter: str) -> None:
    """A GB 11714 body may use any A–Z, but a credit code cannot carry I, O, S, V or Z."""
    with pytest.raises(ValueError):
        make_credit_code("339905", f"TT00000{letter}")


# -- GB 11643-1999 公民身份号码 -----------------------------------------------------------------


def test_gb11643_standard_example_validates() -> None:
    """The worked example of GB 11643-1999: 11010519491231002X."""
    assert resident_id_check_char("11010519491231002") == "X"
    assert resident_id_problem("11010519491231002X") is None


def test_gb11643_other_check_values() -> None:
    """ISO 7064 MOD 11-2: (Σ aᵢ·Wᵢ) mod 11 = 0…10 → check 1 0 X 9 8 7 6 5 4 3 2."""
    assert resident_id_check_char("00000000000000000") == "1"
    assert resident_id_check_char("11010519800101001") == "6"


@given(resident_first17())
def test_gb11643_first17_plus_check_char_validates(first17: str) -> None:
    assert resident_id_problem(first17 + resident_id_check_char(first17)) is None


@given(resident_first17())
def test_gb11643_detects_every_single_digit_change(first17: str) -> None:
    """ISO 7064 MOD 11-2: weights 2^(18−i) mod 11 are non-zero and 11 is prime, so any change of
    one of the 17 digits, or of the check character, is detected (some changes also make the
    birth date invalid, which is rejected as well)."""
    number = first17 + resident_id_check_char(first17)
    for pos in range(17):
        for d in DIGITS:
            if d != number[pos]:
                assert resident_id_problem(number[:pos] + d + number[pos + 1 :]) is not None
    for c in ID_CHECK_CHARS:
        if c != number[17]:
            assert resident_id_problem(number[:17] + c) == "校验码错误"


@pytest.mark.parametrize(
    "birth",
    [
        "19491331",  # month 13
        "19490230",  # 30 February
        "19490001",  # month 0
        "19490100",  # day 0
        "18991231",  # before 1900
        (date.today() + timedelta(days=1)).strftime("%Y%m%d"),  # in the future
    ],
)
def test_gb11643_invalid_birth_date_is_rejected(birth: str) -> None:
    """GB 11643-1999: digits 7–14 are a real date of birth (YYYYMMDD)."""
    first17 = f"110105{birth}002"
    assert resident_id_problem(first17 + resident_id_check_char(first17)) == "出生日期无效"


def test_gb11643_leap_day_is_accepted_only_in_leap_years() -> None:
    ok, bad = "11010520000229002", "11010519000229002"
    assert resident_id_problem(ok + resident_id_check_char(ok)) is None
    assert resident_id_problem(bad + resident_id_check_char(bad)) == "出生日期无效"


@pytest.mark.parametrize(
    ("number", "problem"),
    [
        ("11010519491231002", "应为18位，实为17位"),
        ("11010519491231002X1", "应为18位，实为19位"),
        ("11010519491231002x", "前17位应为数字，末位为数字或X"),
        ("1101051949123100X2", "前17位应为数字，末位为数字或X"),
        ("١١٠١٠٥١٩٤٩١٢٣١٠٠٢X", "前17位应为数字，末位为数字或X"),
        ("11010519491231002Ｘ", "前17位应为数字，末位为数字或X"),
        ("110105194912310021", "校验码错误"),
    ],
)
def test_gb11643_malformed_numbers_are_rejected(number: str, problem: str) -> None:
    """Shape: 17 ASCII digits + digit or upper-case X (the Django validator normalises first)."""
    assert resident_id_problem(number) == problem


# -- masking (PIPL 第五十一条: 去标识化) -------------------------------------------------------


def test_mask_resident_id_keeps_first_6_and_last_4() -> None:
    """PIPL 第五十一条: show the region code and the last four characters only."""
    assert mask_resident_id("11010519491231002X") == "110105********002X"


def test_mask_resident_id_of_15_digit_legacy_number() -> None:
    assert mask_resident_id("110105491231002") == "110105*****1002"


@given(st.text(alphabet=st.sampled_from(ID_CHECK_CHARS), min_size=11, max_size=30))
def test_mask_resident_id_property(number: str) -> None:
    masked = mask_resident_id(number)
    assert len(masked) == len(number)
    assert masked[:6] == number[:6]
    assert masked[-4:] == number[-4:]
    assert set(masked[6:-4]) == {"*"}


@given(st.text(alphabet=st.sampled_from(ID_CHECK_CHARS), max_size=10))
def test_mask_resident_id_hides_short_input_entirely(number: str) -> None:
    """Too short to keep 6 + 4 and still hide something: nothing is shown (lengths 8–10 used to
    come back whole, or with characters repeated)."""
    assert mask_resident_id(number) == "*" * len(number)
