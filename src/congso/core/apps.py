from django.apps import AppConfig


class CoreConfig(AppConfig):
    name = "congso.core"
    label = "core"
    verbose_name = "Lõi hệ thống"

    def ready(self):
        from django.conf import settings
        from django.db.backends.signals import connection_created
        from PIL import Image

        # the deployment checks, and the ``field__any`` lookup
        from . import checks, lookups  # noqa: F401
        from .collation import register_sqlite

        # SQLite learns the Vietnamese order PostgreSQL has built in (core/collation.py).
        connection_created.connect(register_sqlite, dispatch_uid="congso.vietnamese_collation")

        # Whatever decodes an image later refuses one larger than an upload may be.
        Image.MAX_IMAGE_PIXELS = settings.UPLOAD_MAX_PIXELS
