from django.apps import AppConfig


class DashboardConfig(AppConfig):
    name = "congso.dashboard"
    label = "dashboard"
    verbose_name = "Bảng điều hành chuyển đổi số"

    def ready(self):
        from django.utils.translation import gettext_lazy as _

        from congso.accounts import workspace
        from congso.accounts.choices import Role
        from congso.accounts.permissions import grant
        from congso.core.figures import provide
        from congso.onestop.reports import register_reader
        from congso.onestop.signals import dossier_changed, portal_answered

        from . import store

        provide("onestop", store.onestop_figures)
        register_reader(store.report_rows)
        dossier_changed.connect(store.mark_changed, dispatch_uid="dashboard-mark-changed")
        portal_answered.connect(store.mark_changed, dispatch_uid="dashboard-portal-answered")
        view = "dashboard.view"
        for role in (Role.LEADER, Role.DEPUTY_LEADER, Role.UNIT_ADMIN, Role.SYSTEM_ADMIN):
            grant(role, view)
        workspace.register(
            _("Chuyển đổi số"), view, _("Bảng điều hành chuyển đổi số"), "dashboard:overview"
        )
