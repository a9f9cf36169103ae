"""``python -m congso check --deploy`` stops a production start whose payment gateway is set
up (address or merchant code) without its own hash secret."""

import pytest
from django.core.management import call_command
from django.core.management.base import SystemCheckError

from congso.payments.checks import gateway_secret_is_real
from congso.payments.providers.contrib.vnpay.plugin import SANDBOX_SECRET


@pytest.fixture
def production(settings):
    settings.PRODUCTION = True
    settings.CONGSO_PAYMENT_URL = "https://pay.vnpay.vn/vpcpay.html"
    settings.CONGSO_PAYMENT_TMN_CODE = "NGHILOC1"
    return settings


@pytest.mark.parametrize("secret", ["", SANDBOX_SECRET])
def test_missing_or_sandbox_secret_is_an_error(production, secret):
    production.CONGSO_PAYMENT_HASH_SECRET = secret
    assert [e.id for e in gateway_secret_is_real(None)] == ["congso.payments.E001"]


def test_merchant_code_without_address_or_secret_is_still_an_error(production):
    production.CONGSO_PAYMENT_URL = ""
    production.CONGSO_PAYMENT_HASH_SECRET = ""
    assert [e.id for e in gateway_secret_is_real(None)] == ["congso.payments.E001"]


def test_check_deploy_command_fails(production):
    production.CONGSO_PAYMENT_HASH_SECRET = ""
    with pytest.raises(SystemCheckError, match="congso.payments.E001"):
        call_command("check", "--deploy", "--tag", "security")


def test_real_secret_passes(production):
    production.CONGSO_PAYMENT_HASH_SECRET = "a-real-secret-issued-by-the-gateway"
    assert gateway_secret_is_real(None) == []
