"""The other public pages that cost CPU or send messages share the one rate limit of
``core.ratelimit``, per client address as ``core.middleware.client_ip`` sees it: the dossier
lookup (page and API together), registration and its one-time code, catalogue searches."""

import pytest
from django.core.cache import cache
from django.urls import reverse

from congso.portal.models import PendingRegistration

LOOKUP_API = "/api/v1/lookup/"
SEARCH_API = "/api/v1/procedures/"
ADDRESS = "203.0.113.5"


@pytest.fixture(autouse=True)
def _fresh_counts(db):
    cache.clear()


def test_parse_rate_reads_the_rest_framework_notation():
    from congso.core.ratelimit import parse_rate

    assert parse_rate("30/min") == (30, 60)
    assert parse_rate("10/hour") == (10, 3600)
    assert parse_rate("5/s") == (5, 1)


def test_a_forged_forwarded_for_does_not_reset_the_lookup_api(client, settings):
    settings.CONGSO_LOOKUP_RATE = "2/min"
    params = {"code": "HS-KHONG-CO", "id_number": "040190009999"}
    for number in range(2):
        spoofed = {"HTTP_X_FORWARDED_FOR": f"198.51.100.{number}"}
        assert client.get(LOOKUP_API, params, REMOTE_ADDR=ADDRESS, **spoofed).status_code == 404
    refused = client.get(
        LOOKUP_API, params, REMOTE_ADDR=ADDRESS, HTTP_X_FORWARDED_FOR="198.51.100.9"
    )
    assert refused.status_code == 429
    assert "quá nhiều lần" in refused.json()["error"]["message"]


def test_lookup_page_and_api_count_together(client, settings):
    settings.CONGSO_LOOKUP_RATE = "2/min"
    params = {"code": "HS-KHONG-CO", "id_number": "040190009999"}
    assert client.get(reverse("portal:lookup"), params, REMOTE_ADDR=ADDRESS).status_code == 200
    assert client.get(LOOKUP_API, params, REMOTE_ADDR=ADDRESS).status_code == 404
    page = client.get(reverse("portal:lookup"), params, REMOTE_ADDR=ADDRESS)
    assert page.status_code == 429 and "quá nhiều lần" in page.content.decode()


def test_registration_is_limited_per_address_before_any_work(client, settings):
    settings.CONGSO_REGISTER_RATE = "2/hour"
    form = {"full_name": "Phan Thị Cúc", "id_number": "12", "contact": "x"}
    for _attempt in range(2):
        assert client.post(reverse("portal:register"), form, REMOTE_ADDR=ADDRESS).status_code == 200
    refused = client.post(
        reverse("portal:register"), form, REMOTE_ADDR=ADDRESS, HTTP_X_FORWARDED_FOR="198.51.100.1"
    )
    assert refused.status_code == 429
    assert "quá nhiều lần" in refused.content.decode()
    assert not PendingRegistration.objects.exists()


def test_code_confirmation_is_limited_per_address(client, settings):
    from congso.portal import registration

    password = "Mat-khau-rat-dai-2026"
    pending = registration.start(
        full_name="Phan Thị Cúc",
        id_number="040301002345",
        contact="cuc@example.vn",
        password=password,
        password2=password,
    )
    settings.CONGSO_REGISTER_RATE = "1/hour"
    url = reverse("portal:register_confirm", args=[pending.public_id])
    assert client.post(url, {"code": "000001"}, REMOTE_ADDR=ADDRESS).status_code == 200
    refused = client.post(url, {"code": "000002"}, REMOTE_ADDR=ADDRESS)
    assert refused.status_code == 429
    pending.refresh_from_db()
    assert pending.attempts == 1


def test_catalogue_searches_are_limited_but_browsing_is_not(client, settings):
    settings.CONGSO_SEARCH_RATE = "2/min"
    search = reverse("catalog:search")
    assert client.get(search, {"q": "khai sinh"}, REMOTE_ADDR=ADDRESS).status_code == 200
    assert client.get(SEARCH_API, {"search": "khai sinh"}, REMOTE_ADDR=ADDRESS).status_code == 200
    page = client.get(search, {"q": "kết hôn"}, REMOTE_ADDR=ADDRESS)
    assert page.status_code == 429 and "tìm kiếm quá nhiều lần" in page.content.decode()
    api = client.get(SEARCH_API, {"search": "kết hôn"}, REMOTE_ADDR=ADDRESS)
    assert api.status_code == 429 and "tìm kiếm quá nhiều lần" in api.json()["error"]["message"]
    assert client.get(search, REMOTE_ADDR=ADDRESS).status_code == 200
    assert client.get(SEARCH_API, REMOTE_ADDR=ADDRESS).status_code == 200
