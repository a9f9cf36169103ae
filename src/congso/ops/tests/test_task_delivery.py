"""A worker that dies mid-task loses nothing (issue 19, item 2b): every task of the platform is
acknowledged only after it ran (``acks_late``), a task whose worker process was killed goes back
to the queue (``reject_on_worker_lost``), and a worker holds one message at a time, so a killed
worker takes no queued message down with it."""

from django.conf import settings

from congso.celery import app


def test_every_task_is_acknowledged_after_it_ran():
    app.loader.import_default_modules()  # the tasks of every installed app
    ours = {name: task for name, task in app.tasks.items() if name.startswith("congso.")}
    assert len(ours) > 10
    late = {name for name, task in ours.items() if task.acks_late}
    assert late == set(ours)
    assert all(task.reject_on_worker_lost for task in ours.values())


def test_a_worker_holds_one_message_and_hands_back_the_running_ones():
    assert settings.CELERY_TASK_ACKS_LATE and settings.CELERY_TASK_REJECT_ON_WORKER_LOST
    assert settings.CELERY_WORKER_PREFETCH_MULTIPLIER == 1
    assert app.conf.task_acks_late and app.conf.task_reject_on_worker_lost
    assert app.conf.worker_prefetch_multiplier == 1
    # A stop (SIGTERM, remapped to a soft shutdown) requeues what is still running after this
    # many seconds, within the 10 s an orchestrator waits.
    assert 0 < app.conf.worker_soft_shutdown_timeout < 10
