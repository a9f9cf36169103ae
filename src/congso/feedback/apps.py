from django.apps import AppConfig


class FeedbackConfig(AppConfig):
    name = "congso.feedback"
    label = "feedback"
    verbose_name = "Đánh giá, phản ánh kiến nghị"

    def ready(self):
        from django.utils.translation import gettext_lazy as _

        from congso.accounts import workspace
        from congso.accounts.choices import Role
        from congso.accounts.permissions import grant
        from congso.core import figures as dashboard

        from . import figures

        for role in (Role.DESK_OFFICER, Role.SPECIALIST, Role.LEADER, Role.DEPUTY_LEADER):
            grant(role, "feedback.handle")
        grant(Role.DESK_OFFICER, "feedback.desk_rate")
        for role in (Role.LEADER, Role.DEPUTY_LEADER, Role.SYSTEM_ADMIN):
            grant(role, "feedback.report")
        section = _("Phản ánh, kiến nghị")
        workspace.register(
            section, "feedback.handle", _("Phản ánh, kiến nghị cần trả lời"), "feedback:queue"
        )
        workspace.register(
            section, "feedback.desk_rate", _("Đánh giá hài lòng tại quầy"), "feedback:desk"
        )
        workspace.register(
            section, "feedback.report", _("Báo cáo mức độ hài lòng"), "feedback:report"
        )
        dashboard.provide("feedback", figures.provide)
        from congso.onestop.signals import dossier_changed

        from .signals import invite_to_rate

        dossier_changed.connect(invite_to_rate, dispatch_uid="feedback.invite_to_rate")

        from congso.core import awaiting as inbox

        from . import awaiting

        inbox.provide("feedback", awaiting.awaiting)  # what waits for an official
