"""A test walks every URL with junk: no request, however malformed, gets a server error.

Every URL pattern of the project is discovered from the root resolver (included apps, the API,
the i18n switch, Django's admin), so an app that adds a page is covered without touching this
file. Each path parameter is filled with junk (zero, huge numbers, SQL, HTML, Vietnamese text, a
very long string, path traversal); each URL is requested with junk query strings, junk form data
with a junk upload, junk and malformed JSON, by an anonymous visitor, a citizen, an official, a
unit administrator and the system administrator (both past the second factor). Bad input must give
a 4xx or a page with a Vietnamese message, never a 500.

Each request runs in a savepoint that is rolled back, so one request's effects (a logout, a
created record, an aborted PostgreSQL transaction) never leak into the next.
"""

import copy
import itertools
import json
import sys
import traceback
from dataclasses import dataclass, field
from http.cookies import SimpleCookie
from urllib.parse import quote

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import transaction
from django.test import Client, override_settings
from django.urls import URLResolver, get_resolver, resolve
from django.urls import path as url_pattern
from django.urls.exceptions import Resolver404
from django.utils.regex_helper import normalize
from hypothesis import find, strategies
from hypothesis import settings as hypothesis_settings

from congso.accounts.middleware import SESSION_KEY

pytestmark = pytest.mark.slow

LONG_JUNK = (
    "Đăng ký khai sinh '; DROP TABLE accounts_user; -- <b>&amp;</b> ½ \u202e " * 60
).strip()

#: Values tried in every path parameter; a URL is kept when the value makes it resolve to the
#: pattern under test (so ``<int:…>`` gets the numbers, ``<slug:…>`` the slug-like ones).
PATH_JUNK = [
    "0",
    "999999999",
    "99999999999999999999",
    "xyz",
    "'; DROP TABLE accounts_user; --",
    "Đăng ký <b>khai sinh</b>",
    "1.001193",
    "00000000-0000-0000-0000-000000000000",
    "../../etc/passwd",
    "x" * 3000,
    "nul\x00byte",  # PostgreSQL holds no NUL in a text
]

QUERY_JUNK = {
    "q": LONG_JUNK,
    "page": "-1",
    "page_size": "abc",
    "received_at": "notadate",
    "amount": "-5",
    "unit": "bogus",
    "year": "99999",
    "month": "13",
    "date": "2025-02-30",
    "from": "31/02/2025",
    "to": "x",
    "parent": "²",
    "kind": "'; DROP TABLE org_unit; --",
    "status": "bogus",
    "sector": "<script>",
    "level": "-1",
    "ordering": "-nonexistent__field",
    "sort": "'",
    "id": "abc",
    "code": "1.001193'",
    "next": "https://evil.example/",
}

JSON_JUNK = {
    "q": ["x", None],
    "page": -1,
    "page_size": "abc",
    "amount": "-5",
    "fee": 1e308,
    "unit": {"id": None},
    "parent": "²",
    "name": None,
    "code": 12345,
    "username": ["admin"],
    "password": {"x": 1},
    "otp": 123456,
    "date": "notadate",
    "received_at": "31/02/2025",
    "year": 99999999999999999999,
    "items": "notalist",
    "documents": [{"file": 1}],
}
MALFORMED_JSON = '{"q": ["x", '


def form_junk() -> dict:
    """Junk form fields, repeated keys and two junk uploads (built anew: uploads are consumed)."""
    return {
        **QUERY_JUNK,
        "name": "'; DROP TABLE accounts_user; --",
        "title": "x" * 3000,
        "email": "not-an-email",
        "phone": "abc",
        "id_number": "12",
        "username": LONG_JUNK,
        "password": "\u202e",
        "code": "abc",
        "valid_from": "notadate",
        "valid_until": "31/02/2025",
        "fee": "-5",
        "role": "bogus",
        "user": "999999999",
        "units": ["bogus", "0", "99999999999999999999"],
        "language": "xx",
        "file": SimpleUploadedFile("junk.pdf", b"%PDF-1.7 not really", "application/pdf"),
        "document": SimpleUploadedFile("..\\..\\junk.exe", b"MZ\x00\x01", "application/x-msdos"),
    }


