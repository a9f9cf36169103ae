"""The processes of a deployment, one role each: ``python -m congso web|worker|beat`` (and Django's ``migrate``),
and ``run``, all of them under one supervisor (``make run``).

The container image, the systemd units and ``make run``/``make cluster`` start the same roles,
so a node is configured by its environment only. ``web``, ``worker`` and ``beat`` replace this
process (exec), so the service manager's signals reach the server itself.
"""

import argparse
import os
import shlex
import sys

from . import supervisor

#: ``migrate`` is Django's own command (``python -m congso migrate --no-input``), run once per
#: upgrade before the new web nodes take traffic.
ROLES = ("web", "worker", "beat", "run")


#: ``make run``'s web server: one granian worker process per core. One Python process runs
#: Python on one core at a time (the GIL); a deployment runs one ``web`` process per core behind
#: nginx instead (``docs/deploy.md``), ``make run`` has no nginx in front. On 2 cores, two
#: workers answer the cached public lookup and procedure page 1.9–2.4× the requests/s of one
#: (``docs/performance.md``, seventh round).
RUN_WEB_WORKERS = os.cpu_count() or 1


def web_argv(host: str, port: int, workers: int = 1, threads: int = 4) -> list[str]:
    return [
        sys.executable,
        "-m",
        "granian",
        "--interface",
        "wsgi",
        "--host",
        host,
        "--port",
        str(port),
        "--workers",
        str(workers),
        "--blocking-threads",
        str(threads),
        "--workers-kill-timeout",
        "5",
        "--log-level",
        "warning",
        "congso.wsgi:application",
    ]


def worker_argv(concurrency: int = 2, name: str = "worker@%h") -> list[str]:
    return [
        sys.executable,
        "-m",
        "celery",
        "-A",
        "congso",
        "worker",
        "--loglevel=WARNING",
        f"--concurrency={concurrency}",
        f"--hostname={name}",
    ]


def beat_argv() -> list[str]:
    """Beat alone (never ``worker -B``): the scheduler is the singleton of ``ops.beat``."""
    return [sys.executable, "-m", "celery", "-A", "congso", "beat", "--loglevel=WARNING"]


#: SIGTERM makes a worker do a soft shutdown (running tasks get
#: ``CELERY_WORKER_SOFT_SHUTDOWN_TIMEOUT`` seconds, then are requeued) instead of a warm one,
#: which waits for them however long they take.
WORKER_ENV = {"REMAP_SIGTERM": "SIGQUIT"}


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="python -m congso")
    roles = parser.add_subparsers(dest="role", required=True)
    web = roles.add_parser("web", help="máy chủ web (granian)")
    web.add_argument("--host", default="0.0.0.0")  # noqa: S104 - behind the reverse proxy
    web.add_argument("--port", type=int, default=8000)
    web.add_argument("--workers", type=int, default=1)
    web.add_argument("--threads", type=int, default=4)
    worker = roles.add_parser("worker", help="tiến trình xử lý nền (Celery)")
    worker.add_argument("--concurrency", type=int, default=2)
    worker.add_argument("--name", default="worker@%h")
    roles.add_parser("beat", help="bộ lập lịch (một bản duy nhất, có khoá)")
    run = roles.add_parser("run", help="tất cả trên một máy, cho phát triển (make run)")
    run.add_argument("--host", default="127.0.0.1")
    run.add_argument("--port", type=int, default=8000)
    run.add_argument("--concurrency", type=int, default=2)
    run.add_argument(
        "--workers", type=int, default=RUN_WEB_WORKERS, help="số tiến trình web (mặc định: số lõi)"
    )
    run.add_argument("--grace", type=float, default=supervisor.GRACE_SECONDS)
    run.add_argument(
        "--also", action="append", default=[], help="một lệnh nữa chạy cùng (vd. hộp cát)"
    )
    return parser


def _also(command: str) -> supervisor.Child:
    """Another process to run alongside, named by its module (``python -m sandbox.eid …``)."""
    argv = shlex.split(command)
    name = argv[2] if argv[1:2] == ["-m"] and len(argv) > 2 else os.path.basename(argv[0])
    return supervisor.Child(name, argv)


def _exec(argv: list[str], env: dict[str, str] | None = None) -> None:
    os.execve(argv[0], argv, {**os.environ, **(env or {})})  # noqa: S606 - our own argv


def main(argv: list[str]) -> int:
    options = _parser().parse_args(argv)
    if options.role == "web":
        _exec(web_argv(options.host, options.port, options.workers, options.threads))
    elif options.role == "worker":
        _exec(worker_argv(options.concurrency, options.name), WORKER_ENV)
    elif options.role == "beat":
        _exec(beat_argv())
    children = [
        *(_also(command) for command in options.also),
        supervisor.Child("beat", beat_argv()),
        supervisor.Child("worker", worker_argv(options.concurrency), WORKER_ENV),
        supervisor.Child("web", web_argv(options.host, options.port, options.workers)),
    ]
    return supervisor.run(children, grace=options.grace)
