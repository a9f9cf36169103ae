"""``make cluster`` under load (issue 19, item 2): nginx, two web processes, two workers, one
beat, PostgreSQL primary + streaming replica, Redis (and once RabbitMQ) for Celery, a sandbox
mail relay. Citizens file and look up dossiers and the desk accepts them through nginx while
(a) a web process is killed, (b) the workers are killed in the middle of sending mail, several
times, (c) Redis restarts, (d) the replica stops replaying; during (a) and (b) a clerk registers
incoming documents and the district issues outgoing ones (drafted, approved, signed by the leader
on the remote-signing sandbox's phone page after the second factor, numbered at issue). Nothing
is lost beyond the requests in flight (the client sends those again), every e-mail reaches the
relay with the outbox's stable Message-ID (once, but for the kills that fell in SMTP's
at-least-once window in (b)), dossier codes, arrival and outgoing numbers run without hole or
repeat, sessions survive, the reports leave the replica when it lags; a second beat sends
nothing and Ctrl+C stops it all.

Minutes, needs root (Debian's pg_createcluster): run with ``CONGSO_TEST_CLUSTER=1``.
"""

import importlib.util
import json
import os
import re
import signal
import subprocess
import time
from collections import Counter
from pathlib import Path

import pytest

from .processes import PYTHON, REPO, processes_of

pytestmark = [
    pytest.mark.cluster,
    pytest.mark.skipif(
        os.environ.get("CONGSO_TEST_CLUSTER") != "1", reason="CONGSO_TEST_CLUSTER=1 runs it"
    ),
]
BASE_PORT = int(os.environ.get("CONGSO_TEST_CLUSTER_PORT", "9810"))
#: How many times (b) kills both workers; each kill needs the workers started again and sending.
KILLS = int(os.environ.get("CONGSO_TEST_CLUSTER_KILLS", "4"))
CLERK, LEADER, DRAFTER = "vanthu.nghiloc", "lanhdao.nghiloc", "chuyenvien.tuphap"
LEASE = 15  # CONGSO_NOTIFY_LEASE_SECONDS in deploy/cluster/cluster.py
SMTP_PORT = int(os.environ.get("CONGSO_TEST_CLUSTER_SMTP_PORT", "9177"))
SIGNING_PORT = int(os.environ.get("CONGSO_TEST_CLUSTER_SIGNING_PORT", "9178"))


def _module(name: str, path: str):
    spec = importlib.util.spec_from_file_location(name, Path(REPO) / path)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


bench = _module("bench_cluster", "bench/bench_cluster.py")
tool = _module("cluster_tool", "deploy/cluster/cluster.py")


def _report(line: str) -> None:
    """The figures, for the log of the run (``-s``) and var/cluster-figures.txt."""
    print(line)  # noqa: T201
    with (Path(REPO) / "var" / "cluster-figures.txt").open("a") as figures:
        figures.write(line + "\n")


def _wait(predicate, timeout: float, what: str):
    deadline = time.monotonic() + timeout
    while not (value := predicate()):
        assert time.monotonic() < deadline, what
        time.sleep(0.5)
    return value


def _readyz(base: str) -> dict | None:
    """The readiness answer, 200 or 503 (a lagging replica makes the node not ready)."""
    import requests

    try:
        return requests.get(f"{base}/readyz", verify=False, timeout=30).json()  # noqa: S501
    except (requests.RequestException, ValueError):
        return None


