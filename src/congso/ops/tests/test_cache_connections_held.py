"""Each thread's cache client holds its own Redis connection (issue 16: taking a connection from
the pool and probing it cost a twentieth of the public lookup's CPU), and a forked child makes
its own instead of writing on its parent's socket."""

import os
import threading

from .test_cache_outage import _cache, redis_server  # noqa: F401 — the fixture


def test_a_thread_keeps_its_client_and_its_connection(redis_server):  # noqa: F811
    cache = _cache(redis_server["port"])
    cache.set("a", 1)
    client = cache._cache.get_client("a")
    connection = client.connection
    assert connection is not None and connection.is_connected
    cache.set("b", 2)
    assert cache._cache.get_client("b", write=True) is client and client.connection is connection


def test_commands_do_not_go_back_to_the_pool(redis_server, monkeypatch):  # noqa: F811
    cache = _cache(redis_server["port"])
    cache.set("warm", 1)
    pool = cache._cache.get_client("warm").connection_pool

    def refused(*args, **kwargs):
        raise AssertionError("a command took a connection from the pool")

    monkeypatch.setattr(pool, "get_connection", refused)
    cache.set("page", "cached")
    assert cache.get("page") == "cached" and cache.count_in_window(["rl:x"], 60) == [1]


def test_each_thread_has_a_client_of_its_own(redis_server):  # noqa: F811
    cache = _cache(redis_server["port"])
    mine = cache._cache.get_client("a")
    theirs = []
    thread = threading.Thread(target=lambda: theirs.append(cache._cache.get_client("a")))
    thread.start()
    thread.join()
    assert theirs[0] is not mine


def test_a_forked_child_does_not_use_its_parents_connection(redis_server):  # noqa: F811
    cache = _cache(redis_server["port"])
    cache.set("a", 1)
    parent = cache._cache.get_client("a")
    read, write = os.pipe()
    pid = os.fork()
    if pid == 0:  # the child: a client of its own, and it works
        try:
            own = cache._cache.get_client("a") is not parent and cache.get("a") == 1
            os.write(write, b"1" if own else b"0")
        finally:
            os._exit(0)
    os.close(write)
    answer = os.read(read, 1)
    os.waitpid(pid, 0)
    assert answer == b"1"
    assert cache.get("a") == 1  # the parent's connection is still in step
