import datetime as dt
import itertools
from zoneinfo import ZoneInfo

import pytest

from congso.accounts.models import Role
from congso.accounts.tests.factories import CitizenFactory
from congso.catalog.tests.factories import ProcedureFactory
from congso.notify.tests.conftest import smtp_server, smtp_settings  # noqa: F401
from congso.onestop.lifecycle import State
from congso.onestop.models import Dossier
from congso.onestop.services import grant_access

VN = ZoneInfo("Asia/Ho_Chi_Minh")
_codes = itertools.count(1)


def monday_morning() -> dt.datetime:
    """A plain working Monday, 09:00 in Vietnam (no holiday within two weeks)."""
    return dt.datetime(2026, 3, 9, 9, 0, tzinfo=VN)


@pytest.fixture
def procedure(db):
    return ProcedureFactory()


@pytest.fixture
def make_dossier(tree, procedure):
    """``make_dossier(applicant, unit=commune_a, state=returned)``: a dossier row with a result,
    as the one-stop services leave it (only the fields this app reads)."""

    def make(applicant=None, unit=None, state=State.RETURNED, **fields):
        unit = unit or tree["commune_a"]
        filed = fields.pop("filed_at", monday_morning() - dt.timedelta(days=7))
        values = {
            "code": f"000.01.01.T01-260302-{next(_codes):04d}",
            "procedure": procedure,
            "version": procedure.current_version(),
            "receiving_unit": unit,
            "current_unit": unit,
            "state": state,
            "channel": "online",
            "applicant": applicant,
            "applicant_name": applicant.get_full_name() if applicant else "Nguyễn Văn Khách",
            "filed_at": filed,
            "received_at": filed,
            "due_at": filed + dt.timedelta(days=3),
            "finished_at": filed + dt.timedelta(days=2) if state == State.RETURNED else None,
            "returned_at": filed + dt.timedelta(days=2) if state == State.RETURNED else None,
        }
        values.update(fields)
        dossier = Dossier.objects.create(**values)
        # who may see it, as the service writes it at receipt
        grant_access([dossier.pk], [dossier.receiving_unit_id, dossier.current_unit_id])
        return dossier

    return make


@pytest.fixture
def other_citizen(db):
    return CitizenFactory()


@pytest.fixture
def officials(tree, official_at):
    """Officials of commune A (desk, specialist, leader), of commune B and the district leader."""
    return {
        "desk_a": official_at(tree["commune_a"], Role.DESK_OFFICER),
        "specialist_a": official_at(tree["commune_a"], Role.SPECIALIST),
        "leader_a": official_at(tree["commune_a"], Role.LEADER),
        "specialist_b": official_at(tree["commune_b"], Role.SPECIALIST),
        "district_leader": official_at(tree["district"], Role.LEADER),
    }
