"""Fail closed on the deployment's shape (``check --deploy`` and every process start, through
``core.checks.provide``): production needs a mail relay, files that every web node sees, and a
beat that is a singleton across machines."""

from django.conf import settings
from django.core.checks import Error

from congso.core import checks as core_checks

from . import beat, health

SINGLETON_SCHEDULER = "congso.ops.beat:SingletonScheduler"
LOCAL_FILE_STORAGE = "django.core.files.storage.FileSystemStorage"
LOCK_KINDS = ("postgresql", "redis", "file")


def _mail_problems() -> list[Error]:
    if settings.EMAIL_HOST:
        return []
    return [
        Error(
            "CONGSO_EMAIL_HOST is not set: mail would be written to files under var/mail.",
            hint="Set the mail relay (CONGSO_EMAIL_HOST, CONGSO_EMAIL_PORT, CONGSO_EMAIL_USER, "
            "CONGSO_EMAIL_PASSWORD, CONGSO_EMAIL_TLS).",
            id="congso.E020",
        )
    ]


def _storage_problems() -> list[Error]:
    backend = settings.STORAGES["default"]["BACKEND"]
    if settings.CONGSO_WEB_NODES <= 1 or backend != LOCAL_FILE_STORAGE:
        return []
    if settings.CONGSO_MEDIA_SHARED:
        return []
    return [
        Error(
            f"CONGSO_WEB_NODES={settings.CONGSO_WEB_NODES} with files on each node's own disk "
            f"({settings.MEDIA_ROOT}).",
            hint="Mount a shared filesystem at CONGSO_MEDIA_ROOT on every node and set "
            "CONGSO_MEDIA_SHARED=1, or use an S3-compatible CONGSO_FILE_STORAGE.",
            id="congso.E021",
        )
    ]


def _object_storage_problems() -> list[Error]:
    """An S3-compatible store needs a bucket that answers; without one every upload would fail
    at the first request, not at the start."""
    if settings.STORAGES["default"]["BACKEND"] != settings.S3_STORAGE:
        return []
    if not settings.STORAGES["default"].get("OPTIONS", {}).get("bucket_name"):
        problem = "without CONGSO_S3_BUCKET"
    else:
        try:
            health.reach_storage()
            return []
        except Exception as exc:  # noqa: BLE001 - whatever the store says is the reason
            problem = f"but its bucket does not answer ({type(exc).__name__}: {exc})"
    return [
        Error(
            f"CONGSO_FILE_STORAGE={settings.S3_STORAGE} {problem}.",
            hint="See docs/deploy.md, “Several machines”, Files: the bucket, its endpoint and "
            "the access keys (CONGSO_S3_*).",
            id="congso.E024",
        )
    ]


def _beat_problems() -> list[Error]:
    if settings.CELERY_BEAT_SCHEDULER != SINGLETON_SCHEDULER:
        return [
            Error(
                f"CELERY_BEAT_SCHEDULER is {settings.CELERY_BEAT_SCHEDULER}: beat has no "
                "singleton lock, each beat started sends every job.",
                id="congso.E022",
            )
        ]
    kind = beat.lock_kind()
    if kind not in LOCK_KINDS:
        message = f"CONGSO_BEAT_LOCK={kind!r} is not one of auto, {', '.join(LOCK_KINDS)}."
    elif kind == "redis" and not beat.redis_url():
        message = "CONGSO_BEAT_LOCK=redis without a Redis (CONGSO_BEAT_LOCK_URL or the broker)."
    elif kind == "file" and (
        settings.DATABASES["default"]["ENGINE"] != "django.db.backends.sqlite3"
        or settings.CONGSO_WEB_NODES > 1
    ):
        message = "CONGSO_BEAT_LOCK=file holds on one machine only: beats on others run too."
    else:
        return []
    return [
        Error(
            message,
            hint="Leave CONGSO_BEAT_LOCK=auto (PostgreSQL advisory lock, or Redis).",
            id="congso.E022",
        )
    ]


def _error_reporting_problems() -> list[Error]:
    if not settings.CONGSO_SENTRY_DSN:
        return []
    try:
        import sentry_sdk  # noqa: F401
    except ImportError:
        return [
            Error(
                "CONGSO_SENTRY_DSN is set but sentry-sdk is not installed: no error is reported.",
                hint="pip install sentry-sdk, or remove CONGSO_SENTRY_DSN.",
                id="congso.E023",
            )
        ]
    return []


def production_problems() -> list[Error]:
    return (
        _mail_problems()
        + _storage_problems()
        + _object_storage_problems()
        + _beat_problems()
        + _error_reporting_problems()
    )


core_checks.provide(production_problems)
