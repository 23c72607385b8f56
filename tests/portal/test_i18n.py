"""Interface languages: Simplified Chinese by default, English on request.

The msgids are the Chinese text itself, so Chinese needs no catalogue; the English catalogue
(src/gongkai/locale/en) is committed with its compiled .mo because users' machines have no
gettext tools. After changing interface text, update both from the package folder:

    cd src/gongkai && gongkai makemessages -l en && gongkai compilemessages -l en
"""

from __future__ import annotations

import gettext
import re
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pytest
from bs4 import BeautifulSoup
from django.conf import settings
from django.http import HttpResponse
from django.template.loader import get_template
from django.test import RequestFactory
from django.utils import translation

from gongkai.orgs.passwords import CharacterClassValidator
from gongkai.portal.context_processors import reading_preferences
from gongkai.portal.middleware import ReadingPreferencesMiddleware
from tests.conftest import District
from tests.portal.test_portal import Page, make_org

PACKAGE_DIR = Path(settings.LOCALE_PATHS[0]).parent
PO_FILE = PACKAGE_DIR / "locale" / "en" / "LC_MESSAGES" / "django.po"
MO_FILE = PO_FILE.with_suffix(".mo")
TEMPLATE_DIRS = [
    PACKAGE_DIR / "portal" / "templates",
    PACKAGE_DIR / "console" / "templates",
]


@pytest.fixture(autouse=True)
def _reset_language() -> Iterator[None]:
    """LocaleMiddleware activates the request's language for the whole thread; put the
    default back so that later tests rendering without a request see Chinese."""
    yield
    translation.deactivate()


def english(client: Any) -> Any:
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    return client


def lang_of(html: str) -> str:
    return Page(html).find("html")[0]["lang"]


# --- rendering --------------------------------------------------------------------------------


@pytest.mark.django_db
class TestDefaultLanguage:
    def test_portal_is_chinese_by_default(self, client):
        response = client.get("/")
        html = response.content.decode()
        assert lang_of(html) == "zh-Hans"
        assert "跳到主要内容" in html
        assert "Skip to main content" not in html
        assert Page(html).texts("h1") == ["政府信息公开"]
        assert response["Content-Language"] == "zh-hans"

    def test_console_login_is_chinese_by_default(self, client):
        html = client.get("/console/login/").content.decode()
        assert lang_of(html) == "zh-Hans"
        assert "工作人员登录" in html
        assert "用户名" in html  # Django's own zh-hans catalogue


@pytest.mark.django_db
class TestEnglish:
    def test_portal_home_in_english(self, client):
        make_org("上海市长宁区人民政府", "MB2F0101")
        response = english(client).get("/")
        html = response.content.decode()
        page = Page(html)
        assert lang_of(html) == "en"
        assert response["Content-Language"] == "en"
        assert "Skip to main content" in html
        assert page.texts("h1") == ["Government Information Disclosure"]
        assert page.texts("title")[0].startswith("Home")
        assert "Disclosure on Application" in html
        assert "跳到主要内容" not in html
        # Content is not interface text: organisation names stay as entered.
        assert "上海市长宁区人民政府" in html

    def test_application_error_summary_in_english(self, client):
        """The error summary of the public form reads as English, colon included."""
        make_org("上海市长宁区人民政府", "MB2F0101")
        html = english(client).post("/apply/", {}).content.decode()
        box = BeautifulSoup(html, "html.parser").select_one(".error-summary")
        assert box is not None
        summary = " ".join(li.get_text(" ", strip=True) for li in box.select("li"))
        assert summary, "the form should list what to fix"
        assert "：" not in summary
        assert ": " in summary

    def test_console_login_in_english(self, client):
        html = english(client).get("/console/login/").content.decode()
        page = Page(html)
        assert lang_of(html) == "en"
        assert page.texts("h1") == ["Staff log-in"]
        assert "Log in" in html
        assert "Username" in html and "Password" in html  # Django's own catalogue
        assert "工作人员登录" not in html

    def test_console_pages_in_english(self, client, district: District):
        client.force_login(district.officer_a)
        html = english(client).get("/console/").content.decode()
        assert lang_of(html) == "en"
        assert Page(html).texts("h1") == ["Console"]
        assert "My roles" in html
        assert "Information Officer" in html  # Role choices from orgs.constants

    def test_browser_language_is_followed(self, client):
        response = client.get("/", headers={"accept-language": "en-GB,en;q=0.9"})
        assert lang_of(response.content.decode()) == "en"
        response = client.get("/", headers={"accept-language": "zh-CN,zh;q=0.9"})
        assert lang_of(response.content.decode()) == "zh-Hans"

    def test_error_pages_in_english(self, client):
        response = english(client).get("/no-such-page/")
        assert response.status_code == 404
        page = Page(response.content.decode())
        assert page.texts("h1") == ["Page not found"]
        assert page.find("html")[0]["lang"] == "en"

    def test_server_error_page_follows_the_active_language(self):
        with translation.override("en"):
            page = Page(get_template("500.html").render())
        assert page.find("html")[0]["lang"] == "en"
        assert page.texts("h1") == ["Server error"]
        page = Page(get_template("500.html").render())
        assert page.find("html")[0]["lang"] == "zh-Hans"
        assert page.texts("h1") == ["服务器错误"]

    def test_password_rule_in_english(self):
        validator = CharacterClassValidator(required=4)
        assert (
            validator.get_help_text()
            == "密码须至少包含大写字母、小写字母、数字、特殊符号中的 4 类。"
        )
        with translation.override("en"):
            assert validator.get_help_text() == (
                "The password must contain characters from at least 4 of these classes: "
                "upper-case letters, lower-case letters, digits, symbols."
            )


