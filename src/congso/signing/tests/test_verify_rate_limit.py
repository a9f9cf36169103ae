"""The public signature check costs CPU: ``CONGSO_VERIFY_RATE`` per client address and per
account, the page and the API counted together, and a forged X-Forwarded-For changes nothing."""

import pytest
from django.core.cache import cache
from django.urls import reverse

from congso.accounts.tests.support import log_in

API = "/api/v1/signatures/verify/"
TOO_MANY = "Bạn đã kiểm tra quá nhiều tệp"


@pytest.fixture(autouse=True)
def two_per_minute(db, settings):
    settings.CONGSO_VERIFY_RATE = "2/min"
    cache.clear()


def _page(client, address, **extra):
    return client.post(reverse("signing:verify"), {}, REMOTE_ADDR=address, **extra)


def _api(client, address, **extra):
    return client.post(API, {}, REMOTE_ADDR=address, **extra)


def test_page_refuses_a_client_over_the_rate(client):
    assert _page(client, "203.0.113.5").status_code != 429
    assert _page(client, "203.0.113.5").status_code != 429
    refused = _page(client, "203.0.113.5")
    assert refused.status_code == 429
    assert TOO_MANY in refused.content.decode()
    assert _page(client, "203.0.113.6").status_code != 429


def test_api_refuses_a_client_over_the_rate_in_the_one_error_format(client):
    assert _api(client, "203.0.113.5").status_code != 429
    assert _api(client, "203.0.113.5").status_code != 429
    refused = _api(client, "203.0.113.5")
    assert refused.status_code == 429
    assert TOO_MANY in refused.content.decode()


def test_page_and_api_share_one_count(client):
    _page(client, "203.0.113.5")
    _api(client, "203.0.113.5")
    assert _page(client, "203.0.113.5").status_code == 429
    assert _api(client, "203.0.113.5").status_code == 429


def test_a_forged_forwarded_for_does_not_give_a_new_address(client):
    for number in range(2):
        _api(client, "203.0.113.5", HTTP_X_FORWARDED_FOR=f"198.51.100.{number}")
    assert _api(client, "203.0.113.5", HTTP_X_FORWARDED_FOR="198.51.100.9").status_code == 429
    assert _page(client, "203.0.113.5", HTTP_X_FORWARDED_FOR="198.51.100.9").status_code == 429


def test_an_account_is_limited_from_any_address(client, citizen):
    log_in(client, citizen)
    assert _page(client, "203.0.113.5").status_code != 429
    assert _api(client, "203.0.113.6").status_code != 429
    assert _page(client, "203.0.113.7").status_code == 429
    assert _api(client, "203.0.113.8").status_code == 429
