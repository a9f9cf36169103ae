from django.apps import AppConfig


class IctConfig(AppConfig):
    name = "congso.ict"
    label = "ict"
    verbose_name = "Hạ tầng công nghệ thông tin"

    def ready(self):
        from django.utils.translation import gettext_lazy as _

        from congso.accounts import workspace
        from congso.accounts.choices import Role
        from congso.accounts.permissions import grant
        from congso.core import figures as dashboard_figures

        from . import figures, services

        view, manage = services.VIEW, services.MANAGE
        for role in (Role.UNIT_ADMIN, Role.SYSTEM_ADMIN, Role.LEADER):
            grant(role, view, manage)
        grant(Role.DEPUTY_LEADER, view)
        section = _("Hạ tầng CNTT")
        workspace.register(
            section, view, _("Thiết bị, IPv6, nhân lực và đầu tư CNTT"), "ict:summary"
        )
        dashboard_figures.provide("ict", figures.provide)
