"""``make cluster``: the production shape on one machine, for tests and rehearsals.

nginx (TLS, self-signed) in front of two ``python -m congso web`` processes, two Celery workers
and one beat (a second beat may be started: it waits on the lock) on a Redis of their own (or,
with ``--broker amqp``, on a virtual host of the machine's RabbitMQ), a sandbox mail relay, the
demo CA's remote-signing sandbox (officials sign there, confirming on its "phone" page), and
PostgreSQL as a primary plus a streaming replica made with Debian's ``pg_createcluster`` and
``pg_basebackup`` on ports of their own. The replica serves reports and the dashboard while its
lag is under ``CONGSO_REPLICA_MAX_LAG_SECONDS``.

    python deploy/cluster/cluster.py [--base-port 9810] [--smtp-port 9177] [--signing-port 9178]
        [--broker redis|amqp] [--demo] [--drop]

Ctrl+C stops every process (the supervisor of ``make run``), then Redis and both PostgreSQL
clusters; ``--drop`` also deletes the clusters. Needs root (the clusters belong to ``postgres``).
"""

import argparse
import json
import os
import shutil
import signal
import subprocess
import sys
import time
from dataclasses import dataclass
from pathlib import Path

REPO = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(REPO / "src"))

from congso.ops import supervisor  # noqa: E402 - after the path
from congso.ops.roles import WORKER_ENV, beat_argv, web_argv, worker_argv  # noqa: E402

PG_VERSION = os.environ.get("CONGSO_CLUSTER_PG", "15")


@dataclass(frozen=True)
class Ports:
    base: int

    @property
    def primary(self):
        return self.base

    @property
    def replica(self):
        return self.base + 1

    @property
    def redis(self):
        return self.base + 2

    @property
    def web(self):
        return (self.base + 3, self.base + 4)

    @property
    def https(self):
        return self.base + 5

    @property
    def http(self):
        return self.base + 6

    #: The sandbox mail relay (outside the block of seven: --smtp-port).
    smtp: int = 9177
    #: The remote-signing sandbox (outside the block too: --signing-port).
    signing: int = 9178


def _run(*argv, **kwargs):
    return subprocess.run(argv, check=True, capture_output=True, text=True, **kwargs)


def _as_postgres(*argv):
    return _run("runuser", "-u", "postgres", "--", *argv)


def _cluster_name(role: str, ports: Ports) -> str:
    return f"congso_{role}_{ports.base}"


def _exists(name: str) -> bool:
    return Path(f"/etc/postgresql/{PG_VERSION}/{name}/postgresql.conf").exists()


def _start_cluster(name: str, port: int) -> None:
    """Start it unless it is already running (pg_ctlcluster answers 2 then)."""
    started = subprocess.run(
        ["pg_ctlcluster", "--skip-systemctl-redirect", PG_VERSION, name, "start"],
        capture_output=True,
        text=True,
    )
    if started.returncode not in (0, 2):
        raise RuntimeError(started.stderr)
    _wait_pg(port)


def _wait_pg(port: int, timeout: float = 60) -> None:
    deadline = time.monotonic() + timeout
    while subprocess.run(["pg_isready", "-q", "-h", "127.0.0.1", "-p", str(port)]).returncode:
        if time.monotonic() > deadline:
            raise RuntimeError(f"PostgreSQL on {port} did not start")
        time.sleep(0.5)


