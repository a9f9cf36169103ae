from django.apps import AppConfig


class CoreConfig(AppConfig):
    name = "congso.core"
    label = "core"
    verbose_name = "Lõi hệ thống"

    def ready(self):
        from django.conf import settings
        from PIL import Image

        from . import checks  # noqa: F401 - registers the deployment checks

        # Whatever decodes an image later refuses one larger than an upload may be.
        Image.MAX_IMAGE_PIXELS = settings.UPLOAD_MAX_PIXELS
