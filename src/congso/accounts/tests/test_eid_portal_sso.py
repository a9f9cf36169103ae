"""The portal's single sign-on: the flow runs against the local provider answering in the
standard OIDC claim names and in the portal's (``SoDinhDanh``, ``HoVaTen``,
``NgayThangNamSinh``, ``GioiTinh``, ``LoaiTaiKhoan``); ``acr_values`` is sent and a login
below the required level of assurance is refused; ES256 tokens, a signed userinfo and
endpoints set by hand (no discovery document) all work."""

import datetime as dt

import pytest
from sandbox.eid import DEFAULT_CLIENT_ID, DEFAULT_CLIENT_SECRET, start_in_thread

from congso.accounts import eid
from congso.accounts.models import User

from .eid_helpers import CALLBACK, authorize, callback, login_page_message

pytestmark = pytest.mark.django_db
CUONG = "040088007788"


@pytest.fixture
def start(settings):
    started = []

    def run(dialect="oidc", **options):
        running = start_in_thread(port=0, redirect_uris=[CALLBACK], dialect=dialect, **options)
        started.append(running)
        settings.OIDC_ISSUER = running.issuer
        settings.OIDC_CLIENT_ID = DEFAULT_CLIENT_ID
        settings.OIDC_CLIENT_SECRET = DEFAULT_CLIENT_SECRET
        settings.OIDC_CLAIM_DIALECT = dialect
        return running

    yield run
    for running in started:
        running.stop()


@pytest.mark.parametrize("dialect", ["oidc", "portal"])
def test_the_flow_in_either_claim_dialect(client, start, dialect, settings):
    settings.OIDC_ACR_VALUES = "vneid-level-2"
    settings.OIDC_MIN_LEVEL = 2
    running = start(dialect)
    response = callback(client, authorize(client, CUONG))
    assert response.status_code == 302 and response.url != "/accounts/login/"
    user = User.objects.get(id_number=CUONG)
    assert user.full_name == "Lê Văn Cường"
    assert user.date_of_birth is not None
    assert client.session[eid.LEVEL_KEY] == 2
    assert running.provider.acr_values_seen == ["vneid-level-2"]


def test_the_portal_dialect_reads_the_portals_claim_names(settings):
    settings.OIDC_CLAIM_DIALECT = "portal"
    identity = eid.identity_from_claims(
        {
            "sub": "abc",
            "SoDinhDanh": "001099012345",
            "HoVaTen": "Trần  Thị Lan",
            "NgayThangNamSinh": "07/03/1999",
            "GioiTinh": "Nữ",
            "LoaiTaiKhoan": "CongDan",
            "acr": "vneid-level-2",
        }
    )
    assert identity.id_number == "001099012345" and identity.full_name == "Trần Thị Lan"
    assert identity.date_of_birth == dt.date(1999, 3, 7) and identity.sex == "female"
    assert identity.account_type == "CongDan" and identity.level == 2
    settings.OIDC_CLAIM_MAP = "id_number=MaDinhDanh"
    assert eid.identity_from_claims({"sub": "abc", "MaDinhDanh": "1"}).id_number == "1"


def test_a_login_below_the_required_level_is_refused(client, start, settings):
    settings.OIDC_MIN_LEVEL = 2
    start("portal", level=1)
    response = callback(client, authorize(client, CUONG))
    assert "mức độ 2" in login_page_message(client, response)
    assert not User.objects.filter(id_number=CUONG).exists()


def test_es256_a_signed_userinfo_and_endpoints_set_by_hand(client, start, settings):
    running = start("portal", algorithm="ES256", signed_userinfo=True, discovery_published=False)
    base = running.issuer
    settings.OIDC_AUTHORIZATION_ENDPOINT = f"{base}/authorize"
    settings.OIDC_TOKEN_ENDPOINT = f"{base}/token"
    settings.OIDC_JWKS_URI = f"{base}/jwks"
    settings.OIDC_USERINFO_ENDPOINT = f"{base}/userinfo"
    response = callback(client, authorize(client, CUONG))
    assert response.status_code == 302 and response.url != "/accounts/login/"
    assert User.objects.get(id_number=CUONG).full_name == "Lê Văn Cường"


def test_without_discovery_or_endpoints_the_login_fails_cleanly(client, start):
    start("oidc", discovery_published=False)
    response = client.get("/accounts/eid/start/")
    assert response.status_code == 302 and response.url == "/accounts/login/"
