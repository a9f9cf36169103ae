"""Ctrl+C on ``make run`` (``python -m congso run``) ends every process it started within 10
seconds and leaves no lock behind: the next start is a clean one (issue 19, item 6)."""

import signal
import subprocess
import time
from pathlib import Path

import pytest

from congso.ops.beat import FileLock

from .processes import PYTHON, clean_env, free_port, processes_of, wait_for

pytestmark = pytest.mark.slow

#: A child that ignores SIGTERM, as the worker hung in warm shutdown did.
STUBBORN = (
    f"{PYTHON} -c 'import signal, time; signal.signal(signal.SIGTERM, signal.SIG_IGN); "
    "time.sleep(600)'"
)


def test_ctrl_c_stops_every_process_within_ten_seconds(tmp_path):
    port = free_port()
    output = tmp_path / "run.log"  # a file: a pipe read only at the end could fill and block
    supervisor = subprocess.Popen(
        [PYTHON, "-m", "congso", "run", "--port", str(port), "--also", STUBBORN],
        env=clean_env(tmp_path),
        stdout=subprocess.DEVNULL,
        stderr=output.open("w"),
    )
    try:
        wait_for(f"http://127.0.0.1:{port}/healthz")
        time.sleep(3)  # the worker and the beat are up too
        started = processes_of(tmp_path)
        assert len(started) >= 5, started  # web, worker (+ its pool), beat, the stubborn child
        began = time.monotonic()
        supervisor.send_signal(signal.SIGINT)  # what Ctrl+C sends
        supervisor.wait(timeout=15)
        stop_seconds = time.monotonic() - began
    finally:
        if supervisor.poll() is None:
            supervisor.kill()
    log = output.read_text()
    assert stop_seconds < 10, log
    assert processes_of(tmp_path) == [], log
    assert "buộc dừng" in log  # the stubborn child was killed, not waited for
    lock = FileLock(Path(tmp_path) / "beat.lock")
    assert lock.hold(), "the beat lock survived its holder"
    lock.release()


def test_a_child_that_dies_stops_the_others(tmp_path):
    port = free_port()
    supervisor = subprocess.Popen(
        [PYTHON, "-m", "congso", "run", "--port", str(port), "--also", f"{PYTHON} -c 'exit(3)'"],
        env=clean_env(tmp_path),
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    try:
        assert supervisor.wait(timeout=30) == 3
    finally:
        if supervisor.poll() is None:
            supervisor.kill()
    deadline = time.monotonic() + 5
    while processes_of(tmp_path) and time.monotonic() < deadline:
        time.sleep(0.2)
    assert processes_of(tmp_path) == []


def test_a_child_that_cannot_start_leaves_none_behind():
    """A missing program (nginx not installed) stops the children already started."""
    from congso.ops import supervisor

    sleeper = supervisor.Child("sleeper", [PYTHON, "-c", "import time; time.sleep(60)"])
    missing = supervisor.Child("missing", ["/nonexistent/congso-missing-program"])
    guard = supervisor.Supervisor([sleeper, missing], grace=2, log=lambda message: None)
    handlers = {signum: signal.getsignal(signum) for signum in supervisor.STOP_SIGNALS}
    try:
        with pytest.raises(FileNotFoundError):
            guard.start()
    finally:
        for signum, handler in handlers.items():  # start() took them for the supervisor
            signal.signal(signum, handler)
    assert not sleeper.alive() and sleeper.process.returncode is not None


def _dead_restarting_child():
    from congso.ops import supervisor

    child = supervisor.Child("worker", [PYTHON, "-c", "pass"], restart=True)
    child.spawn()
    child.process.wait()
    return child


def test_a_child_that_dies_as_the_stop_arrives_is_not_started_again():
    """systemd's stop sends one SIGTERM to the supervisor and its children together: the
    supervisor may see the child dead before it sees its own stop. Here the stop arrives as the
    death is logged; the child must not be spawned again (before, it was, after the stop)."""
    from congso.ops import supervisor

    child = _dead_restarting_child()
    first = child.process
    guard = supervisor.Supervisor([child], grace=2)
    guard.log = lambda message: setattr(guard, "stop_requested", signal.SIGTERM)
    assert guard.wait() == 0
    assert child.process is first


def test_tend_restarts_a_dead_child_only_while_running():
    from congso.ops import supervisor

    child = _dead_restarting_child()
    first = child.process
    guard = supervisor.Supervisor([child], grace=2, log=lambda message: None)
    guard.stop_requested = signal.SIGTERM
    assert guard.tend() is None and child.process is first
    guard.stop_requested = None
    assert guard.tend() is None and child.process is not first
    guard.stop()
    assert not child.alive()


def test_a_child_that_cannot_be_started_again_stops_the_others():
    """A restarting child whose program is gone (the cluster's virtual environment replaced
    while it ran): the supervisor raises, and first stops the others, which run in sessions of
    their own and would outlive it (before, they were left running, orphaned)."""
    from congso.ops import supervisor

    sleeper = supervisor.Child("web", [PYTHON, "-c", "import time; time.sleep(60)"])
    sleeper.spawn()
    gone = _dead_restarting_child()
    gone.argv = ["/nonexistent/congso-missing-program"]
    guard = supervisor.Supervisor([sleeper, gone], grace=2, log=lambda message: None)
    with pytest.raises(FileNotFoundError):
        guard.wait()
    assert not sleeper.alive()
