"""Fixtures shared by every app's tests: a three-tier and a two-tier administrative tree and the
people who work in them. Built with the apps' own services and factories."""

import pytest
from django.core.management.commands import flush

from congso.accounts.models import Role
from congso.accounts.tests.factories import CitizenFactory, OfficialFactory, PositionFactory
from congso.org.models import UnitKind
from congso.org.services import create_unit


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
    trigger refuses. Lift the triggers around the flush only, as an operator could."""
    from django.db import connections

    from congso.core import audit_triggers

    original = flush.Command.handle

    def handle(self, **options):
        connection = connections[options.get("database") or "default"]
        audit_triggers.remove(connection)
        try:
            return original(self, **options)
        finally:
            audit_triggers.install(connection)

    flush.Command.handle = handle
    yield
    flush.Command.handle = original


@pytest.fixture(autouse=True)
def _force_login_is_a_complete_login(monkeypatch):
    """``client.force_login`` stands for a finished login: the password and, for administrators
    and signers, the second factor. Tests of the second factor itself start half-way with
    ``congso.accounts.testing.log_in(client, user, second_factor=False)``."""
    from django.test.client import Client

    from congso.accounts.testing import pass_second_factor

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
    from congso.signing import testing

    conf = testing.softhsm_config(tmp_path_factory.mktemp("softhsm"))
    return testing.make_softhsm_token(conf, label="congso-test", pin="2468")


def pytest_collection_modifyitems(config, items):
    """Browser journeys run last. Playwright's synchronous API keeps an event loop running in the
    main thread for as long as the session's browser lives, and pyHanko's synchronous signing
    calls ``asyncio.run``, which refuses to start inside a running loop: a test that signs a PDF
    in the test process after the first journey would fail for that reason alone."""
    items.sort(key=lambda item: item.get_closest_marker("browser") is not None)
