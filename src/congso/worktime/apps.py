from django.apps import AppConfig


class WorktimeConfig(AppConfig):
    name = "congso.worktime"
    label = "worktime"
    verbose_name = "Lịch làm việc"
