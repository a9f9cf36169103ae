from django.apps import AppConfig


class NotifyConfig(AppConfig):
    name = "congso.notify"
    label = "notify"
    verbose_name = "Thông báo"

    def ready(self):
        from . import checks  # noqa: F401 - registers the system checks