@pytest.mark.django_db
class TestLanguageSwitch:
    @pytest.mark.parametrize("url", ["/", "/console/login/"])
    def test_switch_is_a_pair_of_links(self, client, url):
        """Works without JavaScript and sets no CSRF cookie on public pages."""
        response = client.get(url)
        page = Page(response.content.decode())
        links = {
            attrs["href"].split("lang=")[1].split("&")[0]: attrs
            for tag, attrs in page.tags
            if tag == "a" and "lang=" in attrs.get("href", "")
        }
        assert set(links) == {"zh-hans", "en"}
        assert links["zh-hans"].get("aria-current") == "true"
        assert "aria-current" not in links["en"]
        if url == "/":
            assert settings.CSRF_COOKIE_NAME not in response.cookies

    def test_switching_sets_the_cookie_and_returns(self, client):
        response = client.get("/prefs/", {"lang": "en", "next": "/?page=2"})
        assert response.status_code == 302
        assert response["Location"] == "/?page=2"
        assert response.cookies[settings.LANGUAGE_COOKIE_NAME].value == "en"
        assert lang_of(client.get("/").content.decode()) == "en"
        client.get("/prefs/", {"lang": "zh-hans", "next": "/"})
        assert lang_of(client.get("/").content.decode()) == "zh-Hans"

    def test_refuses_off_site_next_and_unknown_language(self, client):
        response = client.get("/prefs/", {"lang": "en", "next": "https://evil.example/"})
        assert response["Location"] == "/"
        response = client.get("/prefs/", {"lang": "fr", "next": "/"})
        assert settings.LANGUAGE_COOKIE_NAME not in response.cookies


@pytest.mark.django_db
class TestTraditionalPreference:
    def test_english_page_is_not_converted(self, client):
        make_org("上海市长宁区人民政府", "MB2F0102")
        client.cookies["gk_script"] = "hant"
        html = english(client).get("/").content.decode()
        assert lang_of(html) == "en"
        assert "上海市长宁区人民政府" in html  # not converted to 長寧區
        assert "上海市長寧區人民政府" not in html

    def test_chinese_page_still_converted(self, client):
        client.cookies["gk_script"] = "hant"
        html = client.get("/").content.decode()
        assert lang_of(html) == "zh-Hant"
        assert "政府信息公開" in html

    def test_page_language_is_never_traditional_in_english(self):
        request = RequestFactory().get("/")
        request.COOKIES["gk_script"] = "hant"
        assert reading_preferences(request)["html_lang"] == "zh-Hant"
        with translation.override("en"):
            assert reading_preferences(request)["html_lang"] == "en"

    def test_middleware_skips_english(self):
        request = RequestFactory().get("/")
        request.COOKIES["gk_script"] = "hant"
        request.LANGUAGE_CODE = "en"
        body = "<p>政府信息公开</p>"
        response = ReadingPreferencesMiddleware(
            lambda _request: HttpResponse(body, content_type="text/html; charset=utf-8")
        )(request)
        assert response.content.decode() == body


# --- the catalogue -------------------------------------------------------------------------


@dataclass
class Entry:
    msgid: str = ""
    msgid_plural: str | None = None
    msgstr: dict[int, str] = field(default_factory=dict)
    flags: set[str] = field(default_factory=set)