@dataclass
class Endpoint:
    """One URL pattern (with the prefixes of the includes above it) and junk URLs reaching it."""

    route: str
    name: str
    callback: object
    urls: list[str] = field(default_factory=list)


def walk(resolver, prefix=()):
    """Every URL pattern below ``resolver`` with the chain of patterns leading to it."""
    for entry in resolver.url_patterns:
        if isinstance(entry, URLResolver):
            yield from walk(entry, prefix + ((entry.pattern, entry.namespace),))
        else:
            yield prefix + ((entry.pattern, None),), entry


def junk_paths(chain) -> list[str]:
    """Concrete paths for a pattern chain, every parameter filled with each junk value."""
    possibilities = [normalize(pattern.regex.pattern) for pattern, _namespace in chain]
    paths = []
    for combination in itertools.product(*possibilities):
        template = "".join(fmt for fmt, _params in combination)
        params = {p for _fmt, names in combination for p in names}
        for value in PATH_JUNK if params else [None]:
            paths.append("/" + template % {p: value for p in params})
    return list(dict.fromkeys(paths))


def simplest_path(chain) -> str:
    """The simplest path the chain's regexes accept, for parameters no junk value fits (an
    alternation such as the admin's ``(?P<app_label>auth|notify)``)."""
    parts = [
        find(
            strategies.from_regex(pattern.regex.pattern, fullmatch=True),
            lambda _text: True,
            settings=hypothesis_settings(database=None),
        )
        for pattern, _namespace in chain
    ]
    return "/" + "".join(parts)


def reaches(path: str, callback) -> bool:
    try:
        return resolve(path).func is callback
    except Resolver404:
        return False


def discover() -> list[Endpoint]:
    endpoints = []
    for chain, pattern in walk(get_resolver()):
        namespaces = [ns for _pattern, ns in chain if ns]
        endpoint = Endpoint(
            route="".join(str(p) for p, _ns in chain),
            name=":".join([*namespaces, pattern.name]) if pattern.name else "",
            callback=pattern.callback,
        )
        paths = [path for path in junk_paths(chain) if reaches(path, pattern.callback)]
        if not paths:
            paths = [path for path in [simplest_path(chain)] if reaches(path, pattern.callback)]
        endpoint.urls = [quote(path) for path in paths]
        endpoints.append(endpoint)
    return endpoints


ENDPOINTS = discover()
VISITORS = {
    "anonymous": None,
    "citizen": "congdan.an",
    "official": "motcua.nghilong",
    "unit_admin": "quantri.nghiloc",
    "system_admin": "admin",
}


def handles(callback, method: str) -> bool:
    """Whether a class-based view (Django's or the API's) has a handler for ``method``; function
    views treat PUT, PATCH and DELETE like GET or refuse them, so those are not sent to them."""
    actions = getattr(callback, "actions", None)
    if actions is not None:
        return method in actions
    view_class = getattr(callback, "view_class", None)
    return view_class is not None and hasattr(view_class, method)


def requests_for(endpoint: Endpoint):
    """(label, client method name, keyword arguments) of the junk requests sent to each URL."""
    as_json = {"data": json.dumps(JSON_JUNK), "content_type": "application/json"}
    yield "GET", "get", {}
    yield "GET junk query", "get", {"data": QUERY_JUNK}
    yield "GET junk query (htmx)", "get", {"data": QUERY_JUNK, "headers": {"HX-Request": "true"}}
    yield "GET NUL query", "get", {"data": {"q": "a\x00b", "code": "\x00"}}
    yield "POST junk form", "post", {"data": form_junk()}
    yield "POST junk JSON", "post", as_json
    yield "POST malformed JSON", "post", {**as_json, "data": MALFORMED_JSON}
    for method in ("put", "patch", "delete"):
        if handles(endpoint.callback, method):
            yield f"{method.upper()} junk JSON", method, as_json


def signed_in(user) -> SimpleCookie:
    """The cookies of a client that ``user`` logged into, past the second factor (none for an
    anonymous visitor). Made once per test: each request starts from a copy of them, and what a
    request does to its session (a logout, a new key) is rolled back with the request."""
    client = Client()
    if user is not None:
        client.force_login(user)
        session = client.session
        session[SESSION_KEY] = True
        session.save()
    return client.cookies