def start_postgres(ports: Ports) -> None:
    """Primary (created once), then a replica cloned from it with pg_basebackup."""
    primary = _cluster_name("primary", ports)
    if not _exists(primary):
        _run(
            "pg_createcluster", PG_VERSION, primary, "-p", str(ports.primary),
            "--", "--auth-local=trust", "--auth-host=trust",
        )  # fmt: skip
        conf = Path(f"/etc/postgresql/{PG_VERSION}/{primary}")
        with (conf / "conf.d" / "congso.conf").open("w") as extra:
            extra.write("listen_addresses = '127.0.0.1'\nwal_level = replica\n")
            extra.write("max_wal_senders = 5\nwal_keep_size = '256MB'\nfsync = off\n")
        with (conf / "pg_hba.conf").open("a") as hba:
            hba.write("host replication all 127.0.0.1/32 trust\n")
    _start_cluster(primary, ports.primary)
    exists = _run("psql", "-h", "127.0.0.1", "-p", str(ports.primary), "-U", "postgres", "-tAc",
                  "SELECT 1 FROM pg_database WHERE datname = 'congso'").stdout.strip()  # fmt: skip
    if not exists:
        _run("createdb", "-h", "127.0.0.1", "-p", str(ports.primary), "-U", "postgres", "congso")
    replica = _cluster_name("replica", ports)
    if not _exists(replica):
        _run(
            "pg_createcluster", PG_VERSION, replica, "-p", str(ports.replica),
            "--", "--auth-local=trust", "--auth-host=trust",
        )  # fmt: skip
        data = Path(f"/var/lib/postgresql/{PG_VERSION}/{replica}")
        shutil.rmtree(data)
        data.mkdir(mode=0o700)  # its parent belongs to root: postgres cannot create it
        shutil.chown(data, "postgres", "postgres")
        _as_postgres(
            "pg_basebackup", "-h", "127.0.0.1", "-p", str(ports.primary), "-U", "postgres",
            "-D", str(data), "-R", "-X", "stream", "-c", "fast",
        )  # fmt: skip
        conf = Path(f"/etc/postgresql/{PG_VERSION}/{replica}/conf.d/congso.conf")
        conf.write_text("listen_addresses = '127.0.0.1'\nhot_standby = on\nfsync = off\n")
    _start_cluster(replica, ports.replica)


def stop_postgres(ports: Ports, drop: bool) -> None:
    for role in ("replica", "primary"):
        name = _cluster_name(role, ports)
        if not _exists(name):
            continue
        subprocess.run(
            ["pg_ctlcluster", "--skip-systemctl-redirect", PG_VERSION, name, "stop", "-m", "fast"],
            capture_output=True,
        )
        if drop:
            subprocess.run(["pg_dropcluster", PG_VERSION, name], capture_output=True)
            # pg_dropcluster leaves the folder when it holds a file of ours (conf.d/congso.conf)
            shutil.rmtree(f"/etc/postgresql/{PG_VERSION}/{name}", ignore_errors=True)


def redis_child(ports: Ports, var: Path) -> supervisor.Child:
    """Redis with its append-only file, restarted when it dies (as systemd would): a restart
    keeps the queued tasks."""
    (var / "redis").mkdir(parents=True, exist_ok=True)
    return supervisor.Child(
        "redis",
        ["redis-server", "--bind", "127.0.0.1", "--port", str(ports.redis), "--save", "",
         "--appendonly", "yes", "--dir", str(var / "redis"), "--logfile", "redis.log"],
        restart=True,
    )  # fmt: skip


def wait_redis(ports: Ports, timeout: float = 20) -> None:
    deadline = time.monotonic() + timeout
    while (
        subprocess.run(
            ["redis-cli", "-p", str(ports.redis), "ping"], capture_output=True
        ).stdout.strip()
        != b"PONG"
    ):
        if time.monotonic() > deadline:
            raise RuntimeError("Redis did not start")
        time.sleep(0.2)


def amqp_vhost(ports: Ports) -> str:
    return f"congso_cluster_{ports.base}"


def broker_url(ports: Ports, broker: str) -> str:
    """Redis (the cluster's own), or the machine's RabbitMQ on a virtual host of its own."""
    if broker == "amqp":
        return f"amqp://guest:guest@127.0.0.1:5672/{amqp_vhost(ports)}"
    return f"redis://127.0.0.1:{ports.redis}/0"


def prepare_rabbitmq(ports: Ports) -> None:
    vhost = amqp_vhost(ports)
    subprocess.run(["rabbitmqctl", "delete_vhost", vhost], capture_output=True)  # a clean queue
    _run("rabbitmqctl", "add_vhost", vhost)
    _run("rabbitmqctl", "set_permissions", "-p", vhost, "guest", ".*", ".*", ".*")


