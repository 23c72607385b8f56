"""The one text analysis used for indexing and for queries, identical for every backend.

Text is normalised (NFKC folds full-width forms, OpenCC turns 繁体 into 简体, lower case, the
文号 brackets 〔〕 [] 【】 （） ( ) become 〔〕, zero-width characters go), then cut into tokens:

* a Chinese run of n characters gives n tokens, one starting at each character: the overlapping
  bigrams plus the run's last character alone (城乡低保 → 城乡 乡低 低保 保);
* a run of Latin letters or digits stays one token (2020, pdf).

A query becomes, per whitespace-separated group, a phrase of the same tokens. Because every
character of a document starts a token, any Chinese substring of a field is found by that
phrase; the last token of a group is a prefix when it is a single Chinese character (号 → 号*,
which matches both 号 and 号文). Bigrams were the only design that matched a substring scan
exactly in the measurements (docs/decisions/0008-search-bigrams.md); word segmentation may rank,
never filter.
"""

from __future__ import annotations

import html
import re
import unicodedata
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from typing import Any

from gongkai.core.text import to_simplified

# Han (BMP, extension A, compatibility, supplementary planes), kana and hangul: written without
# spaces, so they are cut into bigrams.
_CJK = "\u3040-\u30ff\u3400-\u4dbf\u4e00-\u9fff\uac00-\ud7af\uf900-\ufaff\U00020000-\U0003134f"
_RUN = re.compile(f"([{_CJK}]+)|([0-9a-z]+)")
_CJK_CHAR = re.compile(f"[{_CJK}]")
_ZERO_WIDTH = re.compile("[\u00ad\u200b\u200c\u200d\u2060\ufeff]")
_BRACKETS = str.maketrans(
    {
        "[": "〔",
        "]": "〕",
        "【": "〔",
        "】": "〕",
        "(": "〔",
        ")": "〕",
        "〖": "〔",
        "〗": "〕",
        "［": "〔",
        "］": "〕",
        "（": "〔",
        "）": "〕",
    }
)
# A token longer than this (a hash, base64 residue) is cut: PostgreSQL refuses lexemes over 2 KB.
MAX_TOKEN_CHARS = 64
# OpenCC t2s needs up to three passes to reach its fixed point (see gongkai.core.text.normalize).
_MAX_T2S_PASSES = 5


def _simplify(text: str) -> str:
    for _ in range(_MAX_T2S_PASSES):
        simplified = to_simplified(text)
        if simplified == text:
            break
        text = simplified
    return text


# Full-width ASCII (！ to ～) and the ideographic space fold one to one, as NFKC folds them;
# doing it first lets most Chinese text skip the slower full NFKC pass.
_FULL_WIDTH = {**{i: i - 0xFEE0 for i in range(0xFF01, 0xFF5F)}, 0x3000: 0x20}
_HAS_FULL_WIDTH = re.compile("[\uff01-\uff5e\u3000]")
_FULL_WIDTH_ALNUM = re.compile("[\uff10-\uff19\uff21-\uff3a\uff41-\uff5a]")
_HAS_BRACKET = re.compile("[\\[\\]【】()〖〗［］（）]")


def _fold(text: str, found: re.Pattern[str], table: dict[int, Any]) -> str:
    """`text.translate(table)` for a table whose outputs are not among its keys. translate
    looks every character up in the dict (a KeyError per miss: 130 µs for 640 characters of
    Chinese); replacing just the few distinct characters present takes a tenth of that."""
    for char in set(found.findall(text)):
        folded = table[ord(char)]
        text = text.replace(char, chr(folded) if isinstance(folded, int) else folded)
    return text


def _fold_full_width(text: str) -> str:
    return _fold(text, _HAS_FULL_WIDTH, _FULL_WIDTH)


def _nfkc_rest(text: str) -> str:
    """NFKC of text whose full-width forms are already folded."""
    if unicodedata.is_normalized("NFKC", text):
        return text
    return unicodedata.normalize("NFKC", text)


