"""Real worker processes: a Celery worker on the broker-less filesystem transport, one on Redis,
and a worker killed in the middle of an SMTP conversation.

The workers are subprocesses that share the test database (committed rows: ``transaction=True``)
through ``DATABASE_URL`` and deliver to the aiosmtpd server of the test process. The test process
publishes through ``notify()`` → ``transaction.on_commit`` → ``drain_outbox.delay()``, with a Celery
app pointed at the same broker and at a queue of its own (so workers of parallel runs on the same
Redis never take each other's messages).
"""

import contextlib
import os
import socket
import subprocess
import sys
import uuid
from pathlib import Path
from urllib.parse import quote

import pytest
from celery import Celery, current_app
from django.db import connection, transaction
from django.utils import timezone

import congso
from congso.notify.models import Notification, Status
from congso.notify.services import drain, notify

from .conftest import wait_for

pytestmark = [
    pytest.mark.django_db(transaction=True),
    pytest.mark.slow,
]

DRAIN_ONCE = (
    "import sys, django; django.setup(); "
    "from congso.notify.services import drain; drain(lease=int(sys.argv[1]))"
)


def database_url() -> str:
    """The test database as a ``DATABASE_URL`` another process can open."""
    params = connection.settings_dict
    if connection.vendor == "sqlite":
        name = str(params["NAME"])
        assert Path(name).is_absolute(), "the SQLite test database must be a file"
        return f"sqlite:///{name}"
    auth = quote(params["USER"] or "", safe="")
    if params["PASSWORD"]:
        auth += ":" + quote(params["PASSWORD"], safe="")
    host = params["HOST"] or "localhost"
    return f"postgres://{auth}@{host}:{params['PORT'] or 5432}/{params['NAME']}"


def worker_env(var_dir: Path, smtp_port: int, broker_url: str) -> dict[str, str]:
    env = {
        key: value
        for key, value in os.environ.items()
        if key not in {"CELERY_TASK_ALWAYS_EAGER", "CONGSO_EMAIL_USER", "CONGSO_EMAIL_PASSWORD"}
    }
    env.update(
        DJANGO_SETTINGS_MODULE="congso.settings",
        DATABASE_URL=database_url(),
        CONGSO_VAR_DIR=str(var_dir),
        CONGSO_EMAIL_HOST="127.0.0.1",
        CONGSO_EMAIL_PORT=str(smtp_port),
        CONGSO_EMAIL_TLS="0",
        CELERY_BROKER_URL=broker_url,
        PYTHONPATH=str(Path(congso.__file__).resolve().parent.parent),
    )
    return env


def filesystem_options(var_dir: Path) -> dict:
    """The same folders ``settings.py`` derives from ``CONGSO_VAR_DIR`` in the worker."""
    queue_dir = var_dir / "celery" / "queue"
    processed = var_dir / "celery" / "processed"
    control = var_dir / "celery" / "control"
    for folder in (queue_dir, processed, control):
        folder.mkdir(parents=True, exist_ok=True)
    return {
        "data_folder_in": str(queue_dir),
        "data_folder_out": str(queue_dir),
        "processed_folder": str(processed),
        "control_folder": str(control),
        "store_processed": False,
    }


@contextlib.contextmanager
def publishing_to(broker_url: str, queue: str, transport_options: dict | None = None):
    """Make ``drain_outbox.delay()`` in this process publish to ``broker_url``/``queue``."""
    import congso.notify.tasks  # noqa: F401 - registers the shared task with new apps

    app = Celery("congso-test-publisher", set_as_current=False)
    app.conf.update(
        broker_url=broker_url,
        broker_transport_options=transport_options or {},
        task_default_queue=queue,
        task_always_eager=False,
        broker_connection_retry_on_startup=False,
    )
    previous = current_app._get_current_object()
    app.set_current()
    try:
        yield app
    finally:
        previous.set_current()
        app.close()


@contextlib.contextmanager
def celery_worker(env: dict, queue: str, log_path: Path):
    """``celery -A congso worker`` in a subprocess, consuming only ``queue``."""
    command = [
        sys.executable,
        "-m",
        "celery",
        "-A",
        "congso",
        "worker",
        "--pool=solo",
        "--queues",
        queue,
        "--hostname",
        f"{queue}@%h",
        "--without-gossip",
        "--without-mingle",
        "--without-heartbeat",
        "--loglevel=INFO",
    ]
    with open(log_path, "wb") as log:
        process = subprocess.Popen(command, env=env, stdout=log, stderr=subprocess.STDOUT)
    try:
        yield process
    finally:
        process.terminate()
        try:
            process.wait(timeout=20)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()


def _delivered(row_pk: int, mailbox, log_path: Path, timeout: float = 60):
    def done():
        return mailbox.messages and Notification.objects.get(pk=row_pk).status == Status.SENT

    try:
        wait_for(done, timeout=timeout, interval=0.2)
    except AssertionError:
        log = log_path.read_text(errors="replace") if log_path.exists() else ""
        pytest.fail(f"the worker did not deliver; its log:\n{log[-4000:]}")


