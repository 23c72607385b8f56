"""Portal look and feel: accessibility (GB/T 37668-2019, WCAG 2.1 AA) and 适老化 reading aids
(MIIT 《互联网网站适老化通用设计规范》: 繁體 view, large text), checked on the rendered HTML."""

from __future__ import annotations

from html.parser import HTMLParser

import pytest
from django.http import HttpResponse, StreamingHttpResponse
from django.template.loader import get_template, render_to_string
from django.test import RequestFactory
from django.utils import translation

from gongkai.core.ids import make_credit_code
from gongkai.orgs.models import Organization
from gongkai.portal.context_processors import reading_preferences
from gongkai.portal.middleware import ReadingPreferencesMiddleware
from gongkai.portal.preferences import ReadingPreferences

FOCUSABLE_INPUTS = {"input", "select", "textarea", "button"}


class Page(HTMLParser):
    """Collects the tags of a page in document order, with their attributes."""

    def __init__(self, html: str) -> None:
        super().__init__(convert_charrefs=True)
        self.tags: list[tuple[str, dict[str, str]]] = []
        self.label_targets: set[str] = set()
        self._texts: dict[str, list[str]] = {"title": [], "h1": []}
        self._capturing: str | None = None
        self.link_texts: dict[str, str] = {}
        self._link: str | None = None
        self.feed(html)
        self.close()

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        attributes = {name: value or "" for name, value in attrs}
        self.tags.append((tag, attributes))
        if tag == "label" and attributes.get("for"):
            self.label_targets.add(attributes["for"])
        if tag in self._texts:
            self._texts[tag].append("")
            self._capturing = tag
        if tag == "a":
            self._link = attributes.get("href", "")

    def handle_endtag(self, tag: str) -> None:
        if tag == self._capturing:
            self._capturing = None
        if tag == "a":
            self._link = None

    def handle_data(self, data: str) -> None:
        if self._capturing:
            self._texts[self._capturing][-1] += data
        if self._link is not None and data.strip():
            self.link_texts[data.strip()] = self._link

    def find(self, tag: str) -> list[dict[str, str]]:
        return [attrs for name, attrs in self.tags if name == tag]

    def texts(self, tag: str) -> list[str]:
        return [text.strip() for text in self._texts[tag]]

    def focusable(self) -> list[tuple[str, dict[str, str]]]:
        found = []
        for tag, attrs in self.tags:
            tabindex = attrs.get("tabindex")
            if tabindex is not None and tabindex.lstrip("-").isdigit() and int(tabindex) < 0:
                continue
            if (
                (tag == "a" and "href" in attrs)
                or (tag in FOCUSABLE_INPUTS and attrs.get("type") != "hidden")
                or tabindex is not None
            ):
                found.append((tag, attrs))
        return found


def make_org(name: str, body: str, parent: Organization | None = None, **extra) -> Organization:
    fields = {
        "name": name,
        "org_type": "government" if parent is None else "department",
        "credit_code": make_credit_code("310105", body),
        **extra,
    }
    if parent is None:
        return Organization.objects.add_root(fields)
    return Organization.objects.add_child(parent, fields)


@pytest.fixture
def organisations(db) -> dict[str, Organization]:
    district = make_org("上海市长宁区人民政府", "MB2F0001")
    return {
        "district": district,
        "office": make_org("上海市长宁区人民政府办公室", "MB2F0002", district),
        "closed": make_org("上海市长宁区已撤销局", "MB2F0003", district, is_active=False),
        "inactive_root": make_org("已停用的人民政府", "MB2F0004", is_active=False),
    }


def get_page(client, url: str = "/") -> tuple[str, Page]:
    response = client.get(url)
    assert response.status_code == 200
    html = response.content.decode()
    return html, Page(html)


