"""The base class of every Celery task: a job acts as the system, under its own name."""

from celery import Task

from .context import AuditActor, acting_as


class ActingTask(Task):
    """Audit records written by a job name the job (``system:<task name>``), not "system"."""

    def __call__(self, *args, **kwargs):
        with acting_as(AuditActor(username=f"system:{self.name}"[:150])):
            return super().__call__(*args, **kwargs)
