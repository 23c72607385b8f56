"""The analysis shared by indexing and queries: bigram phrases find exactly the substrings."""

from __future__ import annotations

from collections.abc import Sequence

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from gongkai.search import analysis
from gongkai.search.analysis import (
    Phrase,
    docno_key,
    document_number_tails,
    highlight,
    looks_like_docno,
    normalize_text,
    parse_query,
    query_tail,
    tokens,
)
from gongkai.search.analysis import snippet as make_snippet

# A small alphabet so that random texts repeat characters and bigrams, as real text does.
CJK = "低保城乡工作政府信息公开号办"
SEPARATORS = "，。〔〕 ()12"


def phrase_in(doc: Sequence[str], phrase: Phrase) -> bool:
    """What every engine does with a phrase: consecutive tokens, the last one maybe a prefix."""
    n = len(phrase.tokens)
    for i in range(len(doc) - n + 1):
        head_ok = all(doc[i + j] == phrase.tokens[j] for j in range(n - 1))
        last = doc[i + n - 1]
        tail = phrase.tokens[-1]
        if head_ok and (last.startswith(tail) if phrase.prefix else last == tail):
            return True
    return False


def query_matches(text: str, query: str) -> bool:
    doc = tokens(text)
    phrases = parse_query(query)
    return bool(phrases) and all(phrase_in(doc, p) for p in phrases)


@settings(max_examples=400)
@given(st.text(alphabet=CJK + SEPARATORS, min_size=1, max_size=40), st.data())
def test_every_substring_of_a_document_finds_it(text: str, data: st.DataObject) -> None:
    """Recall equals substring containment: any piece of the text that holds a Chinese
    character, typed as the query, matches the document."""
    start = data.draw(st.integers(0, len(text) - 1))
    end = data.draw(st.integers(start + 1, len(text)))
    query = text[start:end].strip()
    if not any(ch in CJK for ch in query) or " " in query:
        return
    # Digits are whole tokens: a query that cuts a number in two is not a substring search.
    if (start > 0 and text[start - 1].isdigit() and query[0].isdigit()) or (
        end < len(text) and text[end].isdigit() and query[-1].isdigit()
    ):
        return
    assert query_matches(text, query)


@settings(max_examples=400)
@given(
    st.text(alphabet=CJK, min_size=1, max_size=30), st.text(alphabet=CJK, min_size=1, max_size=6)
)
def test_on_chinese_text_a_match_is_exactly_a_substring(text: str, query: str) -> None:
    """No false positives either: on a run of Chinese characters the phrase of bigrams matches
    if and only if the query occurs in the text."""
    assert query_matches(text, query) == (query in text)


def test_two_character_terms_are_found_inside_longer_words() -> None:
    """低保 is the typical query: it must find 城乡低保, 低保户 and 最低保障 (substring, not word)."""
    for text in ("城乡低保工作", "低保户名单", "最低保障线", "低保"):
        assert query_matches(text, "低保"), text
    assert not query_matches("最低生活保障", "低保")


def test_single_character_query_finds_the_character_anywhere() -> None:
    for text in ("号", "文号", "号文", "第12号。"):
        assert query_matches(text, "号"), text


def test_traditional_query_finds_simplified_text() -> None:
    """繁体 input (OpenCC t2s) and full-width digits give the same tokens as 简体."""
    assert tokens("政府信息公開２０２０年") == tokens("政府信息公开2020年")
    assert query_matches("依申请公开政府信息", "依申請公開")


def test_groups_separated_by_spaces_must_all_occur() -> None:
    assert query_matches("城乡低保工作的通知", "低保 通知")
    assert not query_matches("城乡低保工作的通知", "低保 公告")


