from django.apps import AppConfig


class OrgConfig(AppConfig):
    name = "congso.org"
    label = "org"
    verbose_name = "Đơn vị hành chính"
