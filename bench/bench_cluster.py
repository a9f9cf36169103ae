"""Failover under load through nginx (``make cluster`` running, or started by the test):
requests/s with two web processes, with one, and what a killed web process costs.

    python bench/bench_cluster.py [--cluster var/cluster/cluster.json] [--seconds 10]

A closed-loop load generator (threads, keep-alive, TLS to nginx): each thread sends its next
request when the previous one answered, so requests/s measures the platform, not the client.
"""

import argparse
import http.client
import json
import os
import re
import signal
import ssl
import subprocess
import threading
import time
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import urlsplit


@dataclass
class Result:
    ok: int = 0
    failed: list = field(default_factory=list)
    latencies: list = field(default_factory=list)
    seconds: float = 0.0

    @property
    def rps(self) -> float:
        return self.ok / self.seconds if self.seconds else 0.0

    def p(self, q: float) -> float:
        if not self.latencies:
            return 0.0
        ordered = sorted(self.latencies)
        return ordered[min(len(ordered) - 1, int(q * len(ordered)))]

    def line(self, name: str) -> str:
        return (
            f"{name}: {self.ok} ok, {len(self.failed)} failed, {self.rps:.1f} req/s, "
            f"p50 {self.p(0.5) * 1000:.0f} ms, p99 {self.p(0.99) * 1000:.0f} ms"
        )


def _connector(base: str):
    parts = urlsplit(base)
    if parts.scheme == "http":
        return lambda: http.client.HTTPConnection(parts.hostname, parts.port, timeout=30)
    context = ssl.create_default_context()
    context.check_hostname, context.verify_mode = False, ssl.CERT_NONE
    return lambda: http.client.HTTPSConnection(
        parts.hostname, parts.port, timeout=30, context=context
    )


def load(base, path: str, seconds: float, threads: int = 8, during=None) -> Result:
    """GET ``path`` from ``threads`` loops for ``seconds``; ``base`` is one address or a list
    (threads spread over them); ``during(elapsed)`` is called every 0.1 s from the main thread
    (to kill something mid-run)."""
    bases = [base] if isinstance(base, str) else list(base)
    connectors = [_connector(one) for one in bases]
    result, lock, stop = Result(), threading.Lock(), threading.Event()

    def loop(connect):
        connection = None
        while not stop.is_set():
            if connection is None:
                connection = connect()
            began = time.perf_counter()
            try:
                connection.request("GET", path)
                response = connection.getresponse()
                response.read()
                status = response.status
            except (OSError, http.client.HTTPException) as error:
                status = type(error).__name__
                connection.close()
                connection = None
            took = time.perf_counter() - began
            with lock:
                if status == 200:
                    result.ok += 1
                    result.latencies.append(took)
                else:
                    result.failed.append(status)

    workers = [
        threading.Thread(target=loop, args=(connectors[i % len(connectors)],), daemon=True)
        for i in range(threads)
    ]
    began = time.monotonic()
    for worker in workers:
        worker.start()
    while (elapsed := time.monotonic() - began) < seconds:
        if during is not None:
            during(elapsed)
        time.sleep(0.1)
    stop.set()
    for worker in workers:
        worker.join(timeout=35)
    result.seconds = time.monotonic() - began
    return result


def listener(port: int) -> int:
    """The process listening on ``port`` (``ss``), whichever start of it this is."""
    out = subprocess.run(
        ["ss", "-Hltnp", f"sport = :{port}"], capture_output=True, text=True, check=True
    ).stdout
    return int(re.search(r"pid=(\d+)", out).group(1))


def kill_web(cluster: dict, index: int = 0) -> None:
    """A web node dies: SIGKILL to its whole process group (server and workers)."""
    os.killpg(os.getpgid(listener(cluster["ports"]["web"][index])), signal.SIGKILL)


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--cluster", default="var/cluster/cluster.json")
    parser.add_argument("--seconds", type=float, default=10)
    parser.add_argument("--path", default="/")
    options = parser.parse_args()
    cluster = json.loads(Path(options.cluster).read_text())
    base = cluster["https"]
    load(base, options.path, 2)  # warm both processes
    empty = load(base, "/healthz", options.seconds)
    two = load(base, options.path, options.seconds)
    webs = [f"http://127.0.0.1:{port}" for port in cluster["ports"]["web"]]
    one_process = load(webs[:1], options.path, options.seconds)
    two_processes = load(webs, options.path, options.seconds)
    killed = []

    def kill_once(elapsed):
        if elapsed > options.seconds / 3 and not killed:
            kill_web(cluster)
            killed.append(elapsed)

    failover = load(base, "/healthz", options.seconds, during=kill_once)
    time.sleep(5)  # the supervisor starts web1 again
    killed.clear()
    failover_page = load(base, options.path, options.seconds, during=kill_once)
    print(empty.line("empty view (/healthz) via nginx, 2 web"))  # noqa: T201
    print(two.line(f"{options.path} via nginx, 2 web"))  # noqa: T201
    print(one_process.line(f"{options.path} direct, 1 web process"))  # noqa: T201
    print(two_processes.line(f"{options.path} direct, 2 web processes"))  # noqa: T201
    print(f"ratio 2/1 processes: {two_processes.rps / one_process.rps:.2f}")  # noqa: T201
    print(failover.line("empty view via nginx, web1 killed"))  # noqa: T201
    print(failover_page.line(f"{options.path} via nginx, web1 killed"))  # noqa: T201


if __name__ == "__main__":
    main()
