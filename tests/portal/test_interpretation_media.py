"""The video or interview of a 政策解读 (视频解读, 在线访谈) and who speaks in it: shown on the
public page and in the API, only ever as an http(s) link, and editable with the draft in the
console (audited)."""

from __future__ import annotations

import json
from datetime import date
from typing import Any

import pytest
from bs4 import BeautifulSoup
from django.core.exceptions import ValidationError
from django.test import Client
from django.urls import reverse

from gongkai.audit.models import AuditEvent
from gongkai.publications import services
from gongkai.publications.models import Interpretation, Publication
from tests.conftest import District

pytestmark = pytest.mark.django_db

VIDEO = "https://video.example.gov.cn/jd/2024/03.mp4"


def _media(client: Client, pub: Publication) -> Any:
    response = client.get(reverse("portal:publication", args=[pub.pk]))
    assert response.status_code == 200
    return BeautifulSoup(response.content, "html.parser").select_one("p.interpretation-media")


def test_video_interpretation_links_the_video_and_names_the_speaker(
    client: Client, published: Any, interpretation_of: Any
) -> None:
    interp = interpretation_of(
        published(), form="video", media_url=VIDEO, speaker="区教育局局长 李明"
    )
    media = _media(client, interp)
    link = media.select_one("a")
    assert link.get_text(strip=True) == "观看视频解读"
    assert link["href"] == VIDEO
    assert "noopener" in link["rel"]
    assert "解读人：区教育局局长 李明" in media.get_text()


def test_interview_links_the_transcript_and_names_the_guests(
    client: Client, published: Any, interpretation_of: Any
) -> None:
    interp = interpretation_of(
        published(),
        form="interview",
        media_url="http://ft.example.gov.cn/2024/12",
        speaker="区教育局副局长 王芳、基础教育科科长 赵强",
    )
    media = _media(client, interp)
    assert media.select_one("a").get_text(strip=True) == "访谈实录"
    assert "出席嘉宾：区教育局副局长 王芳、基础教育科科长 赵强" in media.get_text()


def test_text_interpretation_without_media_shows_no_link(
    client: Client, published: Any, interpretation_of: Any
) -> None:
    assert _media(client, interpretation_of(published())) is None


@pytest.mark.parametrize(
    "url", ["ftp://files.example.gov.cn/v.mp4", "javascript:alert(1)", "data:text/html,x"]
)
def test_only_web_addresses_are_saved(district: District, published: Any, url: str) -> None:
    with pytest.raises(ValidationError) as exc:
        services.interpretation_create(
            actor=district.officer_a,
            document=published(),
            organization=district.dept_a,
            form="video",
            data={"title": "视频解读", "statutory_category": "20-01"},
            media_url=url,
        )
    assert "media_url" in exc.value.error_dict
    assert not Interpretation.objects.exists()


def test_an_address_of_another_scheme_stored_earlier_never_becomes_a_link(
    client: Client, published: Any, interpretation_of: Any
) -> None:
    interp = interpretation_of(published(), form="video", speaker="李明")
    Interpretation.objects.filter(pk=interp.pk).update(media_url="javascript:alert(1)")
    media = _media(client, interp)
    assert media.select_one("a") is None and "javascript" not in str(media)
    body = json.loads(client.get(reverse("portal:api_publication", args=[interp.pk])).content)
    assert body["interpretation"]["media_url"] == ""


def test_api_detail_carries_the_form_media_and_speaker(
    client: Client, published: Any, interpretation_of: Any
) -> None:
    doc = published()
    interp = interpretation_of(doc, form="video", media_url=VIDEO, speaker="李明")

    def api(pub: Publication) -> dict[str, Any]:
        return json.loads(client.get(reverse("portal:api_publication", args=[pub.pk])).content)

    assert api(interp)["interpretation"] == {
        "form": "video",
        "media_url": VIDEO,
        "speaker": "李明",
    }
    assert api(doc)["interpretation"] is None


def _edit_data(interp: Publication, **details: str) -> dict[str, Any]:
    return {
        "title": interp.title,
        "summary": interp.summary,
        "written_on": interp.written_on.isoformat(),
        "topic": interp.topic,
        "genre": interp.genre,
        "statutory_category": interp.statutory_category,
        "body": interp.body,
        "form": "video",
        "media_url": "",
        "speaker": "",
        **details,
    }


def test_officer_edits_the_media_of_a_draft_interpretation_and_it_is_audited(
    district: District, published: Any
) -> None:
    link = services.interpretation_create(
        actor=district.officer_a,
        document=published(),
        organization=district.dept_a,
        form="text",
        data={
            "title": "政策解读",
            "written_on": date(2024, 3, 2),
            "statutory_category": "20-01",
            "genre": "interpretation",
        },
    )
    interp = link.publication
    client = Client()
    client.force_login(district.officer_a)
    url = reverse("console:pub_edit", args=[interp.pk])
    page = BeautifulSoup(client.get(url).content, "html.parser")
    assert page.select_one("#id_media_url") is not None and page.select_one("#id_speaker")

    refused = client.post(url, _edit_data(interp, media_url="ftp://files.example.gov.cn/v.mp4"))
    assert refused.status_code == 200
    assert "http:// 或 https://" in refused.content.decode()
    link.refresh_from_db()
    assert (link.form, link.media_url) == ("text", "")

    response = client.post(url, _edit_data(interp, media_url=VIDEO, speaker="李明"))
    assert response.status_code == 302
    link.refresh_from_db()
    assert (link.form, link.media_url, link.speaker) == ("video", VIDEO, "李明")
    event = AuditEvent.objects.get(verb="publication.interpretation_updated")
    assert event.actor_id == district.officer_a.pk
    assert event.after == {"form": "video", "media_url": VIDEO, "speaker": "李明"}
