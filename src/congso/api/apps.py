from django.apps import AppConfig


class ApiConfig(AppConfig):
    name = "congso.api"
    label = "api"
    verbose_name = "API"

    def ready(self):
        from congso.accounts.models import Role
        from congso.accounts.permissions import grant
        from congso.documents.lifecycle import REGISTER, VIEW

        from .partners import MANAGE_ACTION, PARTNER_ROLE

        grant(PARTNER_ROLE, VIEW, REGISTER, "onestop.view")
        grant(Role.SYSTEM_ADMIN, MANAGE_ACTION)
