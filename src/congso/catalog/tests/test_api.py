"""The public catalogue API and its OpenAPI description."""

import pytest
from django.urls import reverse

from congso.catalog import services
from congso.catalog.tests.factories import ProcedureFactory, version_content

pytestmark = pytest.mark.django_db


def test_search_is_ranked_and_paginated(client, catalog_data):
    response = client.get(reverse("api-procedures"), {"search": "khai snh", "page_size": 2})
    body = response.json()
    assert response.status_code == 200
    assert body["results"][0]["code"] == "1.001193"
    assert body["results"][0]["sector"] == {"code": "HT", "name": "Hộ tịch"}
    assert body["results"][0]["score"] >= body["results"][1]["score"]
    assert len(body["results"]) == 2 and body["count"] >= 3 and body["next"]


def test_filters_and_listing_everything(client, catalog_data):
    everything = client.get(reverse("api-procedures"), {"page_size": 100}).json()
    assert everything["count"] == 26
    certified = client.get(
        reverse("api-procedures"), {"sector": "CT", "level": "district", "mode": "information"}
    ).json()
    assert [p["code"] for p in certified["results"]] == ["2.001008"]


def test_bad_filter_is_a_vietnamese_400(client):
    response = client.get(reverse("api-procedures"), {"mode": "level4"})
    assert response.status_code == 400
    error = response.json()["error"]
    assert error["code"] == "invalid" and "mode" in error["fields"]
    assert "Giá trị không hợp lệ" in error["message"]


def test_detail_has_the_whole_version_in_force(client, catalog_data):
    body = client.get(reverse("api-procedure", args=["1.001612"])).json()
    assert body["name"] == "Đăng ký thành lập hộ kinh doanh"
    assert body["online_mode"] == "fully_online" and body["level"] == "district"
    version = body["version"]
    assert version["number"] == 1 and version["valid_from"] == "2025-07-01"
    channels = {c["channel"]: c for c in version["channels"]}
    assert channels["desk"]["fee"] == {
        "kind": "fixed",
        "amount": 100000,
        "note": "mức thu do HĐND tỉnh quy định",
    }
    assert channels["online"]["fee_display"].startswith("50.000 đ/trường hợp")
    assert channels["desk"]["time_amount"] == 3 and channels["desk"]["time_unit"] == "working_days"
    assert version["documents"][0]["is_declaration"] is True
    assert [s["responsible"] for s in version["steps"]][:2] == ["district", "TCKH"]
    assert version["steps"][0]["unit"] == "working_days"
    assert version["form_schema"]["title"] == "Giấy đề nghị đăng ký hộ kinh doanh"


def test_detail_at_a_date_gives_the_version_then_in_force(client):
    procedure = ProcedureFactory()
    services.publish_version(procedure, version_content(valid_from="2026-01-01", result="Mới"))
    url = reverse("api-procedure", args=[procedure.code])
    assert client.get(url, {"at": "2025-06-01"}).json()["version"]["number"] == 1
    assert client.get(url, {"at": "2026-06-01"}).json()["version"]["result"] == "Mới"
    assert client.get(url, {"at": "2020-01-01"}).status_code == 404
    bad = client.get(url, {"at": "01/06/2025"})
    assert bad.status_code == 400 and "YYYY-MM-DD" in bad.json()["error"]["message"]


def test_unknown_or_inactive_code_is_404(client):
    hidden = ProcedureFactory(is_active=False)
    for code in ("0.000000", hidden.code):
        response = client.get(reverse("api-procedure", args=[code]))
        assert response.status_code == 404
        assert response.json()["error"]["message"] == "Không tìm thấy đối tượng yêu cầu."


def test_sectors(client, catalog_data):
    body = client.get(reverse("api-sectors")).json()
    assert {"code": "HT", "name": "Hộ tịch"} in body and len(body) == 6


def test_openapi_documents_the_endpoints(client):
    schema = client.get(reverse("api-schema"), {"format": "json"}).json()
    listing = schema["paths"]["/api/v1/procedures/"]["get"]
    assert {p["name"] for p in listing["parameters"]} >= {"search", "sector", "level", "mode"}
    detail = schema["paths"]["/api/v1/procedures/{code}/"]["get"]
    assert any(p["name"] == "at" for p in detail["parameters"])
    assert "version" in schema["components"]["schemas"]["ProcedureDetail"]["properties"]
