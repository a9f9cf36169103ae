"""Deployment checks of the signing app (``python -m congso check --deploy``)."""

from django.conf import settings
from django.core.checks import Error, Tags, register


@register(Tags.security, deploy=True)
def passphrase_is_set(app_configs, **kwargs):
    """Stored PKCS#12 keys are encrypted with this passphrase; production must set its own."""
    if settings.PRODUCTION and not settings.CONGSO_SIGNING_PASSPHRASE:
        return [
            Error(
                "CONGSO_SIGNING_PASSPHRASE is not set.",
                hint="Set a long secret passphrase: it encrypts the stored signing keys.",
                id="congso.signing.E001",
            )
        ]
    return []


@register(Tags.security, deploy=True)
def trusted_cas_load(app_configs, **kwargs):
    """Personal keys are enrolled only under these CAs: a path that does not load would refuse
    every enrolment (or fail it), so it is reported before the site starts."""
    from .enrolment import configured_roots

    try:
        configured_roots()
    except (OSError, ValueError) as exc:
        return [
            Error(
                f"CONGSO_SIGNING_TRUSTED_CAS does not load: {exc}",
                hint="List PEM files (or bundles) of the trusted CAs, separated by the path "
                "separator.",
                id="congso.signing.E002",
            )
        ]
    return []
