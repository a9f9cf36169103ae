"""Failover under load through nginx (``make cluster`` running, or started by the test):
requests/s with two web processes, with one, and what a killed web process costs.

    python bench/bench_cluster.py [--cluster var/cluster/cluster.json] [--seconds 10]

Steady load from ``wrk`` (Debian's package; keep-alive, TLS to nginx). ``load`` below is a
closed-loop generator in Python for the cluster test, and ``journeys`` drives the citizen and desk
journeys through nginx while something is killed.
"""

import argparse
import http.client
import json
import os
import re
import signal
import ssl
import subprocess
import threading
import time
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import urlsplit


@dataclass
class Result:
    ok: int = 0
    failed: list = field(default_factory=list)
    retried: int = 0  # requests cut by a kill, answered when sent again
    latencies: list = field(default_factory=list)
    seconds: float = 0.0

    @property
    def rps(self) -> float:
        return self.ok / self.seconds if self.seconds else 0.0

    def p(self, q: float) -> float:
        if not self.latencies:
            return 0.0
        ordered = sorted(self.latencies)
        return ordered[min(len(ordered) - 1, int(q * len(ordered)))]

    def line(self, name: str) -> str:
        return (
            f"{name}: {self.ok} ok, {self.retried} retried, {len(self.failed)} failed, "
            f"{self.rps:.1f} req/s, "
            f"p50 {self.p(0.5) * 1000:.0f} ms, p99 {self.p(0.99) * 1000:.0f} ms"
        )


def _connector(base: str):
    parts = urlsplit(base)
    if parts.scheme == "http":
        return lambda: http.client.HTTPConnection(parts.hostname, parts.port, timeout=30)
    context = ssl.create_default_context()
    context.check_hostname, context.verify_mode = False, ssl.CERT_NONE
    return lambda: http.client.HTTPSConnection(
        parts.hostname, parts.port, timeout=30, context=context
    )


def load(base, path: str, seconds: float, threads: int = 8, during=None) -> Result:
    """GET ``path`` from ``threads`` loops for ``seconds``; ``base`` is one address or a list
    (threads spread over them); ``during(elapsed)`` is called every 0.1 s from the main thread
    (to kill something mid-run). A request cut by a broken connection (a kill while it was in
    flight) is sent once more, as a client does with a GET: ``retried`` counts those answered
    then, ``failed`` the rest."""
    bases = [base] if isinstance(base, str) else list(base)
    connectors = [_connector(one) for one in bases]
    result, lock, stop = Result(), threading.Lock(), threading.Event()

    def get(connection) -> int | str:
        try:
            connection.request("GET", path)
            response = connection.getresponse()
            response.read()
            return response.status
        except (OSError, http.client.HTTPException) as error:
            connection.close()
            return type(error).__name__

    def loop(connect):
        connection = None
        while not stop.is_set():
            if connection is None:
                connection = connect()
            began = time.perf_counter()
            status, again = get(connection), False
            if not isinstance(status, int):  # cut in flight (a GET: the client sends it again)
                connection, again = connect(), True
                status = get(connection)
            took = time.perf_counter() - began
            with lock:
                if status == 200:
                    result.ok += 1
                    result.retried += again
                    result.latencies.append(took)
                else:
                    result.failed.append(status)
            if not isinstance(status, int):
                connection = None

    workers = [
        threading.Thread(target=loop, args=(connectors[i % len(connectors)],), daemon=True)
        for i in range(threads)
    ]
    result.seconds = _run_for(workers, seconds, during, stop, join_timeout=35)
    return result


def _run_for(workers, seconds: float, during, stop, *, join_timeout: float) -> float:
    """Start ``workers``, call ``during(elapsed)`` every 0.1 s for ``seconds``, then stop and
    join them; the seconds it took."""
    began = time.monotonic()
    for worker in workers:
        worker.start()
    while (elapsed := time.monotonic() - began) < seconds:
        if during is not None:
            during(elapsed)
        time.sleep(0.1)
    stop.set()
    for worker in workers:
        worker.join(timeout=join_timeout)
    return time.monotonic() - began