def environment(ports: Ports, var: Path, broker: str = "redis") -> dict[str, str]:
    return {
        "CONGSO_ENV": "development",
        "CONGSO_VAR_DIR": str(var),
        "PYTHONPATH": f"{REPO / 'src'}:{REPO}",
        "DATABASE_URL": f"postgres://postgres@127.0.0.1:{ports.primary}/congso",
        "CONGSO_REPLICA_URL": f"postgres://postgres@127.0.0.1:{ports.replica}/congso",
        "CELERY_BROKER_URL": broker_url(ports, broker),
        "CONGSO_CACHE_URL": f"redis://127.0.0.1:{ports.redis}/1",
        "CONGSO_TRUSTED_PROXIES": "127.0.0.1",
        "CONGSO_WEB_NODES": "2",
        "CONGSO_MEDIA_SHARED": "1",  # both web processes see var/media
        "CONGSO_PUBLIC_URL": f"https://127.0.0.1:{ports.https}",
        "CONGSO_ALLOWED_HOSTS": "127.0.0.1,localhost",
        "CONGSO_CSRF_TRUSTED_ORIGINS": f"https://127.0.0.1:{ports.https}",
        # Mail to the sandbox relay; a dead worker's claimed rows come back within seconds.
        "CONGSO_EMAIL_HOST": "127.0.0.1",
        "CONGSO_EMAIL_PORT": str(ports.smtp),
        "CONGSO_NOTIFY_LEASE_SECONDS": "15",
        # Officials sign with the demo CA's remote service (their keys: var/remote_signing).
        "CONGSO_REMOTE_SIGNING_URL": f"http://127.0.0.1:{ports.signing}",
        "CONGSO_REMOTE_SIGNING_SP_ID": "congso",
        "CONGSO_REMOTE_SIGNING_SP_PASSWORD": "congso-sandbox-remote-signing",
        # The replica stops serving reports after 2 s of lag (a test pauses its replay).
        "CONGSO_REPLICA_MAX_LAG_SECONDS": "2",
        # Every load generator comes from 127.0.0.1: the per-address lookup limit would stop it.
        "CONGSO_LOOKUP_RATE": "100000/min",
        "CONGSO_LOGIN_RATE": "1000/min",
    }


def nginx_config(ports: Ports, directory: Path) -> Path:
    """The shipped site configuration (deploy/nginx), on this cluster's ports and a
    self-signed certificate."""
    directory.mkdir(parents=True, exist_ok=True)
    cert, key = directory / "fullchain.pem", directory / "privkey.pem"
    if not cert.exists():
        _run("openssl", "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "30",
             "-subj", "/CN=127.0.0.1", "-keyout", str(key), "-out", str(cert))  # fmt: skip
    servers = "".join(
        f"    server 127.0.0.1:{port} max_fails=1 fail_timeout=5s;\n" for port in ports.web
    )
    (directory / "congso-upstream.conf").write_text(
        f"upstream congso_web {{\n{servers}    keepalive 16;\n}}\n"
    )
    nginx = REPO / "deploy" / "nginx"
    shutil.copy(nginx / "congso-proxy.conf", directory / "congso-proxy.conf")
    site = (
        (nginx / "congso.conf")
        .read_text()
        .replace("/etc/nginx/congso-upstream.conf", str(directory / "congso-upstream.conf"))
        .replace("/etc/nginx/congso-proxy.conf", str(directory / "congso-proxy.conf"))
        .replace("/etc/congso/tls/fullchain.pem", str(cert))
        .replace("/etc/congso/tls/privkey.pem", str(key))
        .replace("listen 443 ssl", f"listen {ports.https} ssl")
        .replace("listen [::]:443 ssl", f"listen [::1]:{ports.https} ssl")
        .replace("listen 80;", f"listen {ports.http};")
        .replace("listen [::]:80;", f"listen [::1]:{ports.http};")
        .replace("server_name congso.example.vn;", "server_name 127.0.0.1 localhost;")
        .replace("return 301 https://$host$request_uri;", f"return 301 https://$host:{ports.https}$request_uri;")
    )  # fmt: skip
    (directory / "site.conf").write_text(site)
    main = directory / "nginx.conf"
    main.write_text(
        f"pid {directory}/nginx.pid;\nerror_log {directory}/error.log;\nworker_processes 1;\n"
        "events { worker_connections 1024; }\n"
        f"http {{\n  access_log off;\n  include /etc/nginx/mime.types;\n"
        f"  client_body_temp_path {directory}/body;\n  proxy_temp_path {directory}/proxy;\n"
        f"  include {directory}/site.conf;\n}}\n"
    )
    return main


