"""A Redis restart costs a cache miss, not a 500: reads miss and writes are dropped while it is
down, rate limits and one-time codes fail closed, and everything works again once it is back
(a real ``redis-server`` of the test's own, stopped and started)."""

import shutil
import subprocess
import time

import pytest

from congso.core import ratelimit
from congso.ops.cache import PAST_ANY_LIMIT, RedisCache

from .processes import free_port


def _start(port: int, folder) -> subprocess.Popen:
    server = subprocess.Popen(
        ["redis-server", "--bind", "127.0.0.1", "--port", str(port), "--save", "",
         "--appendonly", "no", "--dir", str(folder)],
        stdout=subprocess.DEVNULL,
    )  # fmt: skip
    deadline = time.monotonic() + 10
    while subprocess.run(["redis-cli", "-p", str(port), "ping"], capture_output=True).returncode:
        assert time.monotonic() < deadline, "redis-server did not start"
        time.sleep(0.05)
    return server


@pytest.fixture
def redis_server(tmp_path):
    if not shutil.which("redis-server"):
        pytest.skip("redis-server is not installed")
    port = free_port()
    server = _start(port, tmp_path)
    state = {"server": server, "port": port}
    yield state
    state["server"].terminate()
    state["server"].wait(timeout=10)


def test_an_outage_is_a_miss_and_a_refusal_then_it_heals(redis_server, tmp_path, monkeypatch):
    cache = RedisCache(
        f"redis://127.0.0.1:{redis_server['port']}/0",
        {"OPTIONS": {"socket_connect_timeout": 1, "socket_timeout": 2}},
    )
    cache.set("page", "cached")
    assert cache.get("page") == "cached"
    redis_server["server"].terminate()
    redis_server["server"].wait(timeout=10)

    assert cache.get("page", "missed") == "missed" and cache.get_many(["page"]) == {}
    assert cache.set("page", "lost") is None and cache.has_key("page") is False
    assert cache.add("totp-used:1:123456", True) is False  # a one-time code: refused
    assert cache.incr("rl:lookup:1.2.3.4") == PAST_ANY_LIMIT
    monkeypatch.setattr(ratelimit, "cache", cache)
    assert ratelimit.allow("lookup:1.2.3.4", 20, 60) is False  # the limiter fails closed

    redis_server["server"] = _start(redis_server["port"], tmp_path)  # Redis restarts
    assert cache.add("totp-used:1:123456", True) is True
    assert ratelimit.allow("lookup:1.2.3.4", 20, 60) is True
    cache.set("page", "again")
    assert cache.get("page") == "again"
