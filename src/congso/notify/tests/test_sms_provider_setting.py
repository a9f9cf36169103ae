"""``CONGSO_SMS_PROVIDER`` picks the SMS provider by identifier; an unknown one fails clearly."""

import pytest
from django.core.management import call_command
from django.core.management.base import SystemCheckError

from congso.core.plugins import UnknownPlugin
from congso.notify.checks import sms_provider_is_registered
from congso.notify.sms.contrib.http_gateway.plugin import HttpGatewayProvider
from congso.notify.sms.registry import get_provider


def test_the_identifier_picks_the_provider(settings):
    settings.SMS_PROVIDER = "http_gateway"
    assert isinstance(get_provider(), HttpGatewayProvider)
    assert sms_provider_is_registered(None) == []


def test_an_unknown_identifier_fails_at_use_and_in_the_checks(settings):
    settings.SMS_PROVIDER = "congso.notify.sms.LocalSinkProvider"  # the old dotted form
    with pytest.raises(UnknownPlugin, match="SMS provider"):
        get_provider()
    assert [e.id for e in sms_provider_is_registered(None)] == ["congso.E010"]
    with pytest.raises(SystemCheckError, match="congso.E010"):
        call_command("check", "--deploy")
