from django.apps import AppConfig


class SigningConfig(AppConfig):
    name = "congso.signing"
    label = "signing"
    verbose_name = "Chữ ký số"

    def ready(self):
        from . import checks  # noqa: F401 - registers the deployment checks
