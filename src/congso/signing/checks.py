"""Deployment checks of the signing app (``python -m congso check --deploy``); the passphrase
is one of the secrets ``core.checks`` requires."""

from django.core.checks import Error, Tags, register


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