def _queue_name() -> str:
    return f"congso-test-notify-{uuid.uuid4().hex[:10]}"


def test_filesystem_broker_worker_in_another_process_delivers(tmp_path, smtp_server):
    """No broker server at all: the message waits as a file, a separate worker process takes it
    and delivers the e-mail."""
    var_dir, queue = tmp_path / "var", _queue_name()
    options = filesystem_options(var_dir)
    with publishing_to("filesystem://", queue, options), transaction.atomic():
        [row] = notify(
            "can.bo@example.vn", "generic", {"subject": "Qua thư mục", "body": "Nội dung"}
        )
    waiting = list(Path(options["data_folder_out"]).glob(f"*.{queue}.msg"))
    assert len(waiting) == 1, "the kick must be a message on disk"
    assert Notification.objects.get(pk=row.pk).status == Status.PENDING

    log = tmp_path / "worker.log"
    with celery_worker(worker_env(var_dir, smtp_server.port, "filesystem://"), queue, log):
        _delivered(row.pk, smtp_server.handler, log)
    [message] = smtp_server.handler.messages
    assert message["Subject"] == "Qua thư mục"
    assert "congso.notify.tasks.drain_outbox" in log.read_text(errors="replace")
    assert list(Path(options["data_folder_out"]).glob(f"*.{queue}.msg")) == []


def test_worker_killed_mid_send_loses_nothing(tmp_path, smtp_server, settings):
    """A worker is killed while talking to a mail server that never answers. Its row stays
    claimed until the lease runs out, then the next drain sends it — exactly once."""
    var_dir, queue = tmp_path / "var", _queue_name()
    with publishing_to("filesystem://", queue, filesystem_options(var_dir)), transaction.atomic():
        [row] = notify("nguoi.dan@example.vn", "generic", {"subject": "Không mất", "body": "b"})

    silent = socket.socket()
    silent.bind(("127.0.0.1", 0))
    silent.listen(1)
    silent.settimeout(30)
    lease = 6
    env = worker_env(var_dir, silent.getsockname()[1], "filesystem://")
    process = subprocess.Popen([sys.executable, "-c", DRAIN_ONCE, str(lease)], env=env)
    try:
        peer, _address = silent.accept()  # the worker is now inside the SMTP conversation
        process.kill()
        process.wait(timeout=10)
        peer.close()
    finally:
        if process.poll() is None:
            process.kill()
        silent.close()

    row.refresh_from_db()
    assert row.status == Status.SENDING and row.attempts == 1
    assert row.locked_until > timezone.now()
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST, settings.EMAIL_PORT = "127.0.0.1", smtp_server.port
    assert drain().claimed == 0, "a live lease belongs to its worker"

    wait_for(lambda: timezone.now() > row.locked_until, timeout=lease + 5)
    result = drain()
    assert (result.claimed, result.sent) == (1, 1)
    row.refresh_from_db()
    assert row.status == Status.SENT and row.attempts == 2
    assert [m["Subject"] for m in smtp_server.handler.messages] == ["Không mất"]


@pytest.fixture
def redis_url():
    """``CONGSO_TEST_REDIS_URL``; skipped when absent or unreachable, except in CI
    (``CONGSO_REQUIRE_SERVICES=1``) where that is a failure."""
    import redis

    url = os.environ.get("CONGSO_TEST_REDIS_URL", "")
    required = os.environ.get("CONGSO_REQUIRE_SERVICES") == "1"
    problem = "" if url else "CONGSO_TEST_REDIS_URL is not set"
    if url:
        try:
            redis.Redis.from_url(url, socket_connect_timeout=3).ping()
        except redis.RedisError as exc:
            problem = f"Redis at {url} is unreachable: {exc}"
    if problem:
        if required:
            pytest.fail(problem + " (CONGSO_REQUIRE_SERVICES=1)")
        pytest.skip(problem)
    return url


@pytest.mark.redis
def test_redis_broker_worker_delivers(tmp_path, smtp_server, redis_url):
    """The production path: notify() commits, the kick goes through Redis, a real worker
    process drains the outbox and the e-mail reaches the SMTP server."""
    import redis

    queue = _queue_name()
    log = tmp_path / "worker.log"
    try:
        with (
            celery_worker(worker_env(tmp_path / "var", smtp_server.port, redis_url), queue, log),
            publishing_to(redis_url, queue),
        ):
            with transaction.atomic():
                [row] = notify(
                    "lanh.dao@example.vn", "generic", {"subject": "Qua Redis", "body": "b"}
                )
            _delivered(row.pk, smtp_server.handler, log)
    finally:
        client = redis.Redis.from_url(redis_url)
        stale = client.keys(f"*{queue}*")
        if stale:
            client.delete(*stale)
    assert [m["Subject"] for m in smtp_server.handler.messages] == ["Qua Redis"]
    assert "congso.notify.tasks.drain_outbox" in log.read_text(errors="replace")