def _nfkc(text: str) -> str:
    return _nfkc_rest(_fold_full_width(text))


def _step(
    text: str, origin: list[int] | None, whole: Callable[[str], str]
) -> tuple[str, list[int] | None]:
    """Apply `whole` to the text, keeping each output character's origin in the raw text.

    When the transform keeps the length (nearly always: full-width and 繁体 characters map one to
    one) the positions stay as they are; otherwise it is applied character by character.
    """
    out = whole(text)
    if len(out) == len(text):
        return out, origin
    chars: list[str] = []
    new_origin: list[int] = []
    for i, ch in enumerate(text):
        piece = whole(ch)
        chars.append(piece)
        new_origin.extend([origin[i] if origin is not None else i] * len(piece))
    return "".join(chars), new_origin


def normalize_with_offsets(raw: str) -> tuple[str, list[int] | None]:
    """The normalised text and, for each of its characters, the index of the raw character it
    came from (None when the two line up one to one)."""
    text, origin, _ = normalize_checked(raw)
    return text, origin


def normalize_checked(raw: str) -> tuple[str, list[int] | None, bool]:
    """`normalize_with_offsets`, and whether the text is *plain*: normalising it changed no
    Chinese character, letter or digit and moved nothing; it only folded punctuation one to one
    (，→ , and （→〔). In a plain text a query group of Chinese characters, letters and digits
    occurs exactly where it occurs in the normalised text, so snippets of plain parts skip the
    normalisation (`plain=True` below). Computed at indexing, where the text is normalised
    anyway."""
    if not raw:
        return "", None, True
    text, origin = raw, None
    plain = _FULL_WIDTH_ALNUM.search(raw) is None
    if _ZERO_WIDTH.search(text):
        text, origin = _step(text, origin, lambda s: _ZERO_WIDTH.sub("", s))
        plain = False
    text, origin = _step(text, origin, _fold_full_width)
    for whole in (_nfkc_rest, _simplify, str.lower):
        changed, origin = _step(text, origin, whole)
        plain = plain and changed == text
        text = changed
    text = _fold(text, _HAS_BRACKET, _BRACKETS)
    return text, origin, plain


def normalize_text(raw: str) -> str:
    """The normalised form of a document field or a query: the text that tokens are cut from."""
    return normalize_with_offsets(raw)[0]


def _run_tokens(run: str) -> list[str]:
    return [run[i : i + 2] for i in range(len(run))]


def tokens(raw: str) -> list[str]:
    """Index tokens of one field, in order (a token's position is its index)."""
    return normalized_tokens(normalize_text(raw))


def normalized_tokens(norm: str) -> list[str]:
    """`tokens` of text that is already normalised."""
    out: list[str] = []
    for cjk, word in _RUN.findall(norm):
        if cjk:
            out.extend(_run_tokens(cjk))
        else:
            out.append(word[:MAX_TOKEN_CHARS])
    return out


def token_text(raw: str) -> str:
    """Tokens separated by spaces: what the engines index (FTS5 unicode61 keeps them whole)."""
    return " ".join(tokens(raw))


@dataclass(frozen=True)
class Phrase:
    """One group of the query: its tokens must appear consecutively, the last one possibly as a
    prefix. `text` is the normalised group, used to highlight it."""

    tokens: tuple[str, ...]
    prefix: bool
    text: str


def parse_query(raw: str) -> tuple[Phrase, ...]:
    """Whitespace-separated groups, all required (AND); each a phrase of tokens.

    In a group every Chinese run yields all its tokens except that the last run drops its final
    single character (already covered by the bigram before it) or, if that run is one character
    long, keeps it as a prefix.
    """
    phrases: list[Phrase] = []
    for group in normalize_text(raw).split():
        runs = _RUN.findall(group)
        if not runs:
            continue
        toks: list[str] = []
        prefix = False
        for index, (cjk, word) in enumerate(runs):
            last = index == len(runs) - 1
            if not cjk:
                toks.append(word[:MAX_TOKEN_CHARS])
            elif not last:
                toks.extend(_run_tokens(cjk))
            elif len(cjk) == 1:
                toks.append(cjk)
                prefix = True
            else:
                toks.extend(_run_tokens(cjk)[:-1])
        phrases.append(Phrase(tuple(toks), prefix, group))
    return tuple(phrases)


