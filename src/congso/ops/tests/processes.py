"""Helpers for tests that start the platform's processes: free ports, a clean environment, the
processes still alive that belong to a test (found by their CONGSO_VAR_DIR)."""

import os
import socket
import sys
import time
import urllib.request
from pathlib import Path

import congso

#: The source tree under test (not whichever copy the interpreter has installed).
SOURCE = str(Path(congso.__file__).resolve().parent.parent)
REPO = str(Path(SOURCE).parent)


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def clean_env(var_dir, **extra) -> dict[str, str]:
    env = {
        k: v
        for k, v in os.environ.items()
        if not k.startswith(("CONGSO_", "DATABASE_URL", "DJANGO_", "PYTHONPATH", "CELERY_"))
    }
    env.update(CONGSO_VAR_DIR=str(var_dir), PYTHONPATH=f"{SOURCE}:{REPO}", **extra)
    return env


def processes_of(var_dir) -> list[int]:
    """Live processes started with this CONGSO_VAR_DIR (every descendant inherits it)."""
    marker = f"CONGSO_VAR_DIR={var_dir}".encode() + b"\0"
    found = []
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit() or int(entry.name) == os.getpid():
            continue
        try:
            environ = (entry / "environ").read_bytes()
            state = (entry / "stat").read_text().split(") ", 1)[1][0]
        except OSError:
            continue
        if marker in environ and state != "Z":
            found.append(int(entry.name))
    return found


def wait_for(url: str, timeout: float = 90.0) -> None:
    deadline = time.monotonic() + timeout
    while True:
        try:
            with urllib.request.urlopen(url, timeout=2) as response:  # noqa: S310 - loopback
                if response.status == 200:
                    return
        except OSError:
            pass
        if time.monotonic() > deadline:
            raise AssertionError(f"{url} did not answer in {timeout} s")
        time.sleep(0.5)


PYTHON = sys.executable
