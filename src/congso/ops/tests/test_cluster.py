"""``make cluster`` under load (issue 19, item 2): nginx, two web processes, two workers, one
beat, PostgreSQL primary + streaming replica, Redis. Killing a web process loses no request,
the replica serves while fresh, a second beat sends nothing, and Ctrl+C stops it all.

Minutes, needs root (Debian's pg_createcluster): run with ``CONGSO_TEST_CLUSTER=1``.
"""

import importlib.util
import json
import os
import re
import signal
import subprocess
import time
import urllib.request
from pathlib import Path

import pytest

from .processes import PYTHON, REPO, processes_of

pytestmark = [
    pytest.mark.cluster,
    pytest.mark.skipif(
        os.environ.get("CONGSO_TEST_CLUSTER") != "1", reason="CONGSO_TEST_CLUSTER=1 runs it"
    ),
]
BASE_PORT = 9850


def _module(name: str, path: str):
    spec = importlib.util.spec_from_file_location(name, Path(REPO) / path)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def _second_beat_waits(var: Path) -> str:
    """Start another beat against the cluster until it says what it does; return its log."""
    tool = _module("cluster_tool", "deploy/cluster/cluster.py")
    env = {**os.environ, **tool.environment(tool.Ports(BASE_PORT), var)}
    log = var / "second-beat.log"
    with log.open("w") as sink:
        beat = subprocess.Popen(
            [PYTHON, "-m", "congso", "beat"], env=env, cwd=REPO, stdout=sink, stderr=sink
        )
    deadline = time.monotonic() + 120
    while "beat:" not in log.read_text() and time.monotonic() < deadline:
        assert beat.poll() is None, log.read_text()
        time.sleep(1)
    time.sleep(6)  # a standby's next tick, too
    beat.send_signal(signal.SIGTERM)
    beat.wait(timeout=15)
    return log.read_text()


def _readyz(base: str) -> dict:
    import ssl

    context = ssl._create_unverified_context()  # noqa: S323 - our self-signed test certificate
    with urllib.request.urlopen(f"{base}/readyz", context=context, timeout=10) as response:  # noqa: S310
        return json.loads(response.read())


def test_cluster_survives_a_dead_web_process(tmp_path):
    var = tmp_path / "cluster"
    log = (tmp_path / "cluster.log").open("w")  # a file, not a pipe nobody reads while it runs
    cluster = subprocess.Popen(
        [PYTHON, str(Path(REPO) / "deploy" / "cluster" / "cluster.py"),
         "--base-port", str(BASE_PORT), "--var", str(var), "--drop"],
        stdout=subprocess.DEVNULL, stderr=log, text=True,
        env={**os.environ, "CONGSO_VAR_DIR": str(var)},
    )  # fmt: skip
    try:
        deadline = time.monotonic() + 900
        while not (var / "cluster.json").exists():
            assert cluster.poll() is None, (tmp_path / "cluster.log").read_text()
            assert time.monotonic() < deadline
            time.sleep(1)
        info = json.loads((var / "cluster.json").read_text())
        bench = _module("bench_cluster", "bench/bench_cluster.py")
        while True:
            try:
                ready = _readyz(info["https"])
                break
            except OSError:
                assert time.monotonic() < deadline
                time.sleep(1)
        assert ready["status"] == "ready"
        assert ready["checks"]["replica"]["ok"], ready  # the replica streams and is fresh

        bench.load(info["https"], "/", 3)  # warm
        steady = bench.load(info["https"], "/healthz", 8)
        killed = []

        def kill_once(elapsed):
            if elapsed > 2 and not killed:
                bench.kill_web(info)
                killed.append(elapsed)

        failover = bench.load(info["https"], "/healthz", 8, during=kill_once)
        assert killed and failover.failed == [], failover.failed
        assert failover.p(0.99) < 5 * max(steady.p(0.99), 0.02), (
            steady.line("steady"),
            failover.line("failover"),
        )
        time.sleep(4)  # restarted
        killed.clear()
        pages = bench.load(info["https"], "/", 8, during=kill_once)
        assert killed and pages.failed == [], pages.failed

        beat_log = _second_beat_waits(var)
        assert "another beat holds the lock (postgresql lock)" in beat_log, beat_log
        assert "Sending due task" not in beat_log
    finally:
        began = time.monotonic()
        cluster.send_signal(signal.SIGINT)
        try:
            cluster.wait(timeout=60)
        finally:
            if cluster.poll() is None:
                cluster.kill()
    assert processes_of(var) == []
    # The platform's processes within 10 s; then PostgreSQL and Redis stop and are dropped.
    log.close()
    stopped = re.search(r"đã dừng sau ([\d.]+) giây", (tmp_path / "cluster.log").read_text())
    assert stopped and float(stopped.group(1)) < 10
    assert time.monotonic() - began < 90