# --- 文号 (document numbers) -----------------------------------------------------------------

_DOCNO = re.compile(r"^(\D*?)〔?((?:19|20)\d{2})〕?(?:年)?第?0*(\d+)号$")


def docno_key(raw: str) -> str:
    """A canonical key for a 文号: 长府办〔2020〕12号, 长府办[2020]12号, 長府辦（2020）12號 and
    长府办2020 12号 all give 长府办|2020|12. Anything else gives its compact normalised form."""
    return normalized_docno_key(normalize_text(raw))


def normalized_docno_key(norm: str) -> str:
    """`docno_key` of text that is already normalised."""
    compact = "".join(norm.split())
    match = _DOCNO.match(compact)
    if not match:
        return compact
    prefix, year, number = match.groups()
    return f"{prefix}|{year}|{int(number)}"


def looks_like_docno(raw: str) -> bool:
    """A complete 文号 (issuer prefix, year, number): answered from the key column first."""
    key = docno_key(raw)
    return key.count("|") == 2 and bool(key.split("|", 1)[0])


# A 文号's year and number as they appear in the token stream: the tokens year (19xx/20xx), then
# optionally the run 年, 年第 or 第, then the number, then a token starting with 号, with nothing
# but punctuation or spaces between them. Written against token boundaries, so every text whose
# tokens contain a phrase like 〔2020〕12号 yields (2020, 12); the lookahead finds overlapping ones.
_GAP = f"[^{_CJK}0-9a-z]*"
_DOCNO_TAIL = re.compile(
    rf"(?=(?<![0-9a-z])((?:19|20)\d\d)(?![0-9a-z]){_GAP}"
    rf"(?:(?:年第?|第)(?![{_CJK}]){_GAP})?(\d{{1,9}})(?![0-9a-z]){_GAP}号)"
)


def document_number_tails(norm: str) -> set[tuple[int, int]]:
    """(year, number) of every 文号-like run in normalised text: what the reference table holds,
    so that a query containing one is answered from a B-tree instead of the `号*` prefix."""
    if "号" not in norm:  # the regex tries every position; most text has no 号 at all
        return set()
    return {(int(year), int(number)) for year, number in _DOCNO_TAIL.findall(norm)}


def query_tail(phrases: Iterable[Phrase]) -> tuple[int, int] | None:
    """The (year, number) inside one group of the query, if any: every text matching that group
    contains the same tokens, so it holds a reference with this tail."""
    for phrase in phrases:
        tails = sorted(document_number_tails(phrase.text))
        if tails:
            return tails[0]
    return None


def phrase_in(toks: list[str], phrase: Phrase) -> bool:
    """Whether the phrase's tokens occur consecutively in `toks` (the last one as a prefix when
    the phrase says so): the engines' own rule, for checking a few candidates in Python."""
    want = phrase.tokens
    n = len(want)
    if n == 0:
        return True
    last = n - 1

    def same(tok: str, k: int) -> bool:
        return tok.startswith(want[k]) if phrase.prefix and k == last else tok == want[k]

    if phrase.prefix and n == 1:
        return any(tok.startswith(want[0]) for tok in toks)
    start = 0
    while True:
        try:
            i = toks.index(want[0], start)
        except ValueError:
            return False
        if i + n <= len(toks) and all(same(toks[i + k], k) for k in range(1, n)):
            return True
        start = i + 1


# --- highlighting ----------------------------------------------------------------------------

SNIPPET_CHARS = 160


