"""Start several processes and stop them together: what ``make run`` runs.

Each child runs in its own session (process group), so Ctrl+C in the terminal reaches only the
supervisor, which then stops every child in order: the stop signal to the child, a grace period,
then SIGKILL to the child's whole group (a Celery pool process or a granian worker that outlived
its parent included). A child that dies by itself stops the others: a half-running platform is
worse than a stopped one. Nothing here imports Django.
"""

import contextlib
import os
import signal
import subprocess
import sys
import time
from dataclasses import dataclass, field

#: Seconds between the stop signal and SIGKILL; with the polling below the whole stop stays
#: under the 10 seconds a developer (or an orchestrator) waits.
GRACE_SECONDS = 8.0
STOP_SIGNALS = (signal.SIGINT, signal.SIGTERM, signal.SIGHUP)


@dataclass
class Child:
    name: str
    argv: list[str]
    env: dict[str, str] = field(default_factory=dict)
    #: Start it again when it dies (as systemd's Restart=always), instead of stopping all.
    restart: bool = False
    process: subprocess.Popen | None = None

    def spawn(self) -> None:
        self.process = subprocess.Popen(  # noqa: S603 - our own argv
            self.argv, env={**os.environ, **self.env}, start_new_session=True
        )

    def alive(self) -> bool:
        return self.process is not None and self.process.poll() is None

    def signal_group(self, signum: int) -> None:
        """Signal the child's whole process group (it leads its own session)."""
        if self.process is None:
            return
        with contextlib.suppress(ProcessLookupError):
            os.killpg(self.process.pid, signum)


class Supervisor:
    def __init__(self, children: list[Child], *, grace: float = GRACE_SECONDS, log=None):
        self.children = children
        self.grace = grace
        self.stop_requested: int | None = None
        self.log = log or (lambda message: print(message, file=sys.stderr, flush=True))

    def _request_stop(self, signum, _frame) -> None:
        self.stop_requested = signum

    def start(self) -> None:
        for signum in STOP_SIGNALS:
            signal.signal(signum, self._request_stop)
        try:
            for child in self.children:
                if not child.alive():  # one started early (a database the others need) runs on
                    child.spawn()
        except OSError:  # a program missing: stop the ones already started, leave none behind
            self.stop()
            raise

    def wait(self) -> int:
        """Run until a stop signal or a child's death; then stop everything. The exit code is
        0 for a requested stop, else the dead child's. A child that cannot be started again (its
        program gone: an upgrade replacing the virtual environment) stops everything too, and
        the error is raised: children run in sessions of their own, so none would die with us."""
        code = 0
        try:
            while self.stop_requested is None:
                code = self.tend()
                if code is not None:
                    break
                time.sleep(0.2)
        finally:
            self.stop()
        return code or 0

    def tend(self) -> int | None:
        """One look at the children: start again a dead one that restarts, unless a stop has
        been asked for; return the exit code of a dead one that does not (everything stops).

        The stop is checked after each death is seen and before any spawn: under systemd's
        control-group stop, one SIGTERM reaches the supervisor and its children together, and a
        child that died of it must not come back (a fresh worker that would take a task and be
        killed in the middle). A stop signal that lands between the check and the spawn still
        ends the loop, and ``stop`` then stops that child with the others."""
        for child in self.children:
            if child.alive():
                continue
            code = child.process.returncode
            if not child.restart:
                self.log(f"congso: {child.name} đã dừng (mã {code}), dừng tất cả")
                return code or 1
            self.log(f"congso: {child.name} đã dừng (mã {code})")
            if self.stop_requested is not None:
                return None
            self.log(f"congso: chạy lại {child.name}")
            child.signal_group(signal.SIGKILL)  # what it left behind
            child.spawn()
        return None

    def stop(self) -> None:
        started = time.monotonic()
        for child in reversed(self.children):  # the web first: it stops taking requests
            if child.alive():
                with contextlib.suppress(ProcessLookupError):
                    child.process.send_signal(signal.SIGTERM)
        deadline = started + self.grace
        running = {c.name for c in self.children if c.alive()}
        while running and time.monotonic() < deadline:
            time.sleep(0.1)
            for child in self.children:
                if child.name in running and not child.alive():
                    running.discard(child.name)
                    self.log(f"congso: {child.name} dừng sau {time.monotonic() - started:.1f} giây")
        for child in self.children:
            if child.alive():
                self.log(f"congso: {child.name} chưa dừng sau {self.grace:.0f} giây, buộc dừng")
            child.signal_group(signal.SIGKILL)  # stragglers of a leader that already left too
        for child in self.children:
            if child.process is not None:
                child.process.wait()
        self.log(f"congso: đã dừng sau {time.monotonic() - started:.1f} giây")


def run(children: list[Child], *, grace: float = GRACE_SECONDS) -> int:
    supervisor = Supervisor(children, grace=grace)
    supervisor.start()
    return supervisor.wait()
