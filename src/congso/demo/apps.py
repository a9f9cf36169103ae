from django.apps import AppConfig


class DemoConfig(AppConfig):
    name = "congso.demo"
    label = "demo"
    verbose_name = "Dữ liệu mẫu"
