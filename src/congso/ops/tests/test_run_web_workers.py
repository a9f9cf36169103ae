"""``make run`` (``python -m congso run``) serves the web with a granian worker process per core:
one Python process runs Python on one core at a time, and nothing stands in front of it to
spread requests over several. A deployment's ``web`` role stays one process (one per core under
systemd, behind nginx)."""

import os

from congso.ops import roles


def _web_child(monkeypatch, *argv):
    started = []
    monkeypatch.setattr(roles.supervisor, "run", lambda children, grace: started.extend(children))
    roles.main(["run", *argv])
    (web,) = [child for child in started if child.name == "web"]
    return web.argv


def _workers(argv):
    return int(argv[argv.index("--workers") + 1])


def test_make_run_starts_a_web_worker_per_core(monkeypatch):
    assert _workers(_web_child(monkeypatch)) == os.cpu_count()


def test_the_number_of_web_workers_can_be_given(monkeypatch):
    assert _workers(_web_child(monkeypatch, "--workers", "3")) == 3


def test_a_deployments_web_role_is_one_process():
    options = roles._parser().parse_args(["web"])
    assert options.workers == 1
    assert _workers(roles.web_argv("127.0.0.1", 8000)) == 1
