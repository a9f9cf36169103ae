"""Production refuses the national payment platform with an empty or sandbox secret key."""

from congso.payments.checks import paygov_secret_is_real
from congso.payments.providers.contrib.paygov.plugin import SANDBOX_SECRET


def test_sandbox_or_empty_secret_is_refused_in_production(settings):
    settings.PRODUCTION = True
    settings.CONGSO_PAYMENT_PROVIDER = "paygov"
    for secret in ("", SANDBOX_SECRET):
        settings.CONGSO_PAYGOV_SECRET_KEY = secret
        assert [e.id for e in paygov_secret_is_real(None)] == ["congso.payments.E002"]
    settings.CONGSO_PAYGOV_SECRET_KEY = "issued-by-the-platform"
    assert paygov_secret_is_real(None) == []
    settings.CONGSO_PAYMENT_PROVIDER = "vnpay"
    settings.CONGSO_PAYGOV_SECRET_KEY = ""
    assert paygov_secret_is_real(None) == []