@pytest.mark.django_db
class TestHomePage:
    def test_renders_in_chinese_with_page_language(self, client, organisations):
        """GB/T 37668 可理解性 / WCAG 3.1.1: the page language is declared."""
        html, page = get_page(client)
        assert page.find("html")[0]["lang"] == "zh-Hans"
        assert "政府信息公开" in html
        assert page.texts("h1") == ["政府信息公开"]
        title = page.texts("title")
        assert len(title) == 1 and title[0].startswith("首页")

    def test_lists_active_organisations_with_their_children(self, client, organisations):
        html, _ = get_page(client)
        assert "上海市长宁区人民政府" in html
        assert "上海市长宁区人民政府办公室" in html
        assert "已撤销局" not in html
        assert "已停用的人民政府" not in html

    def test_lists_the_columns_without_links(self, client, organisations):
        html, _ = get_page(client)
        for column in ("政府信息公开指南", "法定主动公开内容", "政府信息公开年报", "依申请公开"):
            assert column in html
        assert "建设中" not in html

    def test_empty_site_still_renders(self, client):
        html, _ = get_page(client)
        assert "暂无行政机关信息" in html

    def test_skip_link_is_first_focusable_and_targets_main(self, client, organisations):
        """GB/T 37668 可操作性 / WCAG 2.4.1: "跳到主要内容" is the first stop of the Tab key."""
        html, page = get_page(client)
        first_tag, first = page.focusable()[0]
        assert first_tag == "a"
        assert first["href"] == "#main"
        assert "跳到主要内容" in html
        mains = page.find("main")
        assert len(mains) == 1
        assert mains[0]["id"] == "main"
        assert mains[0]["tabindex"] == "-1"
        assert [attrs for _, attrs in page.tags if attrs.get("id") == "main"] == [mains[0]]

    def test_landmarks_are_present(self, client, organisations):
        """GB/T 37668 兼容性: landmarks let assistive technology jump between regions."""
        _, page = get_page(client)
        assert [h.get("role") for h in page.find("header")] == ["banner"]
        assert [f.get("role") for f in page.find("footer")] == ["contentinfo"]
        navs = page.find("nav")
        assert navs and all(nav.get("aria-label") for nav in navs)
        assert len(page.find("main")) == 1

    def test_images_have_alt_and_fields_have_labels(self, client, organisations):
        """GB/T 37668 图片替代文本 and form labels (ACCESSIBILITY.md §4.4)."""
        _, page = get_page(client)
        for img in page.find("img"):
            assert "alt" in img, img
        for tag, attrs in page.tags:
            if tag not in {"input", "select", "textarea"}:
                continue
            if attrs.get("type") in {"hidden", "submit", "button", "reset"}:
                continue
            assert (
                attrs.get("aria-label")
                or attrs.get("aria-labelledby")
                or attrs.get("id") in page.label_targets
            ), attrs

    def test_no_inline_script_or_style(self, client, organisations):
        """The Content-Security-Policy forbids inline scripts and styles."""
        html, page = get_page(client)
        for script in page.find("script"):
            assert script.get("src"), "inline <script>"
        assert not page.find("style")
        assert not any("style" in attrs for _, attrs in page.tags)
        assert "/static/gongkai/site.css" in html

    def test_page_language_follows_browser_language(self, client):
        """A browser asking for English gets the English interface, and lang says so (WCAG
        3.1.1); without a preference the page is Chinese."""
        try:
            response = client.get("/", headers={"accept-language": "en-US,en;q=0.9"})
        finally:
            translation.deactivate()  # the request activated English for this thread
        html = response.content.decode()
        assert Page(html).find("html")[0]["lang"] == "en"
        assert "Skip to main content" in html
        response = client.get("/")
        assert Page(response.content.decode()).find("html")[0]["lang"] == "zh-Hans"

    def test_site_name_survives_views_that_set_their_own(self, settings):
        """Django's LoginView puts the host name into "site_name"; the header keeps SITE_NAME."""
        request = RequestFactory().get("/")
        html = render_to_string(
            "portal/home.html", {"site_name": "testserver", "organisations": []}, request=request
        )
        assert f'<a href="/">{settings.SITE_NAME}</a>' in html
        assert "testserver" not in html

    def test_toolbar_marks_the_current_choices(self, client):
        _, page = get_page(client)
        current = {attrs["href"] for attrs in page.find("a") if attrs.get("aria-current") == "true"}
        assert any("script=hans" in href for href in current)
        assert any("text=normal" in href for href in current)
        assert not any("script=hant" in href or "text=large" in href for href in current)


