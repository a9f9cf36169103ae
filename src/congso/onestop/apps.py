from django.apps import AppConfig


class OnestopConfig(AppConfig):
    name = "congso.onestop"
    label = "onestop"
    verbose_name = "Một cửa liên thông"

    def ready(self):
        from django.utils.translation import gettext_lazy as _

        from congso.accounts import workspace
        from congso.accounts.choices import Role
        from congso.accounts.permissions import grant, signs
        from congso.api.partners import PARTNER_ROLE
        from congso.core import exports

        from . import printing

        exports.register("onestop.register_xlsx", printing.build_register_xlsx)
        exports.register("onestop.register_pdf", printing.build_register_pdf)
        exports.register("onestop.report_xlsx", printing.build_report_xlsx)
        grant(Role.DESK_OFFICER, "onestop.view", "onestop.receive")
        grant(Role.SPECIALIST, "onestop.view", "onestop.process")
        grant(Role.LEADER, "onestop.view", "onestop.approve", "onestop.report")
        grant(Role.DEPUTY_LEADER, "onestop.view", "onestop.approve", "onestop.report")
        grant(Role.SYSTEM_ADMIN, "onestop.view", "onestop.report", "onestop.portal_sync")
        grant(PARTNER_ROLE, "onestop.view")  # partners read their dossiers (onestop.api)
        signs("onestop.approve")  # the final approval seals the result (results.issue)
        from congso.org import signals as org_signals

        from . import reuse, services

        reuse.provide("dossier", services.earlier_offers, services.earlier_file)
        org_signals.unit_retiring.connect(
            services.refuse_retirement_with_later_activity, dispatch_uid="onestop-retiring"
        )
        org_signals.unit_merged.connect(services.move_to_successor, dispatch_uid="onestop-merged")
        section = _("Một cửa")
        workspace.register(section, "onestop.view", _("Hồ sơ cần xử lý"), "onestop:queues")
        workspace.register(
            section, "onestop.receive", _("Tiếp nhận hồ sơ"), "onestop:receive", by_position=True
        )
        workspace.register(
            section, "onestop.report", _("Báo cáo tình hình giải quyết"), "onestop:report"
        )

        workspace.register(
            _("Quản trị"),
            "onestop.portal_sync",
            _("Đồng bộ Cổng Dịch vụ công quốc gia"),
            "onestop:portal_sync",
        )
        _register_sync_check()

        from congso.core import awaiting as inbox

        from . import awaiting

        inbox.provide("onestop", awaiting.awaiting)  # what waits for an official


def _register_sync_check():
    """An unknown ``CONGSO_PORTAL_SYNC`` fails the checks (congso.E010), not the first push."""
    from django.conf import settings
    from django.core.checks import register

    from .portalsync.registry import registry

    @register()
    def portal_sync_is_registered(app_configs, **kwargs):
        identifier = settings.CONGSO_PORTAL_SYNC
        return registry.check_setting("CONGSO_PORTAL_SYNC", identifier) if identifier else []