def prepare(ports: Ports, var: Path, demo: bool, broker: str) -> dict[str, str]:
    start_postgres(ports)
    if broker == "amqp":
        prepare_rabbitmq(ports)
    env = {**os.environ, **environment(ports, var, broker)}
    python = sys.executable
    _run(python, "-m", "congso", "migrate", "--no-input", "-v0", env=env, cwd=REPO)
    if demo:
        _run(python, "-m", "congso", "load_demo", env=env, cwd=REPO)
    return env


def children(ports: Ports, var: Path, mail_delay: float) -> list[supervisor.Child]:
    nginx = shutil.which("nginx") or "/usr/sbin/nginx"
    config = nginx_config(ports, var / "nginx")
    mail = ["-m", "sandbox.smtp", "--port", str(ports.smtp), "--maildir", str(var / "mail")]
    signing = ["-m", "sandbox.remote_signing", "--port", str(ports.signing),
               "--keys", str(var / "remote_signing")]  # fmt: skip
    return [
        supervisor.Child("smtp", [sys.executable, *mail, "--delay", str(mail_delay)]),
        supervisor.Child("signing", [sys.executable, *signing]),
        supervisor.Child("beat", beat_argv()),
        supervisor.Child("worker1", worker_argv(2, "worker1@%h"), WORKER_ENV, restart=True),
        supervisor.Child("worker2", worker_argv(2, "worker2@%h"), WORKER_ENV, restart=True),
        supervisor.Child("web1", web_argv("127.0.0.1", ports.web[0]), restart=True),
        supervisor.Child("web2", web_argv("127.0.0.1", ports.web[1]), restart=True),
        supervisor.Child("nginx", [nginx, "-c", str(config), "-g", "daemon off;"]),
    ]


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--base-port", type=int, default=9810)
    parser.add_argument("--smtp-port", type=int, default=9177)
    parser.add_argument("--signing-port", type=int, default=9178)
    parser.add_argument("--var", default=str(REPO / "var" / "cluster"))
    parser.add_argument("--broker", choices=("redis", "amqp"), default="redis")
    parser.add_argument("--mail-delay", type=float, default=0.0, help="giây giữ mỗi thư")
    parser.add_argument("--demo", action="store_true", help="nạp dữ liệu mẫu")
    parser.add_argument("--drop", action="store_true", help="xoá các cụm PostgreSQL khi dừng")
    options = parser.parse_args(argv)
    ports = Ports(options.base_port, options.smtp_port, options.signing_port)
    var = Path(options.var).resolve()
    var.mkdir(parents=True, exist_ok=True)
    redis = redis_child(ports, var)
    try:
        redis.spawn()  # first: migrations and the demo already use the cache
        wait_redis(ports)
        prepare(ports, var, options.demo, options.broker)
        os.environ.update(environment(ports, var, options.broker))
        team = [redis, *children(ports, var, options.mail_delay)]
        guard = supervisor.Supervisor(team)
        guard.start()
        (var / "cluster.json").write_text(
            json.dumps(
                {
                    "https": f"https://127.0.0.1:{ports.https}",
                    "broker": options.broker,
                    "maildir": str(var / "mail"),
                    "ports": {"primary": ports.primary, "replica": ports.replica,
                              "redis": ports.redis, "web": list(ports.web), "smtp": ports.smtp,
                              "signing": ports.signing},
                    "pids": {child.name: child.process.pid for child in team},
                }
            )
        )  # fmt: skip
        print(f"Công Sở (cụm) tại https://127.0.0.1:{ports.https}  (Ctrl+C để dừng)", flush=True)
        return guard.wait()
    finally:
        if redis.alive():  # stopped here when the start failed before the supervisor ran
            redis.signal_group(signal.SIGTERM)
            redis.process.wait(timeout=10)
        stop_postgres(ports, options.drop)
        if options.drop and options.broker == "amqp":
            subprocess.run(["rabbitmqctl", "delete_vhost", amqp_vhost(ports)], capture_output=True)


if __name__ == "__main__":
    sys.exit(main())