_FIELD = re.compile(r'^(msgid|msgid_plural|msgstr(?:\[(\d+)\])?) "(.*)"$')
_ESCAPES = {"n": "\n", "t": "\t", '"': '"', "\\": "\\"}


def _unescape(text: str) -> str:
    return re.sub(r"\\(.)", lambda m: _ESCAPES[m.group(1)], text)


def parse_po(path: Path) -> list[Entry]:
    """A small .po reader: entries with their flags, multi-line strings and plural forms."""
    entries: list[Entry] = []
    entry = Entry()
    target: tuple[str, int] | None = None

    def finish() -> None:
        nonlocal entry, target
        if target is not None:
            entries.append(entry)
        entry, target = Entry(), None

    for line in path.read_text(encoding="utf-8").splitlines():
        line = line.strip()
        if not line:
            finish()
        elif line.startswith("#,"):
            entry.flags.update(flag.strip() for flag in line[2:].split(","))
        elif line.startswith("#"):
            continue
        elif line.startswith('"'):
            assert target is not None, line
            value = _unescape(line[1:-1])
            name, index = target
            if name == "msgid":
                entry.msgid += value
            elif name == "msgid_plural":
                entry.msgid_plural = (entry.msgid_plural or "") + value
            else:
                entry.msgstr[index] += value
        else:
            match = _FIELD.match(line)
            assert match, line
            name, index, value = match.group(1), match.group(2), _unescape(match.group(3))
            if name == "msgid":
                entry.msgid = value
                target = ("msgid", 0)
            elif name == "msgid_plural":
                entry.msgid_plural = value
                target = ("msgid_plural", 0)
            else:
                number = int(index or 0)
                entry.msgstr[number] = value
                target = ("msgstr", number)
    finish()
    return entries


@pytest.fixture(scope="module")
def po_entries() -> list[Entry]:
    entries = parse_po(PO_FILE)
    assert entries and entries[0].msgid == "", "the header comes first"
    return entries[1:]


class TestCatalogue:
    def test_header_declares_english_plurals(self):
        header = parse_po(PO_FILE)[0]
        assert "fuzzy" not in header.flags
        assert "Language: en\n" in header.msgstr[0]
        assert "Plural-Forms: nplurals=2; plural=(n != 1);" in header.msgstr[0]

    def test_every_message_is_translated(self, po_entries):
        assert len(po_entries) > 100
        for entry in po_entries:
            assert "fuzzy" not in entry.flags, entry.msgid
            expected = 2 if entry.msgid_plural is not None else 1
            assert len(entry.msgstr) == expected, entry.msgid
            assert all(text.strip() for text in entry.msgstr.values()), entry.msgid

    def test_no_obsolete_entries(self):
        assert "\n#~ " not in PO_FILE.read_text(encoding="utf-8")

    def test_compiled_catalogue_matches_the_po(self, po_entries):
        """The .mo is committed: it must be recompiled whenever the .po changes."""
        with MO_FILE.open("rb") as handle:
            compiled = gettext.GNUTranslations(handle)
        for entry in po_entries:
            if entry.msgid_plural is None:
                assert compiled.gettext(entry.msgid) == entry.msgstr[0], entry.msgid
            else:
                for n, form in ((1, 0), (2, 1)):
                    got = compiled.ngettext(entry.msgid, entry.msgid_plural, n)
                    assert got == entry.msgstr[form], entry.msgid
        # Nothing in the .mo that the .po no longer has.
        ids = {entry.msgid for entry in po_entries}
        stale = (
            {
                key[0] if isinstance(key, tuple) else key
                for key in compiled._catalog  # type: ignore[attr-defined]
            }
            - ids
            - {""}
        )
        assert not stale, "run compilemessages"

    def test_template_strings_are_in_the_catalogue(self, po_entries):
        """Every {% translate "…" %} in the templates has an entry (makemessages was run)."""
        ids = {entry.msgid for entry in po_entries}
        pattern = re.compile(r"""\{%\s*(?:translate|trans)\s+"([^"]+)"\s*%\}""")
        found = {
            text
            for directory in TEMPLATE_DIRS
            for path in directory.rglob("*.html")
            for text in pattern.findall(path.read_text(encoding="utf-8"))
        }
        assert len(found) > 50
        missing = found - ids
        assert not missing, f"run makemessages and translate: {sorted(missing)}"