@pytest.fixture(scope="module", params=["redis", "amqp"])
def cluster(request, tmp_path_factory):
    broker = request.param
    if (
        broker == "amqp"
        and subprocess.run(["rabbitmqctl", "status"], capture_output=True).returncode
    ):
        pytest.skip("no RabbitMQ here")
    tmp = tmp_path_factory.mktemp(f"cluster-{broker}")
    var, log_path = tmp / "cluster", tmp / "cluster.log"
    log = log_path.open("w")  # a file, not a pipe nobody reads while it runs
    process = subprocess.Popen(
        [PYTHON, str(Path(REPO) / "deploy" / "cluster" / "cluster.py"),
         "--base-port", str(BASE_PORT), "--smtp-port", str(SMTP_PORT),
         "--signing-port", str(SIGNING_PORT), "--var", str(var),
         "--broker", broker, "--mail-delay", "0.3", "--demo", "--drop"],
        stdout=subprocess.DEVNULL, stderr=log, text=True,
        env={**os.environ, "CONGSO_VAR_DIR": str(var)},
    )  # fmt: skip

    def started():
        assert process.poll() is None, log_path.read_text()[-3000:]
        return (var / "cluster.json").exists()

    try:
        _wait(started, 900, "the cluster did not start")
        info = json.loads((var / "cluster.json").read_text())
        info["var"] = var
        ready = _wait(lambda: _readyz(info["https"]), 180, "/readyz did not answer")
        assert ready["status"] == "ready", ready
        assert ready["checks"]["replica"]["ok"], ready  # the replica streams and is fresh
        yield info
    finally:
        began = time.monotonic()
        process.send_signal(signal.SIGINT)
        try:
            process.wait(timeout=90)
        finally:
            if process.poll() is None:
                process.kill()
        log.close()
    assert processes_of(var) == []
    # The platform's processes within 10 s; then PostgreSQL is stopped and dropped.
    stopped = re.search(r"đã dừng sau ([\d.]+) giây", log_path.read_text())
    assert stopped and float(stopped.group(1)) < 10
    assert time.monotonic() - began < 90


@pytest.fixture(scope="module")
def arrivals(cluster):
    """The demo's district clerk (second factor: the demo's published TOTP key), the district
    and a scanned letter, for registering incoming documents while processes die."""
    import pyotp

    from congso.demo.accounts import TOTP_SECRET
    from congso.demo.org import DISTRICT_ID
    from congso.signing.tests import support

    clerk = bench.api_client(cluster["https"], CLERK, otp=pyotp.TOTP(TOTP_SECRET).now())
    unit = bench.sql(cluster, f"SELECT id FROM org_unit WHERE agency_id = '{DISTRICT_ID}'")  # noqa: S608
    return bench.Arrivals(clerk, int(unit), support.simple_pdf("Cong van den"))


@pytest.fixture(scope="module")
def outgoing(cluster, arrivals):
    """The district's outgoing documents: the legal department's specialist drafts, the leader
    (a web session past the second factor) approves and signs on the demo CA's remote service,
    confirming on its phone page, and the clerk of ``arrivals`` issues."""
    import pyotp

    from congso.demo.accounts import TOTP_SECRET
    from congso.signing.tests import support

    base = cluster["https"]
    leader = bench.Client(base).login(LEADER, otp=pyotp.TOTP(TOTP_SECRET).now())
    department = bench.sql(
        cluster,
        "SELECT p.unit_id FROM accounts_position p JOIN accounts_user u ON u.id = p.user_id "
        f"WHERE u.username = '{DRAFTER}' LIMIT 1",  # noqa: S608 - a constant
    )
    return bench.Outgoing(
        drafter=bench.api_client(base, DRAFTER),
        leader=leader,
        clerk=arrivals.clerk,
        unit=arrivals.unit,
        drafting_unit=int(department),
        pdf=support.simple_pdf("Du thao quyet dinh"),
        phone=f"http://127.0.0.1:{cluster['ports']['signing']}",
        signer=LEADER,
    )


def test_a_dead_web_process_loses_no_request_and_no_session(cluster, arrivals, outgoing):
    """(a) SIGKILL to web1 under the empty view's load, then under the journeys (the clerk
    registering incoming documents too)."""
    base = cluster["https"]
    browser = bench.Client(base).login(bench.CITIZEN)
    assert browser.signed_in()
    steady = bench.load(base, "/healthz", 6)
    killer = bench.kill_once(2, lambda: bench.kill_web(cluster))
    failover = bench.load(base, "/healthz", 6, during=killer)
    _report(steady.line(f"[{cluster['broker']}] empty view, 2 web"))
    _report(failover.line(f"[{cluster['broker']}] empty view, web1 killed"))
    # none fails; those in flight at the kill (one per loop at most: 8) are answered when resent
    assert killer.done and failover.failed == [], failover.failed
    assert failover.retried <= 8
    assert failover.p(0.99) < 5 * max(steady.p(0.99), 0.02)

    killer = bench.kill_once(3, lambda: bench.kill_web(cluster, 1))
    run = bench.journeys(base, 10, during=killer, arrivals=arrivals, outgoing=outgoing)
    _report(run.line(f"[{cluster['broker']}] journeys, web2 killed"))
    assert killer.done and run.codes and run.arrivals and run.issued, run.line("journeys")
    assert run.lost == [] and run.errors == [], run.errors[:5]
    assert browser.signed_in()  # the session lives in the database and Redis, not in web1


