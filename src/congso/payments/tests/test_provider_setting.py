"""``CONGSO_PAYMENT_PROVIDER`` picks the gateway by identifier; an unknown one fails clearly."""

import pytest
from django.core.management import call_command
from django.core.management.base import SystemCheckError

from congso.core.plugins import UnknownPlugin
from congso.payments.checks import gateway_is_registered
from congso.payments.providers.contrib.vnpay.plugin import VNPay
from congso.payments.providers.registry import get_provider, registry


def test_the_default_identifier_picks_vnpay_with_the_settings(settings):
    assert settings.CONGSO_PAYMENT_PROVIDER == "vnpay"
    provider = get_provider()
    assert isinstance(provider, VNPay)
    assert provider.identifier == "vnpay"
    assert provider.tmn_code == settings.CONGSO_PAYMENT_TMN_CODE
    assert ("vnpay", "VNPay") in registry.choices()


def test_an_unknown_identifier_fails_at_use_and_in_the_checks(settings):
    settings.CONGSO_PAYMENT_PROVIDER = "momo"
    with pytest.raises(UnknownPlugin, match="'momo'"):
        get_provider()
    assert [e.id for e in gateway_is_registered(None)] == ["congso.E010"]
    with pytest.raises(SystemCheckError, match="congso.E010"):
        call_command("check", "--deploy")


def test_a_known_identifier_passes_the_check(settings):
    assert gateway_is_registered(None) == []