def send_rolled_back(client: Client, cookies: SimpleCookie, method: str, url: str, kwargs: dict):
    """One request with ``cookies`` (``signed_in``), in a savepoint that is always rolled back.

    The savepoint is flagged like Django's own ``TestCase`` atomics so that a view opening a
    ``durable`` transaction is not refused merely because the test wraps it.
    """
    atomic = transaction.atomic()
    atomic._from_testcase = True
    with atomic:
        client.cookies = copy.deepcopy(cookies)
        response = getattr(client, method)(url, **kwargs)
        transaction.set_rollback(True)
    return response


def describe(visitor: str, label: str, url: str, status, exc_info) -> str:
    """Who sent what where, the status, and the last frames of the traceback."""
    summary = "".join(traceback.format_exception(*exc_info)[-3:]).rstrip() if exc_info else ""
    return f"{visitor} {label} {url[:200]} → {status}\n{summary}"


@pytest.fixture(scope="module")
def demo_people(django_db_setup, django_db_blocker):
    """The demo district, loaded once for this module and rolled back after it (passwords are
    hashed cheaply: the requests log in with ``force_login``)."""
    from congso.demo.loaders import load_all

    fast_hashing = override_settings(
        PASSWORD_HASHERS=["django.contrib.auth.hashers.MD5PasswordHasher"]
    )
    with django_db_blocker.unblock(), fast_hashing, transaction.atomic():
        people = load_all()["people"]
        yield people
        transaction.set_rollback(True)


def crash(request):
    raise ValueError("boom")


urlpatterns = [url_pattern("crash/", crash)]


@override_settings(ROOT_URLCONF=__name__)
def test_a_crash_is_caught_and_described(db):
    """The walk would be worthless if a crashing view did not show up as a described 500."""
    client = Client(raise_request_exception=False)
    response = send_rolled_back(client, signed_in(None), "get", "/crash/", {})
    assert response.status_code == 500
    text = describe("anonymous", "GET", "/crash/", 500, response.exc_info)
    assert text.startswith("anonymous GET /crash/ → 500")
    assert "ValueError: boom" in text


def test_walk_finds_the_project_urls():
    names = {endpoint.name for endpoint in ENDPOINTS}
    expected = {
        "portal:home",
        "accounts:login",
        "accounts:logout",
        "accounts:totp",
        "accounts:workspace",
        "catalog:search",
        "core:audit_log",
        "org:tree",
        "api-units",
        "set_language",
    }
    assert expected <= names, expected - names


def test_every_pattern_is_reached_with_junk():
    """A new converter that none of the junk values fits must be noticed, not silently skipped."""
    unreached = [endpoint.route for endpoint in ENDPOINTS if not endpoint.urls]
    assert not unreached


#: The URL patterns this module walks, and those ``test_no_500_other_half`` walks: a module runs
#: in one test worker, and the whole walk in one was the suite's longest module.
HALF, OTHER_HALF = ENDPOINTS[0::2], ENDPOINTS[1::2]


@pytest.mark.parametrize("visitor", list(VISITORS))
@pytest.mark.parametrize("endpoint", HALF, ids=[e.name or e.route for e in HALF])
def test_no_server_error(endpoint, visitor, demo_people, db):
    walk_with_junk(endpoint, visitor, demo_people)


def walk_with_junk(endpoint: Endpoint, visitor: str, people: dict) -> None:
    """Every junk request to every URL of ``endpoint`` as ``visitor``: none may get a 500."""
    username = VISITORS[visitor]
    cookies = signed_in(people[username] if username else None)
    # One client for all the requests: building one loads the middleware, and WhiteNoise then
    # indexes every static file (tens of milliseconds each time).
    client = Client(raise_request_exception=False)
    failures = []
    for url in endpoint.urls:
        for label, method, kwargs in requests_for(endpoint):
            try:
                response = send_rolled_back(client, cookies, method, url, kwargs)
            except Exception:  # a crash outside the view (the error page itself) counts too
                failures.append(describe(visitor, label, url, "exception", sys.exc_info()))
                continue
            if response.status_code >= 500:
                exc_info = getattr(response, "exc_info", None)
                failures.append(describe(visitor, label, url, response.status_code, exc_info))
    for line in failures:
        print(line.splitlines()[0])
    assert not failures, "\n\n".join(failures)
