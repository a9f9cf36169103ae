"""Fixtures shared by every app's tests: a three-tier and a two-tier administrative tree and the
people who work in them. Built with the apps' own services and factories."""

import copy
import fcntl
import shutil
from pathlib import Path

import pytest
from django.core.management.commands import flush
from django.db import transaction
from django.test import override_settings

from congso.accounts.models import Role
from congso.accounts.tests.factories import CitizenFactory, OfficialFactory, PositionFactory
from congso.org.models import UnitKind
from congso.org.services import create_unit


@pytest.fixture(scope="session")
def _worker_database_from_template(
    request, tmp_path_factory, django_db_blocker, django_db_modify_db_settings
):
    """Under pytest-xdist, the first worker migrates a template database once and every worker
    starts from a copy of it (PostgreSQL ``CREATE DATABASE … TEMPLATE``, a file copy on SQLite),
    instead of each worker running every migration at the same time on the same two cores.
    True when the worker's database was made so (pytest-django then keeps it as it is: its
    migrate finds nothing to apply); the worker drops its copy at the end."""
    from django.db import connections

    config = request.config
    worker = getattr(config, "workerinput", {}).get("workerid")
    if not worker or config.getvalue("reuse_db") or config.getvalue("nomigrations"):
        yield False
        return
    connection = connections["default"]
    real_name = connection.settings_dict["NAME"]
    worker_name = connection.settings_dict["TEST"]["NAME"]
    shared = Path(tmp_path_factory.getbasetemp()).parent  # one per run, shared by its workers
    sqlite = connection.vendor == "sqlite"
    template = str(shared / "template.sqlite3") if sqlite else f"{real_name}_xdist_template"
    with django_db_blocker.unblock(), (shared / "template.lock").open("w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        ready = shared / "template.ready"
        if not ready.exists():
            _migrate_template(connection, template)
            ready.write_text(template)
        _copy_database(connection, template, worker_name)
        fcntl.flock(lock, fcntl.LOCK_UN)
    yield True
    with django_db_blocker.unblock():
        connection.creation.destroy_test_db(real_name, verbosity=0)


def _migrate_template(connection, template: str) -> None:
    """Create ``template`` by migrating, as pytest-django would create a worker's database."""
    settings_dict = connection.settings_dict
    names = settings_dict["NAME"], settings_dict["TEST"]["NAME"]
    settings_dict["TEST"]["NAME"] = template
    try:
        connection.creation.create_test_db(verbosity=0, autoclobber=True, serialize=False)
    finally:
        connection.close()
        settings_dict["NAME"], settings_dict["TEST"]["NAME"] = names
        from django.conf import settings

        settings.DATABASES[connection.alias]["NAME"] = names[0]


def _copy_database(connection, template: str, name: str) -> None:
    if connection.vendor == "sqlite":
        for suffix in ("", "-wal", "-shm"):
            Path(name + suffix).unlink(missing_ok=True)
        shutil.copyfile(template, name)
        return
    quote = connection.ops.quote_name
    with connection.creation._nodb_cursor() as cursor:
        cursor.execute(f"DROP DATABASE IF EXISTS {quote(name)}")
        cursor.execute(f"CREATE DATABASE {quote(name)} WITH TEMPLATE {quote(template)}")


@pytest.fixture(scope="session")
def django_db_keepdb(request, _worker_database_from_template):
    """pytest-django keeps (neither re-creates nor drops) a worker database copied from the
    template; ``--reuse-db`` keeps any."""
    return _worker_database_from_template or request.config.getvalue("reuse_db")


@pytest.fixture
def tree(db):
    """Province → district (with a department and a desk) → two communes."""
    province = create_unit(name="UBND tỉnh Thử", kind=UnitKind.PROVINCE, agency_id="000.00.00.T01")
    district = create_unit(
        parent=province, name="UBND huyện Thử", kind=UnitKind.DISTRICT, agency_id="000.00.01.T01"
    )
    department = create_unit(
        parent=district,
        name="Phòng Tư pháp",
        kind=UnitKind.DEPARTMENT,
        agency_id="000.30.01.T01",
        symbol="TP",
    )
    desk = create_unit(
        parent=district,
        name="Bộ phận Một cửa",
        kind=UnitKind.ONESTOP_DESK,
        agency_id="000.50.01.T01",
    )
    commune_a = create_unit(
        parent=district, name="UBND xã A", kind=UnitKind.COMMUNE, agency_id="000.01.01.T01"
    )
    commune_b = create_unit(
        parent=district, name="UBND xã B", kind=UnitKind.COMMUNE, agency_id="000.02.01.T01"
    )
    return {
        "province": province,
        "district": district,
        "department": department,
        "desk": desk,
        "commune_a": commune_a,
        "commune_b": commune_b,
    }


@pytest.fixture
def two_tier(db):
    """A province of the 2025 shape: communes right under the province, no district."""
    province = create_unit(
        name="UBND tỉnh Hai Cấp", kind=UnitKind.PROVINCE, agency_id="000.00.00.T02"
    )
    communes = [
        create_unit(
            parent=province,
            name=f"UBND xã Hai Cấp {i}",
            kind=UnitKind.COMMUNE,
            agency_id=f"000.{i:02d}.00.T02",
        )
        for i in range(1, 4)
    ]
    return {"province": province, "communes": communes}


@pytest.fixture
def official_at():
    """``official_at(unit, role)`` → a new official holding that position."""

    def make(unit, role=Role.SPECIALIST, **fields):
        return PositionFactory(unit=unit, role=role, user=OfficialFactory(**fields)).user

    return make


def _is_transactional(item) -> bool:
    """Whether ``item`` commits for real (another thread or process must see its rows)."""
    marker = item.get_closest_marker("django_db")
    names = getattr(item, "fixturenames", ())
    return bool(
        (marker and (marker.kwargs.get("transaction") or marker.kwargs.get("reset_sequences")))
        or "transactional_db" in names
        or "live_server" in names
    )


@pytest.fixture(scope="module")
def _demo_for_module(request, django_db_setup, django_db_blocker):
    """The demo district loaded once per test module (per worker) in a transaction that every
    test of the module runs inside and that is rolled back at the module's end: loading it costs
    ~1,300 queries, which each of some 450 tests used to pay (a third of the PostgreSQL run).
    A module with a transactional test that uses it (real commits, a live server) loads it per
    test instead, as it must. Tests that use it run after the module's other tests
    (``pytest_collection_modifyitems``), so no other test sees it."""
    from congso.demo.loaders import load_all

    module_items = [item for item in request.session.items if item.module is request.module]
    if any(_is_transactional(item) for item in module_items if "demo" in item.fixturenames):
        yield None
        return
    fast_hashing = override_settings(
        PASSWORD_HASHERS=["django.contrib.auth.hashers.MD5PasswordHasher"]
    )
    with django_db_blocker.unblock(), fast_hashing, transaction.atomic():
        yield load_all()
        transaction.set_rollback(True)


@pytest.fixture
def demo(_demo_for_module, db):
    """The demo district: units, people, calendar and catalogue. Each test gets its own copy of
    the loaded objects (as Django's ``setUpTestData`` does), and its own changes to the rows are
    rolled back after it by ``db``."""
    from congso.demo.loaders import load_all

    if _demo_for_module is None:
        return load_all()
    return copy.deepcopy(_demo_for_module)


@pytest.fixture
def celery_eager():
    """Celery runs a queued task at once in the test's process, until the test ends. Celery reads
    its configuration once per process, so a test's ``settings.CELERY_TASK_ALWAYS_EAGER`` stops
    reaching it after the first test that touched it; the previous value is restored so that
    the next test in the worker sees what it would see alone."""
    from congso import celery_app

    before = celery_app.conf.task_always_eager
    celery_app.conf.task_always_eager = True
    yield
    celery_app.conf.task_always_eager = before


@pytest.fixture
def in_background(client, django_capture_on_commit_callbacks, celery_eager):
    """``in_background(url, params)`` → the export's page and file, asked for as an official does:
    the request queues the export, Celery (eager here) builds it on commit."""

    def ask(url, params):
        with django_capture_on_commit_callbacks(execute=True):
            queued = client.get(url, params)
        assert queued.status_code == 302 and queued["Location"].startswith("/exports/")
        page = client.get(queued["Location"])
        assert page.status_code == 200 and "Tải tệp" in page.content.decode()
        return page, client.get(f"{queued['Location']}file/")

    return ask


@pytest.fixture
def memory_cache():
    """The cache in this process's memory: the tests' default cache is the database one, which
    counts as queries; the deployment's is Redis, never a query."""
    from django.core.cache import cache

    with override_settings(
        CACHES={"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}
    ):
        cache.clear()
        yield
        cache.clear()


@pytest.fixture
def citizen(db):
    return CitizenFactory()


@pytest.fixture
def require_postgres():
    """Tests of concurrency and search indexes need PostgreSQL. Skipped on SQLite, except in CI
    (``CONGSO_REQUIRE_SERVICES=1``) where the PostgreSQL run must exercise them."""
    from django.db import connection

    if connection.vendor != "postgresql":
        pytest.skip("cần PostgreSQL (chạy với DATABASE_URL=postgres://…)")


@pytest.fixture(scope="session", autouse=True)
def _flush_lifts_audit_triggers():
    """Transactional tests end with a flush; SQLite's flush is a DELETE that the append-only
    trigger refuses. Lift the triggers around the flush only, as an operator could. On
    PostgreSQL the flush deletes rows instead of truncating (``_deleting_sql_flush``)."""
    from django.db import connections

    from congso.core import audit_triggers

    original_handle, original_sql_flush = flush.Command.handle, flush.sql_flush

    def handle(self, **options):
        connection = connections[options.get("database") or "default"]
        audit_triggers.remove(connection)
        try:
            return original_handle(self, **options)
        finally:
            audit_triggers.install(connection)

    def sql_flush(style, connection, reset_sequences=True, allow_cascade=False):
        if connection.vendor != "postgresql" or reset_sequences:
            return original_sql_flush(style, connection, reset_sequences, allow_cascade)
        return _deleting_sql_flush(connection)

    flush.Command.handle, flush.sql_flush = handle, sql_flush
    yield
    flush.Command.handle, flush.sql_flush = original_handle, original_sql_flush


def _deleting_sql_flush(connection) -> list[str]:
    """Empty every table with DELETE in the flush's one transaction. Django's TRUNCATE of the
    ~100 tables gives each table and index a new file: 1-4 s per transactional test on the shared
    2-core machine (a test's teardown went from ~8 s to ~2 s), where deleting the few rows a test
    left is cheap. Django's foreign keys are deferred to the commit, so the order does not matter;
    ``reset_sequences`` keeps Django's TRUNCATE … RESTART IDENTITY."""
    tables = connection.introspection.django_table_names(only_existing=True, include_views=False)
    quote = connection.ops.quote_name
    # Table names from the introspection, quoted: no outside input.
    deletes = (f"DELETE FROM {quote(table)}" for table in tables)  # noqa: S608
    return ["SET CONSTRAINTS ALL DEFERRED", *deletes]


@pytest.fixture(autouse=True)
def _force_login_is_a_complete_login(monkeypatch):
    """``client.force_login`` stands for a finished login: the password and, for administrators
    and signers, the second factor. Tests of the second factor itself start half-way with
    ``congso.accounts.support.log_in(client, user, second_factor=False)``."""
    from django.test.client import Client

    from congso.accounts.tests.support import pass_second_factor

    force_login = Client.force_login

    def complete(self, user, backend=None):
        force_login(self, user, backend)
        pass_second_factor(self)

    monkeypatch.setattr(Client, "force_login", complete)


@pytest.fixture(autouse=True)
def _fast_password_hashing(settings):
    """Factories set a password for every user; the production hasher costs 0.5 s each."""
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture(scope="session")
def softhsm_token(tmp_path_factory):
    """One SoftHSM2 token for the whole run, shared by every app's tests: SoftHSM reads its
    configuration and lists its slots once per process, so a second token directory would be
    invisible to a process that has already loaded the module."""
    from congso.signing.tests import support

    conf = support.softhsm_config(tmp_path_factory.mktemp("softhsm"))
    return support.make_softhsm_token(conf, label="congso-test", pin="2468")


def pytest_collection_modifyitems(config, items):
    """Browser journeys run last. Playwright's synchronous API keeps an event loop running in the
    main thread for as long as the session's browser lives, and pyHanko's synchronous signing
    calls ``asyncio.run``, which refuses to start inside a running loop: a test that signs a PDF
    in the test process after the first journey would fail for that reason alone.

    Within a module, the tests that use the shared demo district (``demo``) run after the others,
    so that the module's demo transaction is opened once and no test that did not ask for the demo
    sees it. The order is the same in every xdist worker, and a worker runs its share in order."""
    modules = {}
    for item in items:
        modules.setdefault(getattr(item, "module", None), len(modules))
    items.sort(
        key=lambda item: (
            item.get_closest_marker("browser") is not None,
            modules[getattr(item, "module", None)],
            "_demo_for_module" in item.fixturenames,
        )
    )
