"""The Celery application. Workers run ``celery -A congso worker -B``."""

import os

from celery import Celery, signals

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "congso.settings")

app = Celery("congso", task_cls="congso.core.jobs:ActingTask")
app.config_from_object("django.conf:settings", namespace="CELERY")
app.autodiscover_tasks()


@signals.worker_init.connect
@signals.beat_init.connect
def _refuse_unsafe_start(**kwargs):
    """A worker or beat with an unsafe configuration stops (Celery logs and ignores exceptions
    raised by signal handlers, so this exits)."""
    from django.core.exceptions import ImproperlyConfigured

    from congso.core.checks import refuse_unsafe_start

    try:
        refuse_unsafe_start()
    except ImproperlyConfigured as problem:
        raise SystemExit(str(problem)) from problem
