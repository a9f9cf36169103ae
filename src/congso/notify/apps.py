from django.apps import AppConfig


class NotifyConfig(AppConfig):
    name = "congso.notify"
    label = "notify"
    verbose_name = "Thông báo"
