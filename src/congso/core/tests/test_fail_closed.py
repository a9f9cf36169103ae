"""A deployment that forgot a variable refuses to start instead of running unsafely.

The rules are unit-tested through ``deployment_problems``; the subprocess tests show that both
``check --deploy`` and a real process start (a management command, the WSGI application) refuse.
"""

import pytest

from congso.core.checks import deployment_problems

from .test_settings import _production, _run

pytestmark = pytest.mark.slow

STRONG = "x" * 40


@pytest.fixture
def production(settings):
    settings.PRODUCTION = True
    settings.ENVIRONMENT = "production"
    settings.DEMO_MODE = False
    settings.PUBLIC_URL = "https://congso.example.vn"
    settings.SECRET_KEY = STRONG
    settings.CONGSO_AUDIT_KEY = STRONG
    settings.CONGSO_SIGNING_PASSPHRASE = STRONG
    settings.CONGSO_KEY_ENCRYPTION_KEY = STRONG
    settings.CONGSO_JITSI_SECRET = STRONG
    settings.CONGSO_PAYMENT_URL = ""
    settings.CONGSO_BBB_URL = ""
    settings.OIDC_ISSUER = ""
    settings.EMAIL_HOST = "smtp.example.vn"  # a mail relay is required too (congso.E020)
    return settings


def _ids(problems):
    return sorted((problem.id, problem.msg.split()[0]) for problem in problems)


def test_a_complete_production_configuration_has_no_problem(production):
    assert deployment_problems() == []


@pytest.mark.parametrize(
    "name, value",
    [
        ("CONGSO_SIGNING_PASSPHRASE", ""),
        ("CONGSO_SIGNING_PASSPHRASE", "congso-dev-signing-passphrase"),
        ("CONGSO_JITSI_SECRET", ""),
        ("CONGSO_KEY_ENCRYPTION_KEY", ""),
        ("CONGSO_AUDIT_KEY", ""),
    ],
)
def test_missing_or_development_secret(production, name, value):
    setattr(production, name, value)
    assert _ids(deployment_problems()) == [("congso.E002", name)]


def test_provider_secrets_are_required_once_the_provider_is_configured(production):
    production.CONGSO_BBB_URL = "https://bbb.example.vn/bigbluebutton"
    production.CONGSO_BBB_SECRET = ""
    production.CONGSO_PAYMENT_URL = "https://pay.example.vn/vpcpay.html"
    production.CONGSO_PAYMENT_HASH_SECRET = "congso-sandbox-payment-secret"
    assert _ids(deployment_problems()) == [
        ("congso.E002", "CONGSO_BBB_SECRET"),
        ("congso.E002", "CONGSO_PAYMENT_HASH_SECRET"),
    ]


def test_demo_accounts_are_refused(production):
    production.DEMO_MODE = True
    assert _ids(deployment_problems()) == [("congso.E003", "CONGSO_DEMO")]


@pytest.mark.parametrize("url", ["", "http://127.0.0.1:8000", "https://localhost"])
def test_public_url_must_be_a_real_address(production, url):
    production.PUBLIC_URL = url
    assert _ids(deployment_problems()) == [("congso.E004", "CONGSO_PUBLIC_URL")]


@pytest.mark.filterwarnings("ignore:Overriding setting DATABASES")
def test_postgresql_without_an_explicit_environment_is_refused(settings):
    settings.ENVIRONMENT = ""
    settings.PRODUCTION = False
    settings.DATABASES = {"default": {**settings.DATABASES["default"]}}
    settings.DATABASES["default"]["ENGINE"] = "django.db.backends.postgresql"
    assert _ids(deployment_problems()) == [("congso.E001", "DATABASE_URL")]
    settings.ENVIRONMENT = "test"
    assert deployment_problems() == []


def test_process_start_refuses_demo_accounts_in_production(tmp_path):
    result = _run(["showmigrations", "core"], **_production(tmp_path, CONGSO_DEMO="1"))
    assert result.returncode != 0
    assert "congso.E003" in result.stderr


def test_process_start_refuses_postgresql_without_congso_env(tmp_path):
    result = _run(
        ["help"],
        DATABASE_URL="postgres://nobody@127.0.0.1:1/none",
        CONGSO_VAR_DIR=str(tmp_path),
    )
    assert result.returncode == 0  # help is not a start
    result = _run(
        ["showmigrations"],
        DATABASE_URL="postgres://nobody@127.0.0.1:1/none",
        CONGSO_VAR_DIR=str(tmp_path),
    )
    assert result.returncode != 0
    assert "congso.E001" in result.stderr


def test_web_server_start_refuses_an_unsafe_configuration(tmp_path):
    result = _run([], code="import congso.wsgi", **_production(tmp_path, CONGSO_JITSI_SECRET=None))
    assert result.returncode != 0
    assert "congso.E002: CONGSO_JITSI_SECRET" in result.stderr
