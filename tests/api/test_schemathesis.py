"""Schemathesis walks the published API schema (``/api/schema/``) against the running app.

Every operation is called with requests built from its own schema, valid ones and invalid ones,
as a desk officer and as a citizen (API tokens), in-process through WSGI, against the demo
district. No answer may be a server error, every status code must be one the schema documents,
and every body must match the documented schema. Operations whose path names an object are
also called with the key of an object the caller can see (the first item of the operation's
list, when it shows one), so detail answers are checked, not only 404s.

Bounded and reproducible: a fixed number of examples per operation and kind of data,
derandomised, no shrinking, no example database. Each request runs in a savepoint that is
rolled back, so a created dossier or a read notification never changes the next request.

The operations are walked by a loop of our own around schemathesis' strategies and checks rather
than its pytest integration: ``schemathesis.pytest.from_fixture`` (needed for a schema that only
exists once the database is loaded) relies on a pytest internal that pytest 9 no longer has, and
the loop reports every failing operation at once, each with the request that failed.
"""

import time

import pytest
import schemathesis
from django.core.signals import request_finished, request_started
from django.db import close_old_connections, transaction
from django.test import override_settings
from hypothesis import HealthCheck, Phase, given, settings, strategies
from rest_framework.authtoken.models import Token
from schemathesis import GenerationMode
from schemathesis.checks import not_a_server_error
from schemathesis.config import SchemathesisConfig
from schemathesis.core.failures import Failure, FailureGroup
from schemathesis.specs.openapi.checks import response_schema_conformance, status_code_conformance
from werkzeug.test import Client as WsgiClient

from congso.wsgi import application

pytestmark = [pytest.mark.fuzz, pytest.mark.django_db, pytest.mark.slow]

#: Requests per operation and caller, valid and invalid mixed. 40 finds a little more (it found
#: the undocumented 415) in four times the time.
MAX_EXAMPLES = 10
CHECKS = [not_a_server_error, status_code_conformance, response_schema_conformance]

#: The demo people the API is fuzzed as: roles without signing or administrative rights.
CALLERS = {"official": "motcua.nghiloc", "citizen": "congdan.an"}

CONFIG = {"generation": {"with-security-parameters": False}}

HYPOTHESIS = settings(
    max_examples=MAX_EXAMPLES,
    derandomize=True,
    deadline=None,
    database=None,
    phases=[Phase.explicit, Phase.generate],
    suppress_health_check=list(HealthCheck),
)


@pytest.fixture(scope="module")
def demo(django_db_setup, django_db_blocker, tmp_path_factory):
    """The full demo district, loaded once for this module and rolled back after it; the API
    tokens of the callers."""
    from congso.demo.loaders import load_all

    root = tmp_path_factory.mktemp("schemathesis")
    isolated = override_settings(
        MEDIA_ROOT=root / "media",
        VAR_DIR=root / "var",
        PASSWORD_HASHERS=["django.contrib.auth.hashers.MD5PasswordHasher"],
    )
    with django_db_blocker.unblock(), isolated, transaction.atomic():
        people = load_all(full=True)["people"]
        yield {
            caller: Token.objects.get_or_create(user=people[username])[0].key
            for caller, username in CALLERS.items()
        }
        transaction.set_rollback(True)


@pytest.fixture(scope="module")
def wsgi_keeps_the_connection():
    """A WSGI request ends by closing the database connection; the test's transaction (and on
    SQLite the in-memory database) must survive it, as Django's own test client ensures."""
    for signal in (request_started, request_finished):
        signal.disconnect(close_old_connections)
    yield
    for signal in (request_started, request_finished):
        signal.connect(close_old_connections)


@pytest.fixture(scope="module")
def api_schema(demo, wsgi_keeps_the_connection):
    """The schema exactly as ``/api/schema/`` serves it."""
    config = SchemathesisConfig.from_dict(CONFIG)
    return schemathesis.openapi.from_wsgi("/api/schema/", application, config=config)


def existing_keys(operation, headers: dict) -> dict:
    """Path parameters naming an object the caller can see: taken from the first item of the
    list the path starts with (``/documents/{id}/files/{number}/`` → ``/documents/``)."""
    template = operation.path
    if "{" not in template:
        return {}
    response = WsgiClient(application).get(template[: template.index("{")], headers=headers)
    if response.status_code != 200:
        return {}
    data = response.json
    items = data.get("results", []) if isinstance(data, dict) else data
    if not items or not isinstance(items[0], dict):
        return {}
    item = items[0]
    names = [parameter.name for parameter in operation.path_parameters]
    keys = {name: item[name] for name in names if name in item}
    if names[0] not in keys and "id" in item:
        keys[names[0]] = item["id"]
    return keys


def strategy_for(operation, headers: dict):
    """Valid and invalid requests; half of them aimed at an existing object if there is one."""
    modes = [GenerationMode.POSITIVE, GenerationMode.NEGATIVE]
    choices = [operation.as_strategy(generation_mode=mode) for mode in modes]
    keys = existing_keys(operation, headers)
    if keys:
        choices += [
            operation.as_strategy(generation_mode=mode, path_parameters=keys) for mode in modes
        ]
    return strategies.one_of(choices)


def describe(case) -> str:
    """The request in one line: method, path, query and body as sent."""
    body = "" if case.body is None or case.body.__class__.__name__ == "NotSet" else case.body
    return f"{case.method} {case.formatted_path} query={case.query} body={body!r:.300}"


def send(case, headers: dict) -> list[str]:
    """One request in a savepoint that is always rolled back (flagged like Django's own test
    atomics so that a view opening a ``durable`` transaction is not refused); the checks that
    failed, each with the request that made it fail."""
    atomic = transaction.atomic()
    atomic._from_testcase = True
    with atomic:
        try:
            case.call_and_validate(headers=headers, checks=CHECKS)
        except FailureGroup as group:
            return [
                f"{failure.title}: {failure.message:.600}\n  ← {describe(case)}"
                for failure in group.exceptions
            ]
        except Failure as failure:
            return [f"{failure.title}: {failure.message:.600}\n  ← {describe(case)}"]
        finally:
            transaction.set_rollback(True)
    return []


def fuzz(operation, headers: dict) -> tuple[int, dict[str, str]]:
    """The bounded examples of one operation: the number of requests sent and the distinct
    failures (the first request of each kind that failed)."""
    sent, failures = [], {}

    @HYPOTHESIS
    @given(case=strategy_for(operation, headers))
    def run(case):
        sent.append(case)
        for failure in send(case, headers):
            failures.setdefault(failure.split(":", 1)[0], failure)

    run()
    return len(sent), failures


@pytest.mark.parametrize("caller", list(CALLERS))
def test_api_conforms_to_its_schema(api_schema, demo, caller):
    headers = {"Authorization": f"Token {demo[caller]}"}
    failures, operations, requests = [], 0, 0
    started = time.monotonic()
    for result in api_schema.get_all_operations():
        operation = result.ok()
        operations += 1
        sent, found = fuzz(operation, headers)
        requests += sent
        failures += [f"{operation.label} — {failure}" for failure in found.values()]
    print(
        f"{caller}: {operations} operations, {requests} requests, "
        f"{len(failures)} failures, {time.monotonic() - started:.0f} s"
    )
    assert not failures, "\n\n".join(failures)
