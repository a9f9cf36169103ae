from django.apps import AppConfig


class DashboardConfig(AppConfig):
    name = "congso.dashboard"
    label = "dashboard"
    verbose_name = "Bảng điều hành chuyển đổi số"
