"""One client address for rate limits, the audit log and the payment gateway: X-Forwarded-For
counts only when our own reverse proxy (``CONGSO_TRUSTED_PROXIES``) sent it."""

import pytest
from django.core.cache import cache
from django.test import RequestFactory
from django.urls import reverse
from rest_framework.test import APIClient

from congso.accounts.tests.factories import PASSWORD, CitizenFactory
from congso.core.middleware import client_ip
from congso.core.models import AuditRecord

PROXY = "10.0.0.2"


def _request(peer, forwarded=None):
    extra = {"REMOTE_ADDR": peer}
    if forwarded is not None:
        extra["HTTP_X_FORWARDED_FOR"] = forwarded
    return RequestFactory().get("/", **extra)


@pytest.fixture
def behind_proxy(settings):
    settings.CONGSO_TRUSTED_PROXIES = ["10.0.0.0/24"]


@pytest.fixture(autouse=True)
def _fresh_rate_limit(db):
    cache.clear()
    yield
    cache.clear()


def test_forwarded_header_from_an_untrusted_peer_is_ignored(settings):
    settings.PRODUCTION = True
    assert client_ip(_request("198.51.100.7", "1.2.3.4")) == "198.51.100.7"


def test_behind_a_trusted_proxy_the_first_untrusted_hop_from_the_right_is_the_client(
    behind_proxy,
):
    # the client wrote "1.2.3.4"; the proxy appended the address it saw, then a second proxy
    assert client_ip(_request(PROXY, "1.2.3.4, 203.0.113.9, 10.0.0.3")) == "203.0.113.9"
    assert client_ip(_request(PROXY)) == PROXY
    assert client_ip(_request(PROXY, "not-an-address")) == PROXY


def test_api_throttle_ignores_a_spoofed_forwarded_header(db):
    url = reverse("api-token")
    client = APIClient(REMOTE_ADDR="198.51.100.7")
    statuses = [
        client.post(
            url,
            {"username": "nobody", "password": "wrong-password"},
            format="json",
            HTTP_X_FORWARDED_FOR=f"192.0.2.{attempt}",
        ).status_code
        for attempt in range(11)
    ]
    assert statuses == [401] * 10 + [429]


def test_api_throttle_counts_each_client_behind_the_proxy(behind_proxy):
    url = reverse("api-token")
    client = APIClient(REMOTE_ADDR=PROXY)
    for _attempt in range(10):
        client.post(url, {"username": "nobody", "password": "x"}, HTTP_X_FORWARDED_FOR="192.0.2.1")
    blocked = client.post(url, {"username": "a", "password": "x"}, HTTP_X_FORWARDED_FOR="192.0.2.1")
    other = client.post(url, {"username": "a", "password": "x"}, HTTP_X_FORWARDED_FOR="192.0.2.2")
    assert (blocked.status_code, other.status_code) == (429, 401)


@pytest.mark.parametrize(
    "proxies, peer, expected",
    [([], "198.51.100.7", "198.51.100.7"), (["10.0.0.0/24"], PROXY, "203.0.113.9")],
)
def test_audit_records_the_client_address(settings, proxies, peer, expected):
    settings.CONGSO_TRUSTED_PROXIES = proxies
    citizen = CitizenFactory()
    response = APIClient(REMOTE_ADDR=peer).post(
        reverse("api-token"),
        {"username": citizen.username, "password": PASSWORD},
        format="json",
        HTTP_X_FORWARDED_FOR="1.2.3.4, 203.0.113.9",
    )
    assert response.status_code == 200, response.json()
    assert AuditRecord.objects.get(action="accounts.token.issue").ip == expected
