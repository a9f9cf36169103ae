from django.apps import AppConfig


class MeetingsConfig(AppConfig):
    name = "congso.meetings"
    label = "meetings"
    verbose_name = "Giao ban trực tuyến"

    def ready(self):
        from django.utils.translation import gettext_lazy as _

        from congso.accounts import workspace
        from congso.accounts.choices import Role
        from congso.accounts.permissions import grant, signs
        from congso.core.figures import provide

        from . import checks  # noqa: F401 - registers the system checks
        from .figures import figures

        provide("meetings", figures)
        from congso.org import signals as org_signals

        from . import services

        org_signals.unit_retiring.connect(
            services.refuse_retirement_with_later_activity, dispatch_uid="meetings-retiring"
        )
        org_signals.unit_merged.connect(services.move_to_successor, dispatch_uid="meetings-merged")

        view, schedule, approve = "meetings.view", "meetings.schedule", "meetings.approve"
        respond, endpoint = "meetings.respond", "meetings.endpoint"
        grant(Role.LEADER, view, schedule, approve, respond, endpoint)
        grant(Role.DEPUTY_LEADER, view, schedule, approve, respond, endpoint)
        grant(Role.CLERK, view, schedule, respond, endpoint)
        grant(Role.SPECIALIST, view, respond)
        grant(Role.DESK_OFFICER, view)
        grant(Role.UNIT_ADMIN, view, endpoint)
        grant(Role.SYSTEM_ADMIN, view, endpoint)
        signs(approve)  # approved minutes are sealed (minutes_pdf.issue)
        section = _("Giao ban trực tuyến")
        workspace.register(section, view, _("Lịch giao ban, hội nghị"), "meetings:list")
        workspace.register(section, view, _("Nhiệm vụ được giao"), "meetings:tasks")
        workspace.register(section, endpoint, _("Điểm cầu"), "meetings:endpoints")

        from congso.core import awaiting as inbox

        from . import awaiting

        inbox.provide("meetings", awaiting.awaiting)  # what waits for an official
