from django.apps import AppConfig


class IctConfig(AppConfig):
    name = "congso.ict"
    label = "ict"
    verbose_name = "Hạ tầng công nghệ thông tin"
