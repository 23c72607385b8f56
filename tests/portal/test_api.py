"""The read-only catalog API and its OpenAPI document: every documented path answers, every
field of every answer is documented with the right type, and nothing undocumented is sent."""

from __future__ import annotations

import json
import re
from datetime import UTC, datetime
from typing import Any

import pytest
import time_machine
from django.test import Client
from django.urls import reverse

from gongkai.inforequests.services import request_submit
from gongkai.portal.api import API_PER_IP
from gongkai.publications import services
from tests.conftest import APPLICANT, District
from tests.portal.conftest import bulk_published

pytestmark = pytest.mark.django_db

TYPES = {
    "integer": int,
    "string": str,
    "array": list,
    "object": dict,
    "boolean": bool,
}


def _resolve(spec: dict[str, Any], schema: dict[str, Any]) -> dict[str, Any]:
    if "$ref" in schema:
        name = schema["$ref"].rsplit("/", 1)[1]
        return _resolve(spec, spec["components"]["schemas"][name])
    if "allOf" in schema:
        merged = dict(_resolve(spec, schema["allOf"][0]))
        merged["nullable"] = schema.get("nullable", False)
        return merged
    return schema


def check(spec: dict[str, Any], schema: dict[str, Any], value: Any, where: str = "$") -> None:
    """A small validator for the subset of OpenAPI 3.0 the document uses."""
    nullable = schema.get("nullable", False)
    schema = _resolve(spec, schema)
    if value is None:
        assert nullable or schema.get("nullable"), f"{where} is null but not nullable"
        return
    expected = TYPES[schema["type"]]
    assert isinstance(value, expected) and not (expected is int and isinstance(value, bool)), (
        f"{where}: {value!r} is not {schema['type']}"
    )
    if "enum" in schema:
        assert value in schema["enum"], f"{where}: {value!r} not in enum"
    if schema.get("format") == "date":
        assert re.fullmatch(r"\d{4}-\d{2}-\d{2}", value), where
    if schema["type"] == "object":
        assert set(value) == set(schema["properties"]), (
            f"{where}: fields {sorted(set(value) ^ set(schema['properties']))} differ"
        )
        for name, sub in schema["properties"].items():
            check(spec, sub, value[name], f"{where}.{name}")
    if schema["type"] == "array":
        for i, item in enumerate(value):
            check(spec, schema["items"], item, f"{where}[{i}]")


@pytest.fixture
def catalog(district: District, published: Any, interpretation_of: Any) -> dict[str, Any]:
    doc = published(pdf_text="Admission rules of the district schools for 2024")
    interp = interpretation_of(doc)
    bulk_published(district.dept_b, 3, statutory_category="20-07", topic="0401")
    return {"doc": doc, "interp": interp}


def test_openapi_document_is_served_at_a_stable_address(client: Client) -> None:
    response = client.get("/api/openapi.json")
    assert response.status_code == 200
    spec = json.loads(response.content)
    assert spec["openapi"].startswith("3.")
    assert spec["servers"][0]["url"].endswith("/api/v1")
    assert set(spec["paths"]) == {"/publications/", "/publications/{id}/", "/organizations/"}


def test_every_documented_path_answers_as_documented(
    client: Client, catalog: dict[str, Any]
) -> None:
    spec = json.loads(client.get("/api/openapi.json").content)
    ids = {"id": catalog["doc"].pk}
    for path, operations in spec["paths"].items():
        for method, operation in operations.items():
            url = "/api/v1" + path.format(**ids)
            response = getattr(client, method)(url)
            assert response.status_code == 200, url
            schema = operation["responses"]["200"]["content"]["application/json"]["schema"]
            check(spec, schema, json.loads(response.content), url)
    # The interpretation's detail (interprets set, other fields empty) and an error answer.
    url = f"/api/v1/publications/{catalog['interp'].pk}/"
    detail_schema = spec["paths"]["/publications/{id}/"]["get"]["responses"]
    body = json.loads(client.get(url).content)
    check(spec, detail_schema["200"]["content"]["application/json"]["schema"], body)
    assert body["interprets"]["id"] == catalog["doc"].pk
    missing = client.get("/api/v1/publications/999999/")
    assert missing.status_code == 404
    check(
        spec,
        detail_schema["404"]["content"]["application/json"]["schema"],
        json.loads(missing.content),
    )


