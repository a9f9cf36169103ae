"""The administrator's "test the connection" page against each system's local sandbox: every
configured system answers with what the far end said, a wrong secret or a dead address is
reported as a failure (never a 500), a system not set up says so, and only a system
administrator may run the tests."""

import pytest
from django.urls import reverse
from sandbox import bbb, dvcqg, eid, exchange_axis, payment

from congso.accounts.models import Role
from congso.core.models import AuditRecord

pytestmark = pytest.mark.django_db


@pytest.fixture
def sandboxes(settings):
    started = {
        "payments": payment.start_in_thread(ipn_url="http://127.0.0.1:9/unused/"),
        "identity": eid.start_in_thread(port=0, redirect_uris=["http://testserver/cb/"]),
        "exchange": exchange_axis.start_in_thread(),
        "portal": dvcqg.start_in_thread(port=0),
        "video": bbb.start_in_thread(secret="bbb-shared-secret"),
    }
    settings.CONGSO_PAYMENT_PROVIDER = "vnpay"
    settings.CONGSO_PAYMENT_API_URL = (
        started["payments"].base_url + "/merchant_webapi/api/transaction"
    )
    settings.OIDC_ISSUER = started["identity"].issuer
    settings.OIDC_CLIENT_ID, settings.OIDC_CLIENT_SECRET = (
        eid.DEFAULT_CLIENT_ID,
        eid.DEFAULT_CLIENT_SECRET,
    )
    settings.CONGSO_EXCHANGE_TRANSPORT = "axis"
    settings.CONGSO_EXCHANGE_URL = started["exchange"].base_url
    settings.CONGSO_EXCHANGE_TOKEN = exchange_axis.DEFAULT_TOKEN
    settings.CONGSO_PORTAL_SYNC = "lgsp"
    settings.CONGSO_PORTAL_SYNC_URL = started["portal"].base_url
    settings.CONGSO_PORTAL_SYNC_CLIENT_ID = dvcqg.DEFAULT_CLIENT_ID
    settings.CONGSO_PORTAL_SYNC_CLIENT_SECRET = dvcqg.DEFAULT_CLIENT_SECRET
    settings.CONGSO_BBB_URL, settings.CONGSO_BBB_SECRET = started["video"].url, "bbb-shared-secret"
    yield started
    for running in started.values():
        running.stop()


@pytest.fixture
def admin_client(client, tree, official_at):
    client.force_login(official_at(tree["province"], Role.SYSTEM_ADMIN, full_name="Quản Trị"))
    return client


def _test(client, key: str) -> str:
    response = client.post(reverse("connections"), {"check": key})
    assert response.status_code == 200
    return response.content.decode()


@pytest.mark.parametrize("key", ["payments", "identity", "exchange", "portal", "video"])
def test_each_sandbox_answers(admin_client, sandboxes, key):
    assert "Kết nối tốt" in _test(admin_client, key)
    assert AuditRecord.objects.filter(action="core.connection_tested", object_id=key).exists()


def test_a_wrong_secret_or_a_dead_address_is_a_failure(admin_client, sandboxes, settings):
    settings.CONGSO_PAYMENT_HASH_SECRET = "sai"
    assert "Không kết nối được" in _test(admin_client, "payments")
    settings.CONGSO_PORTAL_SYNC_CLIENT_SECRET = "sai"
    assert "Không kết nối được" in _test(admin_client, "portal")
    settings.CONGSO_EXCHANGE_URL = "http://127.0.0.1:9"
    assert "Không kết nối được" in _test(admin_client, "exchange")
    settings.CONGSO_BBB_SECRET = "sai"
    assert "checksumError" in _test(admin_client, "video")


def test_a_system_not_set_up_says_so(admin_client, settings):
    settings.CONGSO_PORTAL_SYNC = ""
    assert "Chưa cấu hình" in _test(admin_client, "portal")
    settings.CONGSO_BBB_URL = ""
    assert "Chưa cấu hình" in _test(admin_client, "video")


def test_only_a_system_administrator(client, tree, official_at):
    client.force_login(official_at(tree["commune_a"], Role.CLERK, full_name="Văn Thư"))
    assert client.get(reverse("connections")).status_code == 403
