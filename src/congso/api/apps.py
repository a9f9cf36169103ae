from django.apps import AppConfig


class ApiConfig(AppConfig):
    name = "congso.api"
    label = "api"
    verbose_name = "API"

    def ready(self):
        from congso.accounts.models import Role
        from congso.accounts.permissions import grant

        from .partners import MANAGE_ACTION

        grant(Role.SYSTEM_ADMIN, MANAGE_ACTION)