def test_every_documented_filter_works(
    client: Client, catalog: dict[str, Any], district: District
) -> None:
    spec = json.loads(client.get("/api/openapi.json").content)
    params = {p["name"] for p in spec["paths"]["/publications/"]["get"]["parameters"]}
    assert params == {
        "organization",
        "category",
        "topic",
        "year",
        "validity",
        "kind",
        "page",
        "per_page",
    }

    def ids(query: str) -> list[int]:
        response = client.get(f"/api/v1/publications/?{query}")
        assert response.status_code == 200, query
        return [r["id"] for r in json.loads(response.content)["results"]]

    year = catalog["doc"].published_on.year
    assert len(ids(f"organization={district.dept_b.pk}")) == 3
    assert len(ids("category=20-07")) == 3
    assert len(ids("topic=04")) == 3
    assert set(ids(f"year={year}")) == {catalog["doc"].pk, catalog["interp"].pk}
    [repealed] = bulk_published(district.dept_a, 1, normative_kind="normative", validity="repealed")
    assert ids("validity=repealed") == [repealed.pk]
    assert ids("kind=interpretation") == [catalog["interp"].pk]
    for bad in ("category=99", "year=abc", "page=0", "kind=x", "organization=a"):
        response = client.get(f"/api/v1/publications/?{bad}")
        assert response.status_code == 400, bad
        assert "error" in json.loads(response.content)


def test_pagination(client: Client, district: District) -> None:
    bulk_published(district.dept_a, 7)
    first = json.loads(client.get("/api/v1/publications/?per_page=3").content)
    assert (first["count"], first["num_pages"], len(first["results"])) == (7, 3, 3)
    assert first["previous"] is None and "page=2" in first["next"]
    last = json.loads(client.get("/api/v1/publications/?per_page=3&page=3").content)
    assert len(last["results"]) == 1 and last["next"] is None
    assert client.get("/api/v1/publications/?per_page=3&page=4").status_code == 404
    capped = json.loads(client.get("/api/v1/publications/?per_page=1000").content)
    assert capped["per_page"] == 100


def test_withdrawn_item_leaves_the_api(client: Client, district: District, published: Any) -> None:
    pub = published()
    services.publication_withdraw(actor=district.reviewer_a, publication=pub, reason="内容有误")
    listing = json.loads(client.get("/api/v1/publications/").content)
    assert listing["count"] == 0
    response = client.get(f"/api/v1/publications/{pub.pk}/")
    assert response.status_code == 410
    assert json.loads(response.content)["withdrawal_reason"] == "内容有误"


def test_api_is_rate_limited_per_client(client: Client, district: District) -> None:
    # Frozen clock: the fixed window must not roll over in the middle of the test.
    with time_machine.travel(datetime(2026, 3, 2, 10, 0, 5, tzinfo=UTC), tick=False):
        for _ in range(API_PER_IP.limit):
            assert client.get("/api/v1/organizations/").status_code == 200
        response = client.get("/api/v1/organizations/")
        assert response.status_code == 429
        assert response["Retry-After"] == str(API_PER_IP.window)
        other = Client(REMOTE_ADDR="10.0.0.9")
        assert other.get("/api/v1/organizations/").status_code == 200
    with time_machine.travel(datetime(2026, 3, 2, 10, 1, 5, tzinfo=UTC), tick=False):
        assert client.get("/api/v1/organizations/").status_code == 200  # next window


def test_no_applicant_data_reaches_the_public_side(
    client: Client, district: District, catalog: dict[str, Any]
) -> None:
    """An application's personal data (条例第二十九条 form) never appears in the catalog,
    the API, the feeds, the sitemap or search."""
    request_submit(
        organization=district.dept_a,
        data=dict(APPLICANT),
        channel="online",
        received_on=catalog["doc"].published_on,
        actor=None,
    )
    urls = [
        "/api/v1/publications/",
        f"/api/v1/publications/{catalog['doc'].pk}/",
        "/api/v1/organizations/",
        reverse("portal:org_feed", args=[district.dept_a.pk]),
        "/sitemap-publications.xml",
        reverse("portal:catalog", args=[district.dept_a.pk]),
        reverse("portal:search") + "?q=" + APPLICANT["applicant_name"],
        reverse("portal:search") + "?q=" + APPLICANT["subject"],
    ]
    for url in urls:
        body = client.get(url).content.decode()
        for value in (
            APPLICANT["id_number"],
            APPLICANT["phone"],
            APPLICANT["email"],
            APPLICANT["address"],
        ):
            assert value not in body, (url, value)
        if "search" not in url:
            assert APPLICANT["applicant_name"] not in body.replace('value="张三"', "")