def _match_spans(norm: str, phrases: Iterable[Phrase]) -> list[tuple[int, int]]:
    """Spans of the normalised text to mark: each group where it occurs literally; a group that
    matched across punctuation (2020-12号 for 〔2020〕12号) is marked run by run. A text the
    group does not match at all (the hit was its title or 文号) marks nothing of it, not every
    stray 2020."""
    spans: list[tuple[int, int]] = []
    for phrase in phrases:
        found = _find_all(norm, phrase.text)
        if not found and phrase_in(normalized_tokens(norm), phrase):
            for cjk, word in _RUN.findall(phrase.text):
                found.extend(_find_all(norm, cjk or word))
        spans.extend(found)
    return _merge(spans)


def _merge(spans: list[tuple[int, int]]) -> list[tuple[int, int]]:
    merged: list[tuple[int, int]] = []
    for start, end in sorted(spans):
        if merged and start <= merged[-1][1]:
            merged[-1] = (merged[-1][0], max(end, merged[-1][1]))
        else:
            merged.append((start, end))
    return merged


def _find_all(text: str, needle: str) -> list[tuple[int, int]]:
    out: list[tuple[int, int]] = []
    if not needle:
        return out
    start = text.find(needle)
    while start >= 0:
        out.append((start, start + len(needle)))
        start = text.find(needle, start + 1)
    return out


def _raw_spans(raw: str, norm: str, origin: list[int] | None, spans: list[tuple[int, int]]):
    if origin is None:
        return spans
    out = []
    for start, end in spans:
        raw_end = origin[end] if end < len(norm) else len(raw)
        out.append((origin[start], max(raw_end, origin[start] + 1)))
    return out


# A group found by plain string search in a plain text: one run of Chinese or of letters and
# digits (a mixed group may match across punctuation, 2020年 in "2020，年", run by run).
_LITERAL = re.compile(f"[{_CJK}]+|[0-9a-z]+")


def _literal_spans(raw: str, phrases: list[Phrase]) -> list[tuple[int, int]] | None:
    """`_match_spans` of a plain text without normalising it, or None if a group needs the
    normalised text."""
    if not all(_LITERAL.fullmatch(p.text) for p in phrases):
        return None
    return _merge([span for p in phrases for span in _find_all(raw, p.text)])


def highlight(raw: str, phrases: Iterable[Phrase], *, plain: bool = False) -> str:
    """HTML-escaped `raw` with every matched query group in <mark>; `plain` as given by
    `normalize_checked` for this text."""
    phrases = list(phrases)
    spans = _literal_spans(raw, phrases) if plain else None
    if spans is None:
        norm, origin = normalize_with_offsets(raw)
        spans = _raw_spans(raw, norm, origin, _match_spans(norm, phrases))
    parts: list[str] = []
    cursor = 0
    for start, end in spans:
        parts += [html.escape(raw[cursor:start]), "<mark>", html.escape(raw[start:end]), "</mark>"]
        cursor = end
    parts.append(html.escape(raw[cursor:]))
    return "".join(parts)


def snippet(
    raw: str, phrases: Iterable[Phrase], width: int = SNIPPET_CHARS, *, plain: bool = False
) -> str:
    """About `width` characters of `raw` around the first match, highlighted and escaped, with
    … where text was cut. The text is normalised a slice at a time, so a match near the start
    of a long part costs little; a plain text (`normalize_checked`) is not normalised at all."""
    phrases = list(phrases)
    first = 0
    spans = _literal_spans(raw, phrases) if plain else None
    if spans is not None:
        first = spans[0][0] if spans else 0
    else:
        overlap = max((len(p.text) for p in phrases), default=0)
        step = 4 * width
        for start in range(0, max(1, len(raw)), step):
            piece = raw[start : start + step + overlap]
            norm, origin = normalize_with_offsets(piece)
            found = _raw_spans(piece, norm, origin, _match_spans(norm, phrases))
            if found:
                first = start + found[0][0]
                break
    lo = max(0, first - width // 4)
    hi = min(len(raw), lo + width)
    lo = max(0, hi - width)
    body = highlight(raw[lo:hi], phrases, plain=plain)
    text = ("…" if lo > 0 else "") + body + ("…" if hi < len(raw) else "")
    return " ".join(text.split())


def contains_cjk(text: str) -> bool:
    return bool(_CJK_CHAR.search(text))
