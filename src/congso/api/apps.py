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
        from django.utils.translation import gettext_lazy as _

        from congso.accounts import workspace

        workspace.register(
            _("Quản trị"), MANAGE_ACTION, _("Sự kiện cho hệ thống đối tác"), "partners:webhooks"
        )
