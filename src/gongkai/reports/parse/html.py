"""Read a report published as HTML: a full web page (the report inside the site's layout) or
a fragment of the report's own markup. Tables keep their rowspan/colspan and are rebuilt as
grids; everything else becomes lines of text for the title and the narrative sections."""

from __future__ import annotations

import re

from bs4 import BeautifulSoup, NavigableString, Tag
from bs4.element import PreformattedString

from gongkai.core.text import collapse_whitespace
from gongkai.reports.parse import ParseResult
from gongkai.reports.parse.grid import Grid, Part, SourceCell, build_grid, report_from_parts

_SKIP = {
    "script",
    "style",
    "noscript",
    "template",
    "head",
    "iframe",
    "select",
    "button",
    "svg",
    "form",
}
_BLOCK = {
    "address",
    "article",
    "aside",
    "blockquote",
    "dd",
    "div",
    "dl",
    "dt",
    "footer",
    "h1",
    "h2",
    "h3",
    "h4",
    "h5",
    "h6",
    "header",
    "hr",
    "li",
    "main",
    "nav",
    "ol",
    "p",
    "pre",
    "section",
    "table",
    "tbody",
    "td",
    "th",
    "thead",
    "tr",
    "ul",
}
# Content areas of the publishing systems used by government sites (TRS WCM and others).
_CONTAINERS = (".TRS_Editor", ".TRS_UEDITOR", ".Custom_UnionStyle", "#zoom", "#UCAP-CONTENT")
_REPORT_TABLE = re.compile(r"第二十条|申请人情况|本年新收|行政复议")
_OVERVIEW = re.compile(r"一\s*[、.．]\s*总体情况")
_TITLE = re.compile(r"政府信息公开.{0,8}年度?报告")
_TITLE_SPLIT = re.compile(r"[_|｜]|\s-\s")


def parse_html(text: str, source: str = "") -> ParseResult:
    soup = BeautifulSoup(text, "html.parser")
    container = _container(soup)
    return report_from_parts(
        _parts(container),
        source=source,
        detected_format="html",
        title=_page_title(soup, container),
    )


def _container(soup: BeautifulSoup) -> Tag:
    """The element holding the report: a known content area that holds the report's tables,
    else the smallest element holding those tables and the first heading, else the page."""
    tables: list[Tag] = [
        t
        for t in soup.find_all("table")
        if isinstance(t, Tag) and not t.find("table") and _REPORT_TABLE.search(t.get_text())
    ]
    for selector in _CONTAINERS:
        found = soup.select_one(selector)
        if found is None or not all(found in t.parents for t in tables):
            continue
        if tables or _OVERVIEW.search(found.get_text()):
            return found
    anchors = list(tables)
    heading = soup.find(string=_OVERVIEW)
    if heading is not None and isinstance(heading.parent, Tag):
        anchors.append(heading.parent)
    if len(anchors) > 1:  # a single anchor is no container
        for candidate in [anchors[0], *anchors[0].parents]:
            if all(a is candidate or candidate in a.parents for a in anchors[1:]):
                return candidate
    return soup.body or soup


def _page_title(soup: BeautifulSoup, container: Tag) -> str:
    """The report title when it sits outside the content area: the page's <title>, a heading,
    an element styled as a title, and only then any short line of the page that reads like one
    (sidebars may list other years' reports)."""
    candidates: list[Tag | None] = [soup.title, *soup.find_all(["h1", "h2"])]
    candidates += soup.select("[class*=title]")
    for element in candidates:
        if element is None:
            continue
        for piece in _TITLE_SPLIT.split(collapse_whitespace(element.get_text(" "))):
            if _TITLE.search(piece) and len(piece) <= 80:
                return piece.strip()
    if _TITLE.search(container.get_text()):
        return ""
    for string in soup.find_all(string=_TITLE):
        text = collapse_whitespace(str(string))
        if len(text) <= 80 and not isinstance(string, PreformattedString):
            return text
    return ""


def _parts(root: Tag) -> list[Part]:
    """Lines of text and table grids, in document order."""
    parts: list[Part] = []
    line: list[str] = []

    def flush() -> None:
        text = collapse_whitespace("".join(line))
        line.clear()
        if text:
            parts.append(text)

    def walk(node: Tag) -> None:
        for child in node.children:
            if isinstance(child, PreformattedString):  # comments, doctype, CDATA
                continue
            if isinstance(child, NavigableString):
                line.append(str(child))
                continue
            if not isinstance(child, Tag) or child.name in _SKIP:
                continue
            if child.name == "table" and not child.find("table"):
                flush()
                parts.append(_grid(child))
            elif child.name == "br":
                flush()
            elif child.name in _BLOCK:
                flush()
                walk(child)
                flush()
            else:
                walk(child)

    walk(root)
    flush()
    return parts


def _span(cell: Tag, name: str) -> int:
    match = re.match(r"\s*(\d+)", str(cell.get(name) or ""))
    return int(match.group(1)) if match else 1


def _grid(table: Tag) -> Grid:
    rows = []
    for tr in table.find_all("tr"):
        if not isinstance(tr, Tag) or tr.find_parent("table") is not table:
            continue
        rows.append(
            [
                SourceCell(cell.get_text(""), _span(cell, "rowspan"), _span(cell, "colspan"))
                for cell in tr.find_all(["td", "th"], recursive=False)
                if isinstance(cell, Tag)
            ]
        )
    return build_grid(rows)
