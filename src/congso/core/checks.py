"""Fail closed: the settings a real deployment must not run with.

``python -m congso check --deploy`` lists them as errors, and every process start (the web
server's WSGI application, the Celery worker and beat, management commands) refuses them
(``refuse_unsafe_start``), so a forgotten variable stops the service instead of quietly running
it with development secrets or demo accounts.
"""

from urllib.parse import urlsplit

from django.conf import settings
from django.core.checks import Error, Tags, register
from django.core.exceptions import ImproperlyConfigured

ENVIRONMENTS = ("production", "development", "test")
#: Secrets that are fine on a developer's machine and fatal anywhere else.
DEVELOPMENT_SECRETS = frozenset(
    {"congso-dev-signing-passphrase", "congso-sandbox-payment-secret", "congso-sandbox-secret"}
)
LOCAL_HOSTS = frozenset({"", "localhost", "127.0.0.1", "::1", "0.0.0.0"})  # noqa: S104


def _required_secrets() -> dict[str, str]:
    """Setting name → value, for each secret production needs (some only when in use)."""
    secrets = {
        "CONGSO_SECRET_KEY": settings.SECRET_KEY,
        "CONGSO_AUDIT_KEY": settings.CONGSO_AUDIT_KEY,
        "CONGSO_SIGNING_PASSPHRASE": settings.CONGSO_SIGNING_PASSPHRASE,
        # The seal's key is in the database, encrypted with this one (signing.keystore).
        "CONGSO_KEY_ENCRYPTION_KEY": settings.CONGSO_KEY_ENCRYPTION_KEY,
        # Jitsi is every meeting's default bridge: no secret = rooms open to anyone, no token.
        "CONGSO_JITSI_SECRET": settings.CONGSO_JITSI_SECRET,
    }
    if settings.CONGSO_PAYMENT_URL:
        secrets["CONGSO_PAYMENT_HASH_SECRET"] = settings.CONGSO_PAYMENT_HASH_SECRET
    if settings.CONGSO_BBB_URL:
        secrets["CONGSO_BBB_SECRET"] = settings.CONGSO_BBB_SECRET
    if settings.OIDC_ISSUER:
        secrets["CONGSO_OIDC_CLIENT_SECRET"] = settings.OIDC_CLIENT_SECRET
    return secrets


def _environment_problems() -> list[Error]:
    if settings.ENVIRONMENT and settings.ENVIRONMENT not in ENVIRONMENTS:
        return [
            Error(
                f"CONGSO_ENV={settings.ENVIRONMENT!r} is not one of {', '.join(ENVIRONMENTS)}.",
                id="congso.E001",
            )
        ]
    engine = settings.DATABASES["default"]["ENGINE"]
    if not settings.ENVIRONMENT and engine == "django.db.backends.postgresql":
        return [
            Error(
                "DATABASE_URL points at PostgreSQL but CONGSO_ENV is not set.",
                hint="Set CONGSO_ENV=production for a real deployment (development or test "
                "otherwise): without it the platform would run with development settings.",
                id="congso.E001",
            )
        ]
    return []


def _production_problems() -> list[Error]:
    problems = [
        Error(
            f"{name} is empty or a development value.",
            hint="Set a long random secret of this deployment's own.",
            id="congso.E002",
        )
        for name, value in _required_secrets().items()
        if not value or value in DEVELOPMENT_SECRETS
    ]
    if settings.DEMO_MODE:
        problems.append(
            Error(
                "CONGSO_DEMO is on: the demo accounts and their shared password can log in.",
                hint="Remove CONGSO_DEMO (it is off by default in production).",
                id="congso.E003",
            )
        )
    host = urlsplit(settings.PUBLIC_URL).hostname or ""
    if host in LOCAL_HOSTS:
        problems.append(
            Error(
                f"CONGSO_PUBLIC_URL is {settings.PUBLIC_URL or 'not set'}.",
                hint="Set the https:// address citizens use: links in mail, SMS, QR codes and "
                "payment returns are built from it.",
                id="congso.E004",
            )
        )
    return problems


#: Rules of the apps above core, plugged in at start-up (``provide``): the deployment's own
#: (``congso.ops.checks``: mail relay, shared files, beat lock) are checked the same way.
_PROVIDED: list = []


def provide(rules) -> None:
    """Add ``rules`` (a function returning a list of errors) to the production checks."""
    if rules not in _PROVIDED:
        _PROVIDED.append(rules)


def deployment_problems() -> list[Error]:
    problems = _environment_problems()
    if settings.PRODUCTION:
        problems += _production_problems()
        for rules in _PROVIDED:
            problems += rules()
    return problems


@register(Tags.security)
def deployment_is_safe(app_configs, **kwargs):
    return deployment_problems()


def refuse_unsafe_start() -> None:
    """Stop a process that would serve with an unsafe configuration (listing every problem)."""
    problems = deployment_problems()
    if problems:
        raise ImproperlyConfigured(
            "Công Sở refuses to start:\n"
            + "\n".join(f"{p.id}: {p.msg} {p.hint or ''}".rstrip() for p in problems)
        )
