"""Public catalogue pages: search, detail, printable form, not found."""

import re

import pytest
from django.urls import reverse

from congso.catalog import services
from congso.catalog.tests.factories import ProcedureFactory, version_content

pytestmark = pytest.mark.django_db


def _results(response) -> list[str]:
    return re.findall(r'href="/procedures/([^/"]+)/" data-testid="procedure-result"', response.text)


def test_search_page_ranks_results_as_cards_with_links(client, catalog_data):
    response = client.get(reverse("catalog:search"), {"q": "dang ky khai sinh"})
    assert response.status_code == 200
    assert _results(response)[0] == "1.001193"
    assert "Tìm thấy" in response.text and "dang ky khai sinh" in response.text
    assert 'class="card"' in response.text


def test_empty_query_lists_everything_paginated(client, catalog_data):
    first = client.get(reverse("catalog:search"))
    second = client.get(reverse("catalog:search"), {"page": 2})
    assert "Danh mục có 26 thủ tục." in first.text
    assert len(_results(first)) == 20 and len(_results(second)) == 6
    assert not set(_results(first)) & set(_results(second))
    assert "Trang 1/2" in first.text


def test_filters_narrow_the_list(client, catalog_data):
    response = client.get(reverse("catalog:search"), {"sector": "CT", "level": "district"})
    assert _results(response) == ["2.001008"]
    response = client.get(reverse("catalog:search"), {"mode": "fully_online", "sector": "HT"})
    assert set(_results(response)) == {"1.001193", "1.000656", "2.000635", "1.004873"}


def test_unknown_filter_value_is_ignored_not_an_error(client, catalog_data):
    response = client.get(reverse("catalog:search"), {"q": "khai sinh", "level": "galaxy"})
    assert response.status_code == 200
    assert _results(response)[0] == "1.001193"


def test_no_result_says_what_to_try(client, catalog_data):
    response = client.get(reverse("catalog:search"), {"q": "zzzz"})
    assert "Không tìm thấy thủ tục phù hợp" in response.text


def test_page_fits_a_phone(client, catalog_data):
    response = client.get(reverse("catalog:search"))
    assert 'name="viewport" content="width=device-width, initial-scale=1"' in response.text


def test_detail_shows_everything_to_bring_and_fees_per_channel(client, catalog_data):
    response = client.get(reverse("catalog:detail", args=["2.000635"]))
    assert response.status_code == 200
    assert "<h1>Cấp bản sao trích lục hộ tịch</h1>" in response.text
    rows = re.findall(r'<tr data-channel="(\w+)">(.*?)</tr>', response.text, re.S)
    assert [channel for channel, _ in rows] == ["desk", "online", "post"]
    assert all("8.000 đ/bản" in row and "Trong ngày" in row for _, row in rows)
    assert "Tờ khai cấp bản sao trích lục hộ tịch" in response.text
    assert "Trực tuyến toàn trình" in response.text


def test_detail_of_a_procedure_with_different_fees_per_channel(client, catalog_data):
    response = client.get(reverse("catalog:detail", args=["1.001612"]))
    rows = dict(re.findall(r'<tr data-channel="(\w+)">(.*?)</tr>', response.text, re.S))
    assert "100.000 đ/trường hợp" in rows["desk"]
    assert "50.000 đ/trường hợp" in rows["online"]
    assert "3 ngày làm việc" in rows["desk"]
    assert reverse("catalog:form_template", args=["1.001612"]) in response.text
    for label in ("Cơ quan có thẩm quyền quyết định", "Nơi tiếp nhận hồ sơ", "Kết quả thực hiện"):
        assert label in response.text
    assert "Căn cứ pháp lý" in response.text and "01/2021/NĐ-CP" in response.text
    assert "Trực tuyến toàn trình" in response.text


def test_partly_online_badge_and_exemptions(client, catalog_data):
    response = client.get(reverse("catalog:detail", args=["1.000894"]))
    assert "Trực tuyến một phần" in response.text
    response = client.get(reverse("catalog:detail", args=["1.001193"]))
    assert "Miễn, giảm" in response.text and "Đăng ký khai sinh đúng hạn" in response.text


def test_detail_announces_an_upcoming_version(client):
    procedure = ProcedureFactory()
    services.publish_version(procedure, version_content(valid_from="2099-01-01"))
    response = client.get(reverse("catalog:detail", args=[procedure.code]))
    assert "Từ ngày 01/01/2099 áp dụng quy định mới" in response.text


def test_unknown_code_is_a_vietnamese_404(client, catalog_data):
    response = client.get(reverse("catalog:detail", args=["9.999999"]))
    assert response.status_code == 404
    assert "Không có thủ tục mã “9.999999” trong danh mục." in response.text


def test_inactive_or_not_yet_published_procedures_are_404(client):
    hidden = ProcedureFactory(is_active=False)
    future = ProcedureFactory(version=version_content(valid_from="2099-01-01"))
    assert client.get(reverse("catalog:detail", args=[hidden.code])).status_code == 404
    response = client.get(reverse("catalog:detail", args=[future.code]))
    assert response.status_code == 404 and "chưa có quy định đang áp dụng" in response.text


def test_form_template_downloads_a_pdf(client, catalog_data):
    response = client.get(reverse("catalog:form_template", args=["1.001193"]))
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert 'filename="to-khai-1.001193.pdf"' in response["Content-Disposition"]
    assert response.content.startswith(b"%PDF")


def test_no_form_no_download(client, catalog_data):
    response = client.get(reverse("catalog:form_template", args=["2.000635"]))
    assert response.status_code == 404
    assert "không có mẫu tờ khai" in response.text


@pytest.mark.parametrize(
    ("mode", "offered"),
    [("information", False), ("partly_online", True), ("fully_online", True)],
)
def test_detail_offers_online_filing_only_where_the_procedure_allows_it(client, mode, offered):
    procedure = ProcedureFactory()
    type(procedure).objects.filter(pk=procedure.pk).update(online_mode=mode)
    response = client.get(reverse("catalog:detail", args=[procedure.code]))
    start = reverse("portal:start", args=[procedure.code])
    assert (f'href="{start}"' in response.text) is offered