def test_workers_killed_while_sending_mail_lose_nothing_and_repeat_only_the_window(
    cluster, arrivals, outgoing
):
    """(b) Both workers SIGKILLed, several times, while they hold claimed e-mails (the relay
    takes 0.3 s a message), the clerk registering documents meanwhile. The task was not
    acknowledged (acks_late, reject_on_worker_lost) and goes back to the queue, the rows the
    workers had claimed come back when their lease ends, and every e-mail reaches the relay.
    One reaches it twice exactly when a kill fell between the relay's acceptance and the
    worker's record of it: read at each kill (``in_the_window``), those and only those repeat,
    once, with the same Message-ID."""
    base = cluster["https"]

    kills, window = [], set()  # elapsed seconds of each kill; (notification, attempt) caught
    since = [bench.sql(cluster, "SELECT now()")]  # the database's clock at the last kill

    def sending() -> bool:
        """A live worker holds e-mails: a lease taken or renewed after the last kill (the dead
        workers' rows keep theirs until it ends)."""
        query = (
            "SELECT count(*) FROM notify_notification WHERE channel = 'email' AND status = "
            f"'sending' AND locked_until > '{since[-1]}'::timestamptz + interval '{LEASE} seconds'"
        )  # noqa: S608 - the database's own timestamp
        return bench.sql(cluster, query) != "0"

    def kill_mid_mail(elapsed):
        """Whenever the workers (started again by the supervisor) hold e-mails they have not
        finished sending, at most every 8 s: kill both, then read what the window holds."""
        if len(kills) >= KILLS or elapsed < (kills[-1] + 8 if kills else 1) or not sending():
            return
        try:  # both up (a worker not started again yet could start during the reading)
            pids = [bench.worker_pid(name) for name in ("worker1", "worker2")]
        except LookupError:
            return
        for pid in pids:
            bench.kill_group(pid)
        since.append(bench.sql(cluster, "SELECT now()"))
        kills.append(elapsed)
        # PostgreSQL may still run an UPDATE a dead worker sent just before: let it land; the
        # relay meanwhile drops what the closed connections left partial.
        time.sleep(3)
        window.update(bench.in_the_window(cluster, after, killed_at=since[-1], lease=LEASE))

    after = bench.last_notification(cluster)
    run = bench.journeys(
        base, 8 * KILLS + 6, during=kill_mid_mail, arrivals=arrivals, outgoing=outgoing
    )
    assert len(kills) >= 2, f"the workers were sending during only {len(kills)} kill(s)"
    sent = bench.outbox_settled(cluster, after)
    received = bench.delivered(cluster, after)
    twice = {mid: n for mid, n in received.items() if n > 1}
    _report(
        f"[{cluster['broker']}] workers killed mid-mail {len(kills)} times: "
        f"{len(run.codes)} dossiers, {len(run.arrivals)} documents registered, "
        f"{len(run.issued)} issued, {len(sent)} e-mails sent, "
        f"{sum(received.values())} received, {len(twice)} twice, "
        f"{len(window)} caught by a kill between the relay's acceptance and the record "
        f"(twice: {sorted(twice)}, caught: {sorted(window)})"
    )
    assert run.codes and run.issued and run.lost == [] and run.errors == [], run.errors[:5]
    assert set(received) == sent, sent ^ set(received)  # every e-mail reached the relay: none lost
    # each copy carries its row's Message-ID: a repeat is the same message to a mail client
    assert bench.without_stable_id(cluster) == []
    # A repeat only for a message a kill caught in the window, one per attempt caught.
    caught = Counter(mid for mid, _attempt in window)
    assert {mid: n - 1 for mid, n in twice.items()} == dict(caught), (twice, window)


def test_arrival_numbers_have_no_hole_and_no_repeat(cluster):
    """Documents registered while web processes and workers died: each arrival number taken
    once, none skipped (a request killed before its commit gives its number back)."""
    assert int(bench.sql(cluster, "SELECT count(*) FROM documents_document "
                                  "WHERE arrival_number IS NOT NULL")) > 0  # fmt: skip
    assert bench.arrival_gaps(cluster) == []


