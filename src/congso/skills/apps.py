from django.apps import AppConfig


class SkillsConfig(AppConfig):
    name = "congso.skills"
    label = "skills"
    verbose_name = "Kỹ năng số"

    def ready(self):
        from django.utils.translation import gettext_lazy as _

        from congso.accounts import workspace
        from congso.accounts.choices import Role
        from congso.accounts.permissions import grant
        from congso.core import figures as dashboard_figures

        from . import figures, services

        view, manage = services.VIEW, services.MANAGE
        for role in (Role.LEADER, Role.DEPUTY_LEADER, Role.SPECIALIST, Role.UNIT_ADMIN):
            grant(role, view, manage)
        grant(Role.SYSTEM_ADMIN, view, manage)
        grant(Role.CLERK, view)
        grant(Role.DESK_OFFICER, view)
        section = _("Kỹ năng số")
        workspace.register(section, view, _("Độ phủ kỹ năng số"), "skills:coverage")
        workspace.register(section, view, _("Tổ công nghệ số cộng đồng"), "skills:teams")
        workspace.register(section, view, _("Chương trình, buổi tập huấn"), "skills:programmes")
        dashboard_figures.provide("skills", figures.provide)
