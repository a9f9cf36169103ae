"""A request's id: the proxy's when plausible, else made here without asking the kernel for
random bytes at every request — unique within a process by its count, across processes by a
random half drawn per process (and again in a forked child)."""

import os
import re

from congso.ops import logs


def test_fresh_ids_are_unique_and_plausible():
    made = [logs.new_request_id() for _ in range(10_000)]
    assert len(set(made)) == len(made)
    assert all(re.fullmatch(r"[0-9a-f]{32}", rid) for rid in made)


def test_the_proxys_id_is_kept_and_garbage_is_not():
    assert logs.new_request_id("nginx-0123456789abcdef") == "nginx-0123456789abcdef"
    assert logs.new_request_id("<script>") != "<script>"


def test_a_forked_child_draws_its_own_half():
    mine = logs.new_request_id()
    read, write = os.pipe()
    pid = os.fork()
    if pid == 0:
        try:
            os.write(write, logs.new_request_id().encode())
        finally:
            os._exit(0)
    os.close(write)
    theirs = os.read(read, 64).decode()
    os.waitpid(pid, 0)
    assert len(theirs) == 32 and theirs[:16] != mine[:16]