@dataclass
class WrkResult:
    """What ``wrk`` measured: answers, failures (errors of the socket and answers other than
    2xx/3xx), requests/s and the 99th percentile."""

    requests: int
    failed: int
    rps: float
    p99: float

    def line(self, name: str) -> str:
        return (
            f"{name}: {self.requests} requests, {self.failed} failed, {self.rps:.1f} req/s, "
            f"p99 {self.p99 * 1000:.0f} ms"
        )


_UNITS = {"us": 1e-6, "ms": 1e-3, "s": 1.0, "m": 60.0}


def _seconds(text: str) -> float:
    found = re.fullmatch(r"([\d.]+)(us|ms|s|m)", text)
    if found is None:  # wrk prints "-nan" when nothing answered
        return float("nan")
    return float(found.group(1)) * _UNITS[found.group(2)]


def parse_wrk(output: str) -> WrkResult:
    requests = int(re.search(r"(\d+) requests in", output).group(1))
    errors = re.search(r"connect (\d+), read (\d+), write (\d+), timeout (\d+)", output)
    non_2xx = re.search(r"Non-2xx or 3xx responses: (\d+)", output)
    failed = sum(map(int, errors.groups())) if errors else 0
    failed += int(non_2xx.group(1)) if non_2xx else 0
    return WrkResult(
        requests=requests,
        failed=failed,
        rps=float(re.search(r"Requests/sec:\s+([\d.]+)", output).group(1)),
        p99=_seconds(re.search(r"^\s+99%\s+(\S+)", output, re.MULTILINE).group(1)),
    )