def test_document_number_variants_share_one_key() -> None:
    key = docno_key("长府办〔2020〕12号")
    assert key == "长府办|2020|12"
    for variant in (
        "长府办[2020]12号",
        "長府辦〔2020〕12號",
        "长府办【2020】12号",
        "长府办（２０２０）１２号",
        "长府办(2020)012号",
        "长府办 2020 12号",
        "长府办〔2020〕第12号",
    ):
        assert docno_key(variant) == key, variant
    assert docno_key("长府办〔2020〕121号") != key
    assert looks_like_docno("長府辦〔2020〕12號")
    assert not looks_like_docno("〔2020〕12号")  # no issuer: full text, not the key
    assert not looks_like_docno("低保")


def test_document_number_query_matches_any_bracket_form_in_text() -> None:
    assert query_matches("根据长府办[2020]12号文件", "长府办〔2020〕12号")
    assert not query_matches("根据长府办〔2020〕123号文件", "长府办〔2020〕12号")


def test_document_number_tails_are_found_in_every_written_form() -> None:
    for text in (
        "根据长府办〔2020〕12号文件精神",
        "長府辦[2020]12號",
        "2020年第12号公告",
        "2020年12号",
        "（2020）012号",
        "2019〕2020〕12号",
    ):
        assert (2020, 12) in document_number_tails(normalize_text(text)), text
    for text in ("202012号", "2020年度12号", "x2020〕12号", "〔2020〕12项", "低保"):
        assert (2020, 12) not in document_number_tails(normalize_text(text)), text
    assert query_tail(parse_query("临府办 〔2020〕12号文")) == (2020, 12)
    assert query_tail(parse_query("〔2020〕 12号")) is None  # split over two groups
    assert query_tail(parse_query("12号")) is None


PIECES = ["长府办", "〔", "〕", "[", "2020", "2019", "12", "012", "7", "号", "年", "第", "文件"]
PIECES += [" ", "，", "-", "a", "度"]


@settings(max_examples=600)
@given(st.lists(st.sampled_from(PIECES), min_size=1, max_size=14), st.data())
def test_a_text_matching_a_document_number_query_holds_its_reference(
    pieces: list[str], data: st.DataObject
) -> None:
    """The reference table is a complete candidate set: whenever a query naming a 文号 matches
    a text by the engines' rule, the text's references include the query's year and number.
    The Python phrase check agrees with the plain reference implementation above."""
    text = "".join(pieces)
    start = data.draw(st.integers(0, len(pieces) - 1))
    query = "".join(pieces[start : data.draw(st.integers(start + 1, len(pieces)))])
    doc = tokens(text)
    phrases = parse_query(query)
    for phrase in phrases:
        assert analysis.phrase_in(doc, phrase) == phrase_in(doc, phrase)
    tail = query_tail(phrases)
    if tail is not None and phrases and all(phrase_in(doc, p) for p in phrases):
        assert tail in document_number_tails(normalize_text(text))


def test_normalisation_folds_case_width_and_brackets() -> None:
    assert normalize_text("ＰＤＦ附件【一】") == "pdf附件〔一〕"
    assert normalize_text("政府\u200b信息") == "政府信息"


def test_highlight_marks_matches_in_the_raw_text_and_escapes_html() -> None:
    html = highlight("<b>關於</b>城乡低保工作", parse_query("关于 低保"))
    assert html == "&lt;b&gt;<mark>關於</mark>&lt;/b&gt;城乡<mark>低保</mark>工作"


def test_highlight_maps_offsets_when_normalisation_changes_length() -> None:
    """㈠ becomes (一) and a zero-width space disappears: marks still land on the raw text."""
    html = highlight("㈠政府\u200b信息公开", parse_query("信息公开"))
    assert html.endswith("<mark>信息公开</mark>")


def test_snippet_window_centres_on_the_first_match() -> None:
    text = "前言" * 200 + "最低生活保障标准" + "结语" * 200
    snippet = make_snippet(text, parse_query("保障"), width=60)
    assert "<mark>保障</mark>" in snippet
    assert snippet.startswith("…") and snippet.endswith("…")
    assert len(snippet) < 100


