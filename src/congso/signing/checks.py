"""Deployment checks of the signing app (``python -m congso check --deploy``); the passphrase
is one of the secrets ``core.checks`` requires."""

from django.conf import settings
from django.core.checks import Error, Tags, Warning, register


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
                f"CONGSO_TRUST_ANCHORS does not load: {exc}",
                hint="List PEM files (or bundles) of the trusted CAs, separated by the path "
                "separator.",
                id="congso.signing.E002",
            )
        ]
    return []


@register(Tags.security, deploy=True)
def trust_anchors_set(app_configs, **kwargs):
    """Without the National Root CA and the Government CA roots no signature of a real CA is
    reported trusted (the demo root never is outside demo mode)."""
    if settings.CONGSO_TRUST_ANCHORS or settings.DEMO_MODE:
        return []
    return [
        Warning(
            "CONGSO_TRUST_ANCHORS is empty: verification trusts only the roots an administrator "
            "marks trusted, and personal certificates cannot be enrolled.",
            hint="Point it at the PEM files of the National Root CA and the Government CA roots.",
            id="congso.signing.W001",
        )
    ]