def wrk(urls, seconds: float, connections: int = 8, during=None) -> WrkResult:
    """Steady load with ``wrk`` (keep-alive, ``connections`` open at once) on each of ``urls``
    at the same time, ``during(elapsed)`` called every 0.1 s; the sum of their figures."""
    urls = [urls] if isinstance(urls, str) else list(urls)
    runs = [
        subprocess.Popen(
            [
                "wrk",
                "-t",
                "1",
                "-c",
                str(max(1, connections // len(urls))),
                "-d",
                f"{seconds:g}s",
                "--timeout",
                "10s",
                "--latency",
                url,
            ],
            stdout=subprocess.PIPE,
            text=True,
        )  # fmt: skip
        for url in urls
    ]
    began = time.monotonic()
    while any(run.poll() is None for run in runs):
        if during is not None:
            during(time.monotonic() - began)
        time.sleep(0.1)
    parts = [parse_wrk(run.stdout.read()) for run in runs]
    return WrkResult(
        requests=sum(part.requests for part in parts),
        failed=sum(part.failed for part in parts),
        rps=sum(part.rps for part in parts),
        p99=max(part.p99 for part in parts),
    )


def listener(port: int) -> int:
    """The process listening on ``port`` (``ss``), whichever start of it this is."""
    out = subprocess.run(
        ["ss", "-Hltnp", f"sport = :{port}"], capture_output=True, text=True, check=True
    ).stdout
    return int(re.search(r"pid=(\d+)", out).group(1))


def kill_web(cluster: dict, index: int = 0) -> None:
    """A web node dies: SIGKILL to its whole process group (server and workers)."""
    os.killpg(os.getpgid(listener(cluster["ports"]["web"][index])), signal.SIGKILL)


# --- Journeys through nginx, with the failures of issue 19 (item 2) -----------------------------

#: The demo's citizen and desk officer (``load_demo``), a district procedure with no mandatory
#: document, and the password every demo account has.
CITIZEN, CITIZEN_ID, DESK = "congdan.an", "040090001234", "motcua.nghiloc"
PROCEDURE, PASSWORD = "1.001612", os.environ.get("CONGSO_DEMO_PASSWORD", "congso-demo")


class Client:
    """One user's browser or API client through nginx. A request whose connection died (the
    ones in flight at a kill), that nginx answered 502, or that was refused with 429 (a rate
    limit failing closed while Redis restarts) is sent once more, as a client does;
    ``retried`` counts them and ``lost`` the requests that failed twice."""

    def __init__(self, base: str, token: str | None = None):
        import requests
        import urllib3

        urllib3.disable_warnings()
        self.base, self.retried, self.lost = base, 0, []
        self.http = requests.Session()
        if token:
            self.http.headers["Authorization"] = f"Token {token}"

    def send(self, method: str, path: str, **kwargs):
        import requests

        for attempt in (1, 2):
            try:
                response = self.http.request(
                    method, self.base + path, timeout=60, verify=False, **kwargs
                )  # the cluster's self-signed certificate (per request: REQUESTS_CA_BUNDLE wins)
                if response.status_code not in (429, 502, 503, 504):
                    return response
                if response.status_code == 429:  # a limiter failing closed: wait, as told
                    time.sleep(1)
            except requests.ConnectionError:
                pass
            if attempt == 1:
                self.retried += 1
        self.lost.append(f"{method} {path}")
        return None

    def login(self, username: str, otp: str = "") -> "Client":
        """A web session (cookie), as a browser signs in: the login form with its CSRF token,
        then for a signer the second factor's form with ``otp``."""
        self.send("GET", "/accounts/login/")
        for path, fields in (
            ("/accounts/login/", {"username": username, "password": PASSWORD}),
            ("/accounts/totp/", {"code": otp}),
        ):
            if path == "/accounts/totp/" and not otp:
                break
            self.send(
                "POST", path,
                data={**fields, "csrfmiddlewaretoken": self.http.cookies.get("csrftoken", "")},
                headers={"Referer": self.base + path}, allow_redirects=False,
            )  # fmt: skip
        return self

    def csrf(self) -> dict:
        """The headers a page's script sends with a POST in a web session (ignored with a
        token)."""
        return {"X-CSRFToken": self.http.cookies.get("csrftoken", ""), "Referer": self.base + "/"}

    def signed_in(self) -> bool:
        """The session still holds: a page for signed-in users answers instead of redirecting."""
        response = self.send("GET", "/my/", allow_redirects=False)
        return response is not None and response.status_code == 200


def api_client(base: str, username: str, otp: str = "") -> Client:
    """A token client; ``otp``: the second factor of a signer or clerk (the demo's published
    TOTP key)."""
    anonymous = Client(base)
    response = anonymous.send(
        "POST", "/api/v1/auth/token/",
        json={"username": username, "password": PASSWORD, "otp": otp},
    )  # fmt: skip
    response.raise_for_status()
    return Client(base, response.json()["token"])


@dataclass
class Journeys:
    """Citizens file and look up dossiers, the desk accepts them, from several threads; with a
    clerk, incoming documents are registered (each takes the next arrival number); with
    ``Outgoing``, documents are drafted, approved, signed on the phone and issued (each takes the
    next outgoing number)."""

    codes: list = field(default_factory=list)
    arrivals: list = field(default_factory=list)
    issued: list = field(default_factory=list)
    errors: list = field(default_factory=list)
    clients: list = field(default_factory=list)

    @property
    def retried(self) -> int:
        return sum(client.retried for client in self.clients)

    @property
    def lost(self) -> list:
        return [request for client in self.clients for request in client.lost]

    def line(self, name: str) -> str:
        return (
            f"{name}: {len(self.codes)} dossiers filed, looked up and accepted, "
            f"{len(self.arrivals)} documents registered, {len(self.issued)} issued; "
            f"{self.retried} requests retried, {len(self.lost)} lost, {len(self.errors)} errors"
        )


def _unit_of(citizen: Client) -> int:
    """The district's one-stop desk (the desk officer receives what is filed there)."""
    units = citizen.send("GET", "/api/v1/units/").json()["results"]
    return next(unit["id"] for unit in units if unit["kind"] == "onestop_desk")


def _applied(client: Client, path: str, reached: str) -> dict | None:
    """The dossier or document at ``path`` if its state is ``reached``: a step whose answer was
    lost at a kill is sent again, and the retry refused (409: the revision moved; 400: not
    allowed from the new state) when the first attempt had committed: the step was applied."""
    detail = client.send("GET", path)
    if detail is not None and detail.status_code == 200 and detail.json()["state"] == reached:
        return detail.json()
    return None


def _one_journey(citizen: Client, desk: Client, unit: int, journeys: Journeys, lock) -> None:
    filed = citizen.send(
        "POST", "/api/v1/dossiers/",
        json={"channel": "online", "procedure": PROCEDURE, "unit": unit},
    )  # fmt: skip
    if filed is None or filed.status_code != 201:
        journeys.errors.append(("file", filed and filed.status_code, filed and filed.text[:200]))
        return
    code = filed.json()["code"]
    with lock:
        journeys.codes.append(code)
    found = citizen.send("GET", "/api/v1/lookup/", params={"code": code, "id_number": CITIZEN_ID})
    if found is None or found.status_code != 200:
        journeys.errors.append(("lookup", code, found and found.status_code))
    detail = desk.send("GET", f"/api/v1/dossiers/{code}/")
    if detail is None or detail.status_code != 200:
        journeys.errors.append(("detail", code, detail and detail.status_code))
        return
    accepted = desk.send(
        "POST", f"/api/v1/dossiers/{code}/transitions/",
        json={"transition": "accept", "revision": detail.json()["revision"]},
    )  # fmt: skip
    if (accepted is None or accepted.status_code not in (200, 201)) and not _applied(
        desk, f"/api/v1/dossiers/{code}/", "received"
    ):
        answer = (accepted.status_code, accepted.text[:200]) if accepted is not None else ()
        journeys.errors.append(("accept", code, *answer))


def _one_arrival(clerk: Client, scan: "Arrivals", journeys: Journeys, lock) -> None:
    """The clerk registers a scanned incoming letter: it takes the organ's next arrival number
    (``core.numbering``, in the request's transaction)."""
    registered = clerk.send(
        "POST", "/api/v1/documents/",
        data={"direction": "incoming", "unit": scan.unit, "doc_type": "CV",
              "subject": "Về việc báo cáo (thử cụm)", "author": "Sở Nội vụ",
              "notation": "12/SNV-VP"},
        files={"file": ("cong-van.pdf", scan.pdf, "application/pdf")},
    )  # fmt: skip
    if registered is None or registered.status_code != 201:
        answer = (registered.status_code, registered.text[:200]) if registered is not None else ()
        journeys.errors.append(("register", *answer))
        return
    with lock:
        journeys.arrivals.append(registered.json()["id"])


@dataclass(frozen=True)
class Arrivals:
    """What the clerk's thread needs: the clerk's token client, the organ, a scanned PDF."""

    clerk: Client
    unit: int
    pdf: bytes


#: The subject of every outgoing document the journeys issue (the test counts them by it).
OUTGOING_SUBJECT = "Về việc thử cụm máy chủ"


@dataclass(frozen=True)
class Outgoing:
    """What the outgoing thread needs: the drafting specialist's and the clerk's token clients,
    the leader's web session (signed in with the second factor: signing is the document page's
    action), the organ and its drafting department, a draft PDF, and the remote-signing
    sandbox (its base URL and the leader's id there) whose "phone" page the leader confirms on."""

    drafter: Client
    leader: Client
    clerk: Client
    unit: int
    drafting_unit: int
    pdf: bytes
    phone: str
    signer: str


def _step(client: Client, document: int, transition: str, reached: str) -> dict | None:
    """Apply ``transition`` to an outgoing document, and say what it became."""
    path = f"/api/v1/documents/{document}/transitions/"
    answer = client.send("POST", path, json={"transition": transition}, headers=client.csrf())
    if answer is not None and answer.status_code == 200:
        return answer.json()
    return _applied(client, f"/api/v1/documents/{document}/", reached)


def confirm_on_phone(out: Outgoing) -> int:
    """The leader's phone app (the sandbox's page): confirm every transaction waiting (a start
    sent again at a kill leaves two; confirming both signs nothing twice). How many."""
    import requests

    page = requests.get(f"{out.phone}/app/{out.signer}", timeout=10).text
    waiting = re.findall(r'name="transaction_id" value="([^"]+)"', page)
    for transaction in waiting:
        requests.post(
            f"{out.phone}/app/confirm",
            data={"transaction_id": transaction, "user_id": out.signer, "action": "confirm"},
            timeout=10, allow_redirects=False,
        )  # fmt: skip
    return len(waiting)


def _sign_on_phone(out: Outgoing, document: int) -> bool:
    """The leader presses "Ký số" (the page asks the CA's service), confirms on the phone, and
    the page asks the server until the signature is in (``documents.signing_views``)."""
    leader = out.leader
    started = leader.send("POST", f"/documents/{document}/sign/", headers=leader.csrf())
    if started is not None and started.status_code == 200 and "status_url" in started.json():
        status_url = started.json()["status_url"]
        for _ in range(40):
            confirm_on_phone(out)
            answer = leader.send("POST", status_url, headers=leader.csrf())
            if answer is not None and (answer.status_code != 200 or answer.json().get("done")):
                break  # signed, or refused (a lost answer's retry: the state below says)
            time.sleep(0.5)
    return _applied(leader, f"/api/v1/documents/{document}/", "signed") is not None


def _one_outgoing(out: Outgoing, journeys: Journeys, lock) -> None:
    """A decision drafted at the department, submitted, approved and signed by the leader,
    then issued by the clerk: the number is taken in the issuing request's transaction."""
    drafted = out.drafter.send(
        "POST", "/api/v1/documents/",
        data={"direction": "outgoing", "unit": out.unit, "doc_type": "QĐ",
              "subject": OUTGOING_SUBJECT, "drafting_unit": out.drafting_unit},
        files={"file": ("du-thao.pdf", out.pdf, "application/pdf")},
    )  # fmt: skip
    if drafted is None or drafted.status_code != 201:
        answer = (drafted.status_code, drafted.text[:200]) if drafted is not None else ()
        journeys.errors.append(("draft", *answer))
        return
    document = drafted.json()["id"]
    for client, transition, reached in (
        (out.drafter, "submit", "in_review"),
        (out.leader, "approve", "approved"),
    ):
        if _step(client, document, transition, reached) is None:
            journeys.errors.append((transition, document))
            return
    if not _sign_on_phone(out, document):
        journeys.errors.append(("sign", document))
        return
    issued = _step(out.clerk, document, "issue", "issued")
    if issued is None:
        journeys.errors.append(("issue", document))
        return
    with lock:
        journeys.issued.append(issued["notation"])


def journeys(
    base: str,
    seconds: float,
    threads: int = 4,
    during=None,
    arrivals: Arrivals | None = None,
    outgoing: Outgoing | None = None,
) -> Journeys:
    """Run the journeys from ``threads`` citizens (one desk officer each) for ``seconds``, with
    ``arrivals`` a clerk registering incoming documents, with ``outgoing`` a department issuing
    outgoing ones; ``during(elapsed)`` as in ``load``."""
    result, lock, stop = Journeys(), threading.Lock(), threading.Event()
    pairs = [(api_client(base, CITIZEN), api_client(base, DESK)) for _ in range(threads)]
    unit = _unit_of(pairs[0][0])
    for pair in pairs:
        result.clients.extend(pair)

    def loop(citizen, desk):
        while not stop.is_set():
            _one_journey(citizen, desk, unit, result, lock)

    def clerk_loop():
        while not stop.is_set():
            _one_arrival(arrivals.clerk, arrivals, result, lock)

    workers = [threading.Thread(target=loop, args=pair, daemon=True) for pair in pairs]
    if arrivals is not None:
        result.clients.append(arrivals.clerk)
        workers.append(threading.Thread(target=clerk_loop, daemon=True))
    if outgoing is not None:
        result.clients.extend((outgoing.drafter, outgoing.leader))

        def outgoing_loop():
            while not stop.is_set():
                _one_outgoing(outgoing, result, lock)

        workers.append(threading.Thread(target=outgoing_loop, daemon=True))
    _run_for(workers, seconds, during, stop, join_timeout=120)
    return result


def kill_once(after: float, kill) -> callable:
    """A ``during`` that calls ``kill()`` once, ``after`` seconds into the run."""
    done = []

    def during(elapsed):
        if elapsed > after and not done:
            kill()
            done.append(elapsed)

    during.done = done
    return during


def kill_worker(cluster: dict, name: str = "worker1") -> None:
    """A worker node dies in the middle of its tasks: SIGKILL to its whole group (the pool's
    children too), so nothing is acknowledged or handed back."""
    kill_group(worker_pid(name))


def kill_group(pid: int) -> None:
    os.killpg(os.getpgid(pid), signal.SIGKILL)


def worker_pid(name: str) -> int:
    """The process named ``--hostname=<name>@…`` (the supervisor may have started it again)."""
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            try:
                argv = (entry / "cmdline").read_bytes().split(b"\0")
            except OSError:
                continue
            if f"--hostname={name}@%h".encode() in argv and os.getpgid(int(entry.name)) == int(
                entry.name
            ):
                return int(entry.name)
    raise LookupError(name)


def restart_redis(cluster: dict) -> None:
    """Redis stops (SHUTDOWN keeps the append-only file); the supervisor starts it again."""
    subprocess.run(
        ["redis-cli", "-p", str(cluster["ports"]["redis"]), "shutdown"], capture_output=True
    )


def sql(cluster: dict, query: str, role: str = "primary") -> str:
    return subprocess.run(
        ["psql", "-h", "127.0.0.1", "-p", str(cluster["ports"][role]), "-U", "postgres",
         "-d", "congso", "-tAc", query],
        capture_output=True, text=True, check=True,
    ).stdout.strip()  # fmt: skip


def last_notification(cluster: dict) -> int:
    return int(sql(cluster, "SELECT coalesce(max(id), 0) FROM notify_notification"))


def outbox_settled(cluster: dict, after: int = 0, timeout: float = 180) -> set[int]:
    """Wait until no e-mail is left to send; return the ids (above ``after``) of those sent."""
    deadline = time.monotonic() + timeout
    while sql(cluster, "SELECT count(*) FROM notify_notification WHERE channel = 'email' "
                       "AND status IN ('pending', 'sending')") != "0":  # fmt: skip
        if time.monotonic() > deadline:
            raise TimeoutError("the outbox did not drain")
        time.sleep(1)
    query = f"SELECT id FROM notify_notification WHERE channel = 'email' AND status = 'sent' AND id > {int(after)}"  # noqa: E501, S608 - an int
    rows = sql(cluster, query)
    return {int(row) for row in rows.split()}


def copies(cluster: dict, after: int = 0) -> dict[int, list[float]]:
    """Notification id → when the relay stored each copy of its e-mail (the Maildir file's
    time; the stable Message-ID ``<congso-notification-ID@…>`` says which row it came from)."""
    import mailbox

    stored: dict[int, list[float]] = {}
    for message in mailbox.Maildir(cluster["maildir"]):
        found = re.search(r"congso-notification-(\d+)@", message["Message-ID"] or "")
        if found and int(found.group(1)) > after:
            stored.setdefault(int(found.group(1)), []).append(message.get_date())
    return stored


def delivered(cluster: dict, after: int = 0) -> Counter:
    """Notification id → how many times the relay received its e-mail."""
    return Counter({mid: len(times) for mid, times in copies(cluster, after).items()})


def without_stable_id(cluster: dict) -> list[str]:
    """The subjects of e-mails the relay holds without the outbox's Message-ID: a repeat could
    not be recognised (and deduplicated by a mail client) by its Message-ID."""
    import mailbox

    return [
        message["Subject"] or ""
        for message in mailbox.Maildir(cluster["maildir"])
        if not re.search(r"congso-notification-(\d+)@", message["Message-ID"] or "")
    ]


def in_the_window(cluster: dict, after: int, killed_at: str, lease: int) -> set[tuple[int, int]]:
    """Read after both workers were killed at ``killed_at`` (the database's clock): the e-mails
    whose rows still say ``sending`` under a lease the dead workers took (it ends by
    ``killed_at + lease``; workers started again take later ones) and of which the relay stored
    a copy during that attempt, as (notification id, attempt).
    The relay accepted them ("250") and the worker died before recording it: the window where
    SMTP is at-least-once; each is sent again when its lease ends. A message cut off before
    the relay stored it is not kept (the relay drops it when the connection closes), so it is
    not in this set. The attempt began when the worker renewed its lease, just before sending
    (``locked_until - lease``): a copy stored earlier is an earlier attempt's, already counted
    by the kill that caught it."""
    query = (
        "SELECT id, attempts, extract(epoch FROM locked_until) FROM notify_notification "  # noqa: S608 - an int and the database's own timestamp
        f"WHERE channel = 'email' AND status = 'sending' AND id > {int(after)} "
        f"AND locked_until <= '{killed_at}'::timestamptz + interval '{int(lease)} seconds'"
    )
    held = copies(cluster, after)
    rows = (line.split("|") for line in sql(cluster, query).splitlines() if line)
    return {
        (int(mid), int(attempt))
        for mid, attempt, until in rows
        if any(stored >= float(until) - lease for stored in held.get(int(mid), ()))
    }


def arrival_gaps(cluster: dict) -> list[str]:
    """Arrival numbers per organ and year run 1, 2, 3… with no hole and no repeat (Decree
    30/2020); returns what breaks that."""
    rows = sql(cluster, "SELECT unit_id || ':' || extract(year FROM received_at AT TIME ZONE "
                        "'Asia/Ho_Chi_Minh')::int || '-' || arrival_number "
                        "FROM documents_document WHERE arrival_number IS NOT NULL")  # fmt: skip
    return sequence_gaps(rows.split())


def outgoing_gaps(cluster: dict) -> list[str]:
    """Outgoing numbers per organ, year and series (the document type) run 1, 2, 3… with no
    hole and no repeat (Decree 30/2020, art. 15); returns what breaks that."""
    rows = sql(cluster, "SELECT unit_id || ':' || extract(year FROM issued_on)::int || ':' || "
                        "doc_type || '-' || number FROM documents_document "
                        "WHERE direction = 'outgoing' AND number IS NOT NULL")  # fmt: skip
    return sequence_gaps(rows.split())


def sequence_gaps(codes) -> list[str]:
    """Dossier codes ``<agency>-YYMMDD-NNNN``: per agency and day, NNNN runs 1, 2, 3… with no
    hole and no repeat. Returns what breaks that."""
    runs: dict[str, list[int]] = {}
    for code in codes:
        prefix, number = code.rsplit("-", 1)
        runs.setdefault(prefix, []).append(int(number))
    return [
        f"{prefix}: {sorted(numbers)[:5]}…" for prefix, numbers in runs.items()
        if sorted(numbers) != list(range(1, len(numbers) + 1))
    ]  # fmt: skip


def replica_serves(base: str, path: str = "/dashboard/") -> str:
    """Which database answered a report page: the ``X-Congso-Read-From`` header."""
    desk = Client(base).login(DESK)
    response = desk.send("GET", path, allow_redirects=False)
    return response.headers.get("X-Congso-Read-From", "") if response is not None else ""


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--cluster", default="var/cluster/cluster.json")
    parser.add_argument("--seconds", type=float, default=10)
    parser.add_argument("--path", default="/")
    options = parser.parse_args()
    cluster = json.loads(Path(options.cluster).read_text())
    base, seconds = cluster["https"], options.seconds
    webs = [f"http://127.0.0.1:{port}{options.path}" for port in cluster["ports"]["web"]]
    wrk(base + options.path, 2)  # warm both processes
    lines = []
    empty = wrk(base + "/healthz", seconds)
    lines.append(empty.line("empty view (/healthz) via nginx, 2 web"))
    page = wrk(base + options.path, seconds)
    lines.append(page.line(f"{options.path} via nginx, 2 web"))
    one = wrk(webs[:1], seconds)
    two = wrk(webs, seconds)
    lines.append(one.line(f"{options.path} direct, 1 web process"))
    lines.append(two.line(f"{options.path} direct, 2 web processes"))
    lines.append(f"ratio 2/1 processes: {two.rps / one.rps:.2f}")
    for path, steady in (("/healthz", empty), (options.path, page)):
        killer = kill_once(seconds / 3, lambda: kill_web(cluster))
        failover = wrk(base + path, seconds, during=killer)
        lines.append(
            failover.line(f"{path} via nginx, web1 killed")
            + f", p99 {failover.p99 / steady.p99:.1f}x its steady p99,"
            + f" {failover.p99 / empty.p99:.1f}x the empty view's"
        )
        time.sleep(5)  # the supervisor starts web1 again
    print("\n".join(lines))  # noqa: T201


if __name__ == "__main__":
    main()
