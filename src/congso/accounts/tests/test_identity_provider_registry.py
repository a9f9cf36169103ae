"""The identity providers are plugins chosen by identifier: both shipped ones are registered
with their claim dialect, the configured one is what the login uses, and an identifier nobody
registered is a system-check error, not a failure at a citizen's first login."""

import pytest
from django.core import checks

from congso.accounts import eid
from congso.accounts.identity_providers.registry import get_provider, registry

PORTAL_CLAIMS = {"sub": "s", "SoDinhDanh": "001099012345", "HoVaTen": "Trần Thị Lan"}


def test_both_providers_are_registered_with_their_dialect(settings):
    assert {"oidc", "vneid_portal"} <= {identifier for identifier, _name in registry.choices()}
    settings.OIDC_CLAIM_DIALECT = ""
    portal = registry.get("vneid_portal")
    assert eid.identity_from_claims(PORTAL_CLAIMS, portal.claim_dialect).full_name == "Trần Thị Lan"
    assert (
        eid.identity_from_claims(PORTAL_CLAIMS, registry.get("oidc").claim_dialect).full_name == ""
    )


def test_the_setting_chooses_the_provider(settings):
    settings.CONGSO_IDENTITY_PROVIDER = "vneid_portal"
    assert get_provider().identifier == "vneid_portal"
    settings.OIDC_ISSUER = ""
    assert not get_provider().enabled()


@pytest.mark.parametrize(
    ("setting", "value"),
    [("CONGSO_IDENTITY_PROVIDER", "khong-co"), ("CONGSO_PORTAL_SYNC", "khong-co")],
)
def test_an_unknown_identifier_fails_the_checks(settings, setting, value):
    setattr(settings, setting, value)
    errors = [e for e in checks.run_checks() if e.id == "congso.E010"]
    assert any(setting in e.msg for e in errors)