@pytest.mark.django_db
class TestReadingPreferences:
    def test_traditional_view(self, client, organisations):
        """适老化 / regional readers: the whole page in traditional characters."""
        response = client.get("/prefs/", {"script": "hant", "next": "/"})
        assert response.status_code == 302
        assert response["Location"] == "/"
        html, page = get_page(client)
        assert page.find("html")[0]["lang"] == "zh-Hant"
        assert "政府信息公開" in html
        assert "政府信息公开" not in html
        assert "上海市長寧區人民政府" in html
        assert "/static/gongkai/site.css" in html  # markup and URLs untouched
        traditional_link = next(a for a in page.find("a") if "script=hant" in a.get("href", ""))
        assert traditional_link.get("aria-current") == "true"
        # The way back keeps its simplified name.
        assert page.link_texts["简体"].startswith("/prefs/?script=hans")

    def test_content_length_matches_converted_body(self, client):
        client.cookies["gk_script"] = "hant"
        response = client.get("/")
        if response.has_header("Content-Length"):
            assert int(response["Content-Length"]) == len(response.content)
        assert "Cookie" in response["Vary"]

    def test_back_to_simplified(self, client):
        client.get("/prefs/", {"script": "hant"})
        client.get("/prefs/", {"script": "hans"})
        html, page = get_page(client)
        assert page.find("html")[0]["lang"] == "zh-Hans"
        assert "政府信息公开" in html

    def test_large_text_mode_adds_body_class(self, client):
        """适老化 特大字体: the large-text mode is a body class the stylesheet enlarges."""
        _, page = get_page(client)
        assert "large-text" not in page.find("body")[0].get("class", "").split()
        client.get("/prefs/", {"text": "large", "next": "/"})
        _, page = get_page(client)
        assert "large-text" in page.find("body")[0]["class"].split()
        client.get("/prefs/", {"text": "normal", "next": "/"})
        _, page = get_page(client)
        assert "large-text" not in page.find("body")[0].get("class", "").split()

    def test_cookies_are_long_lived_lax_and_http_only(self, client):
        response = client.get("/prefs/", {"script": "hant", "text": "large"})
        for name, value in (("gk_script", "hant"), ("gk_text", "large")):
            cookie = response.cookies[name]
            assert cookie.value == value
            assert cookie["max-age"] == 365 * 24 * 60 * 60
            assert cookie["samesite"] == "Lax"
            assert cookie["httponly"]

    def test_unknown_values_set_nothing(self, client):
        response = client.get("/prefs/", {"script": "klingon", "text": "huge"})
        assert response.status_code == 302
        assert "gk_script" not in response.cookies
        assert "gk_text" not in response.cookies

    @pytest.mark.parametrize(
        "target",
        [
            "https://evil.example/",
            "//evil.example/path",
            "http://evil.example",
            "javascript:alert(1)",
            "/\\evil.example",
            "",
        ],
    )
    def test_refuses_off_site_next(self, client, target):
        response = client.get("/prefs/", {"script": "hant", "next": target})
        assert response.status_code == 302
        assert response["Location"] == "/"

    def test_keeps_same_site_next_with_query(self, client):
        response = client.get("/prefs/", {"text": "large", "next": "/?page=2"})
        assert response["Location"] == "/?page=2"

    def test_toolbar_links_return_to_the_current_page(self, client):
        _, page = get_page(client, "/?page=2")
        hrefs = [a["href"] for a in page.find("a") if "/prefs/" in a.get("href", "")]
        assert len(hrefs) == 6  # 简体, 繁體, 大字版, 标准版, 中文, English
        assert all("next=/%3Fpage%3D2" in href for href in hrefs)


