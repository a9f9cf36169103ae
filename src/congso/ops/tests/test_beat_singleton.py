"""A second beat started by mistake sends nothing, and takes over when the first one dies."""

import os
import time

import pytest
from celery.schedules import schedule

from congso.celery import app
from congso.ops import beat


class RecordingScheduler(beat.SingletonScheduler):
    """The singleton scheduler, with what it would send to the broker recorded instead."""

    def __init__(self, lock):
        self.sent = []
        super().__init__(app=app, lazy=False, lock=lock)

    def setup_schedule(self):
        self.merge_inplace({"probe": {"task": "congso.ops.probe", "schedule": schedule(0.001)}})

    def apply_async(self, entry, producer=None, advance=True, **kwargs):
        self.sent.append(entry.name)
        return None


def _tick_until_sent(scheduler, *others, seconds: float = 5.0) -> None:
    """Tick (the others too) until ``scheduler`` sends, or ``seconds`` pass: on a loaded machine
    the first due instant of the probe can take a few ticks to come."""
    deadline = time.monotonic() + seconds
    while not scheduler.sent and time.monotonic() < deadline:
        scheduler.tick()
        for other in others:
            other.tick()
        time.sleep(0.01)


def _two_beats(make_lock):
    first, second = RecordingScheduler(make_lock()), RecordingScheduler(make_lock())
    try:
        _tick_until_sent(first, second)
        assert first.sent and not second.sent  # the second waits, the first works
        first.close()  # the first beat stops (or dies): its lock goes with it
        _tick_until_sent(second)
        assert second.sent
    finally:
        first.lock.release()
        second.lock.release()


def test_file_lock(tmp_path):
    _two_beats(lambda: beat.FileLock(tmp_path / "beat.lock"))


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_postgresql_advisory_lock(require_postgres):
    _two_beats(beat.PostgresLock)


@pytest.fixture
def redis_url():
    import redis

    url = os.environ.get("CONGSO_TEST_REDIS_URL", "")
    problem = "" if url else "CONGSO_TEST_REDIS_URL is not set"
    if url:
        try:
            redis.Redis.from_url(url, socket_connect_timeout=3).ping()
        except redis.RedisError as exc:
            problem = f"Redis at {url} is unreachable: {exc}"
    if problem:
        if os.environ.get("CONGSO_REQUIRE_SERVICES") == "1":
            pytest.fail(problem)
        pytest.skip(problem)
    return url


@pytest.mark.redis
def test_redis_lock(redis_url):
    _two_beats(lambda: beat.RedisLock(redis_url))


@pytest.mark.filterwarnings("ignore:Overriding setting DATABASES")
def test_the_lock_follows_the_deployment(settings):
    settings.CONGSO_BEAT_LOCK = "auto"
    settings.CONGSO_BEAT_LOCK_URL = ""
    settings.CELERY_BROKER_URL = "filesystem://"
    settings.DATABASES = {"default": {**settings.DATABASES["default"]}}
    settings.DATABASES["default"]["ENGINE"] = "django.db.backends.sqlite3"
    assert beat.lock_kind() == "file"
    settings.CELERY_BROKER_URL = "redis://127.0.0.1:6379/8"
    assert (beat.lock_kind(), beat.redis_url()) == ("redis", "redis://127.0.0.1:6379/8")
    settings.DATABASES["default"]["ENGINE"] = "django.db.backends.postgresql"
    assert beat.lock_kind() == "postgresql"