@settings(max_examples=300)
@given(st.text(alphabet=st.characters(codec="utf-8"), max_size=30))
def test_fast_width_folding_equals_nfkc(text: str) -> None:
    """The full-width shortcut taken before NFKC gives exactly NFKC's result."""
    import unicodedata

    from gongkai.search.analysis import _nfkc

    assert _nfkc(text) == unicodedata.normalize("NFKC", text)


@settings(max_examples=200)
@given(st.text(alphabet=CJK + "ＡＢ１２（）【】長府辦號\u3000 ", max_size=30))
def test_highlight_never_loses_or_adds_text(text: str) -> None:
    """Removing the marks and unescaping gives back the raw text, whatever was matched."""
    import html as html_module

    marked = highlight(text, parse_query("低保 号"))
    assert html_module.unescape(marked.replace("<mark>", "").replace("</mark>", "")) == text


# Raw text as documents have it: simplified and traditional, full- and half-width letters and
# digits, punctuation of both widths, upper case, a zero-width space.
RAW = CJK + "長府辦號ＡＢＣａ１２ABCabc12，。：（）【】〔〕[]()\u3000\u200b -"


@settings(max_examples=500)
@given(
    st.text(alphabet=RAW, max_size=60),
    st.lists(st.text(alphabet=CJK + "低保ab12〔", min_size=1, max_size=4), min_size=1, max_size=3),
)
def test_a_plain_text_is_highlighted_the_same_without_normalising(
    text: str, groups: list[str]
) -> None:
    """`plain` lets highlighting skip the normalisation: it must change nothing, and a text
    normalisation changed beyond punctuation must not count as plain."""
    norm, origin, plain = analysis.normalize_checked(text)
    assert (norm, origin) == analysis.normalize_with_offsets(text)
    changed_letters = [
        (a, b) for a, b in zip(text, norm, strict=False) if a != b and (a.isalnum() or b.isalnum())
    ]
    if plain:
        assert len(norm) == len(text) and not changed_letters
    phrases = parse_query(" ".join(groups))
    if not phrases or not plain:
        return
    assert highlight(text, phrases, plain=True) == highlight(text, phrases)
    assert make_snippet(text, phrases, 20, plain=True) == make_snippet(text, phrases, 20)


def test_plain_means_only_punctuation_was_folded() -> None:
    assert analysis.normalize_checked("关于（2024）年度，城乡低保。")[2]
    for not_plain in ("長府辦", "ＡＢ１２", "GDP", "低\u200b保"):
        assert not analysis.normalize_checked(not_plain)[2], not_plain


@settings(max_examples=300)
@given(
    st.text(
        alphabet=st.sampled_from("低保城乡號辦工作 ，。（）〔〕[]ＡＢab12３\u200b\u3000-\n"),
        max_size=60,
    ),
    st.text(max_size=20),
)
def test_prepared_tokens_equal_the_tokens_of_each_field(text: str, title: str) -> None:
    """What the rebuild's worker processes send back (tokens as one string) splits back into
    exactly the tokens the engines would get from the text itself."""
    from gongkai.search.prepare import prepare

    ready = prepare(title, "临府办〔2020〕12号", [text, ""])

    def split(token_text: str) -> list[str]:  # as FTS5, tantivy and PostgreSQL read it
        return token_text.split()

    assert split(ready.title_token_text) == analysis.tokens(title)
    assert [split(part.token_text) for part in ready.parts] == [analysis.tokens(text), []]
    assert ready.parts[0].plain == analysis.normalize_checked(text)[2]
    assert (2020, 12) in ready.head_tails


def test_rebuild_workers_setting() -> None:
    from gongkai.search.prepare import worker_count

    assert [worker_count("auto", cpus) for cpus in (1, 2, 3, 16)] == [1, 1, 2, 4]
    assert worker_count("0") == 0 and worker_count(" 3 ") == 3
    with pytest.raises(ValueError):
        worker_count("-1")