class TestMiddleware:
    """The conversion applies to portal HTML only: never to the staff console or to files."""

    factory = RequestFactory()

    def run(self, path: str, response: HttpResponse, traditional: bool = True):
        request = self.factory.get(path)
        if traditional:
            request.COOKIES["gk_script"] = "hant"
        middleware = ReadingPreferencesMiddleware(lambda _request: response)
        return request, middleware(request)

    def html(self, body: str = "<p>政府信息公开</p>", status: int = 200) -> HttpResponse:
        response = HttpResponse(body, content_type="text/html; charset=utf-8", status=status)
        response["Content-Length"] = str(len(response.content))
        return response

    def test_portal_page_is_converted_and_length_fixed(self):
        request, response = self.run("/", self.html())
        assert request.reading == ReadingPreferences(traditional=True, large_text=False)
        assert response.content.decode() == "<p>政府信息公開</p>"
        assert int(response["Content-Length"]) == len(response.content)

    @pytest.mark.parametrize(
        "path", ["/console/", "/console/requests/1/", "/static/x.html", "/api/v1/"]
    )
    def test_console_static_and_api_are_never_converted(self, path):
        _, response = self.run(path, self.html())
        assert response.content.decode() == "<p>政府信息公开</p>"

    def test_without_preference_nothing_changes(self):
        request, response = self.run("/", self.html(), traditional=False)
        assert request.reading == ReadingPreferences()
        assert response.content.decode() == "<p>政府信息公开</p>"

    def test_non_html_and_server_errors_are_left_alone(self):
        json = HttpResponse('{"a": "政府信息公开"}', content_type="application/json")
        _, response = self.run("/", json)
        assert "政府信息公开" in response.content.decode()
        _, response = self.run("/", self.html(status=500))
        assert response.content.decode() == "<p>政府信息公开</p>"

    def test_client_errors_are_converted(self):
        _, response = self.run("/missing/", self.html(status=404))
        assert response.content.decode() == "<p>政府信息公開</p>"

    def test_streaming_responses_are_left_alone(self):
        streaming = StreamingHttpResponse(iter(["政府信息公开"]), content_type="text/html")
        _, response = self.run("/", streaming)
        assert b"".join(response.streaming_content).decode() == "政府信息公开"

    def test_large_text_cookie(self):
        request = self.factory.get("/")
        request.COOKIES["gk_text"] = "large"
        ReadingPreferencesMiddleware(lambda _request: self.html())(request)
        assert request.reading == ReadingPreferences(traditional=False, large_text=True)


class TestContextProcessor:
    def test_works_without_the_middleware(self, settings):
        request = RequestFactory().get("/")
        context = reading_preferences(request)
        assert context["reading"] == ReadingPreferences()
        assert context["html_lang"] == "zh-Hans"
        assert context["site_name"] == settings.SITE_NAME

    def test_reads_cookies_when_the_middleware_has_not_run(self):
        request = RequestFactory().get("/")
        request.COOKIES["gk_script"] = "hant"
        assert reading_preferences(request)["html_lang"] == "zh-Hant"


@pytest.mark.django_db
class TestErrorPages:
    def test_not_found_page_is_friendly_chinese(self, client):
        response = client.get("/no-such-page/")
        assert response.status_code == 404
        html = response.content.decode()
        page = Page(html)
        assert page.texts("h1") == ["页面不存在"]
        assert page.find("html")[0]["lang"] == "zh-Hans"
        assert any(a.get("href") == "/" for a in page.find("a"))

    def test_server_error_page_needs_no_request(self):
        html = get_template("500.html").render()
        page = Page(html)
        assert page.find("html")[0]["lang"] == "zh-Hans"
        assert page.texts("h1") == ["服务器错误"]
        assert page.focusable()[0][1]["href"] == "#main"
        assert any(a.get("href") == "/" for a in page.find("a"))

    def test_forbidden_page_renders(self):
        html = get_template("403.html").render({"SITE_NAME": "政府信息公开"})
        assert "无权访问" in html
