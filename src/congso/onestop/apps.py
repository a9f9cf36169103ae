from django.apps import AppConfig


class OnestopConfig(AppConfig):
    name = "congso.onestop"
    label = "onestop"
    verbose_name = "Một cửa liên thông"

    def ready(self):
        from congso.accounts.models import Role
        from congso.accounts.permissions import grant

        grant(Role.DESK_OFFICER, "onestop.view", "onestop.receive")
        grant(Role.SPECIALIST, "onestop.view", "onestop.process")
        grant(Role.LEADER, "onestop.view", "onestop.approve", "onestop.report")
        grant(Role.DEPUTY_LEADER, "onestop.view", "onestop.approve", "onestop.report")
        grant(Role.SYSTEM_ADMIN, "onestop.view", "onestop.report")
