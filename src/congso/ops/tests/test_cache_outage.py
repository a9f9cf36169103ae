"""A Redis restart costs a cache miss, not a 500: reads miss and writes are dropped while it is
down, rate limits and one-time codes fail closed, and everything works again once it is back
(a real ``redis-server`` of the test's own, stopped and started). And the counting a rate limit
does is one atomic round trip, on one client per connection pool (issue 16)."""

import shutil
import subprocess
import time
from concurrent.futures import ThreadPoolExecutor

import pytest
import redis

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
    assert cache.count_in_window(["rl:a", "rl:b"], 60) == [PAST_ANY_LIMIT] * 2

    redis_server["server"] = _start(redis_server["port"], tmp_path)  # Redis restarts
    assert cache.add("totp-used:1:123456", True) is True
    assert ratelimit.allow("lookup:1.2.3.4", 20, 60) is True
    cache.set("page", "again")
    assert cache.get("page") == "again"


def _cache(port: int) -> RedisCache:
    return RedisCache(f"redis://127.0.0.1:{port}/0", {"OPTIONS": {"socket_timeout": 2}})


def test_concurrent_counts_are_exact_and_the_window_always_expires(redis_server):
    """The add/incr of old lost counts (and could leave a key with no expiry) when requests raced
    at the start of a window; the script counts every one and sets the expiry with the first."""
    cache = _cache(redis_server["port"])
    with ThreadPoolExecutor(max_workers=8) as pool:
        counts = list(pool.map(lambda _: cache.count_in_window(["rl:t"], 60)[0], range(400)))
    assert sorted(counts) == list(range(1, 401))
    direct = redis.Redis(port=redis_server["port"])
    assert 0 < direct.ttl(cache.make_key("rl:t")) <= 60


def test_a_window_ends_and_counting_starts_again(redis_server):
    cache = _cache(redis_server["port"])
    assert [cache.count_in_window(["rl:short"], 1) for _ in range(3)] == [[1], [2], [3]]
    time.sleep(1.1)
    assert cache.count_in_window(["rl:short"], 1) == [1]


def test_one_client_per_connection_pool(redis_server):
    cache = _cache(redis_server["port"])
    cache.set("a", 1)
    assert cache._cache.get_client("a") is cache._cache.get_client("b", write=True)


def test_the_rate_limiter_counts_in_redis(redis_server, monkeypatch):
    cache = _cache(redis_server["port"])
    monkeypatch.setattr(ratelimit, "cache", cache)
    assert [ratelimit.allow("lookup:5.6.7.8", 2, 60) for _ in range(3)] == [True, True, False]
    assert cache.get("rl:lookup:5.6.7.8") == 3  # a plain integer, as the cache stores one


def test_an_address_and_an_account_are_counted_in_one_round_trip(redis_server, monkeypatch):
    from django.contrib.auth.models import AnonymousUser
    from django.test import RequestFactory

    cache = _cache(redis_server["port"])
    monkeypatch.setattr(ratelimit, "cache", cache)
    request = RequestFactory().get("/", REMOTE_ADDR="10.0.0.9")
    request.user = type("Official", (), {"is_authenticated": True, "pk": 42})()
    cache.count_in_window(["rl:warm"], 60)  # the connection open and the script loaded
    direct = redis.Redis(port=redis_server["port"])
    direct.config_resetstat()
    assert ratelimit.allow_request(request, "search", "2/min")
    stats = direct.info("commandstats")
    assert stats["cmdstat_evalsha"]["calls"] == 1  # both counters, one round trip
    assert stats["cmdstat_incr"]["calls"] == 2
    assert not {"cmdstat_get", "cmdstat_set", "cmdstat_exists"} & set(stats)
    assert cache.get("rl:search:ip:10.0.0.9") == cache.get("rl:search:user:42") == 1
    request.user = AnonymousUser()
    ratelimit.allow_request(request, "search", "2/min")
    assert not ratelimit.allow_request(request, "search", "2/min")  # the address's third


def test_a_counter_left_without_an_expiry_gets_one(redis_server):
    """A key that lost its expiry (set by hand, or by an older writer) must not block an address
    for ever: the next count gives it the window's expiry."""
    cache = _cache(redis_server["port"])
    raw = redis.Redis(port=redis_server["port"])
    raw.set(cache.make_and_validate_key("rl:stuck"), 5)
    assert cache.count_in_window(["rl:stuck"], 60) == [6]
    assert 0 < raw.ttl(cache.make_and_validate_key("rl:stuck")) <= 60


def test_a_read_only_replica_after_a_failover_is_an_outage(redis_server):
    """A Redis that became a read-only replica answers writes with READONLY: the limiter refuses
    (429), it does not fail with a 500."""
    cache = _cache(redis_server["port"])
    cache.count_in_window(["rl:ro"], 60)
    other = free_port()
    raw = redis.Redis(port=redis_server["port"])
    raw.replicaof("127.0.0.1", other)  # nobody there: it stays a read-only replica
    try:
        assert cache.count_in_window(["rl:ro"], 60) == [PAST_ANY_LIMIT]
    finally:
        raw.replicaof("NO", "ONE")