def test_outgoing_numbers_have_no_hole_and_no_repeat(cluster):
    """Documents issued while web processes and workers died (the number is taken in the
    issuing request's transaction, with the seal signature and dispatch): each number of the
    organ's series taken once, none skipped (a request killed before its commit gives it
    back)."""
    issued = bench.sql(
        cluster,
        "SELECT count(*) FROM documents_document WHERE direction = 'outgoing' "
        f"AND number IS NOT NULL AND subject = '{bench.OUTGOING_SUBJECT}'",  # noqa: S608 - a constant
    )
    _report(f"[{cluster['broker']}] outgoing documents issued under the kills: {issued}")
    assert int(issued) > 0
    assert bench.outgoing_gaps(cluster) == []


def test_dossier_codes_have_no_hole_and_no_repeat(cluster):
    """Codes taken while web processes and workers died: one number each, none skipped."""
    codes = bench.sql(cluster, "SELECT code FROM onestop_dossier").split()
    assert len(codes) == len(set(codes))
    assert bench.sequence_gaps(codes) == []


def test_a_redis_restart_keeps_the_web_answering_and_loses_nothing(cluster):
    """(c) Redis stops and the supervisor starts it again (its append-only file keeps the
    queued tasks); the web answers through it, the workers reconnect."""
    base = cluster["https"]
    bench.outbox_settled(cluster)
    after = bench.last_notification(cluster)
    browser = bench.Client(base).login(bench.CITIZEN)
    killer = bench.kill_once(3, lambda: bench.restart_redis(cluster))
    run = bench.journeys(base, 10, during=killer)
    _report(run.line(f"[{cluster['broker']}] journeys, Redis restarted"))
    assert killer.done and run.codes and run.lost == [] and run.errors == [], run.errors[:5]
    assert browser.signed_in()  # sessions are in PostgreSQL; Redis only caches them
    sent = bench.outbox_settled(cluster, after)
    received = bench.delivered(cluster, after)
    _report(f"[{cluster['broker']}] Redis restarted: {len(sent)} e-mails sent, "
            f"{sum(received.values())} received")  # fmt: skip
    assert sent and set(received) == sent and max(received.values()) == 1


def test_reports_leave_a_lagging_replica(cluster):
    """(d) The replica stops replaying WAL: past the 2 s limit the dashboard reads from the
    primary, and from the replica again once it catches up."""
    if cluster["broker"] != "redis":
        pytest.skip("the replica does not depend on the broker: once is enough")
    base = cluster["https"]
    assert _wait(lambda: bench.replica_serves(base) == "replica", 30, "fresh replica unused")
    bench.sql(cluster, "SELECT pg_wal_replay_pause()", role="replica")
    try:
        bench.journeys(base, 4, threads=1)  # writes the replica does not replay
        _wait(lambda: bench.replica_serves(base) == "primary", 30, "a stale replica served")
        ready = _readyz(base)
        assert ready["checks"]["replica"]["ok"] is False, ready
        _report(f"[redis] replica paused: reports from the primary, {ready['checks']['replica']}")
    finally:
        bench.sql(cluster, "SELECT pg_wal_replay_resume()", role="replica")
    assert _wait(lambda: bench.replica_serves(base) == "replica", 30, "caught-up replica unused")


def test_a_second_beat_sends_nothing(cluster):
    if cluster["broker"] != "redis":
        pytest.skip("the lock does not depend on the broker: once is enough")
    var = cluster["var"]
    env = {**os.environ, **tool.environment(tool.Ports(BASE_PORT, SMTP_PORT, SIGNING_PORT), var)}
    log = var / "second-beat.log"
    with log.open("w") as sink:
        beat = subprocess.Popen(
            [PYTHON, "-m", "congso", "beat"], env=env, cwd=REPO, stdout=sink, stderr=sink
        )
    _wait(lambda: "beat:" in log.read_text() or beat.poll() is not None, 120, "beat silent")
    time.sleep(6)  # a standby's next tick, too
    beat.send_signal(signal.SIGTERM)
    beat.wait(timeout=15)
    text = log.read_text()
    assert "another beat holds the lock (postgresql lock)" in text, text
    assert "Sending due task" not in text
