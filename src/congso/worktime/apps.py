from django.apps import AppConfig
from django.db.models.signals import post_delete, post_save


class WorktimeConfig(AppConfig):
    name = "congso.worktime"
    label = "worktime"
    verbose_name = "Lịch làm việc"

    def ready(self):
        """Any change to an exception or a unit's working hours drops the cached calendar, also
        when it is made outside the services (Django admin, a data migration)."""
        from congso.org.models import Unit

        from .models import CalendarException
        from .services import invalidate_cache

        for model in (CalendarException, Unit):
            for signal in (post_save, post_delete):
                signal.connect(
                    invalidate_cache, sender=model, dispatch_uid=f"worktime-{model.__name__}"
                )
