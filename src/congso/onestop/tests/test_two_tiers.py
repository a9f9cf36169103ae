"""The demo district converted to two tiers (since 1 July 2025 Nghi Lộc's communes sit directly
under Nghệ An province; Resolution 190/2025/QH15, Law on Local Government Organisation 2025):
the old commune is merged into a new one under the province, and a procedure with steps at the
commune and at a department runs its one-stop journey there, the department step at the
province's department (sở) and the former district's decision at the commune."""

import datetime as dt

from congso.accounts.models import Role
from congso.accounts.tests.factories import PositionFactory
from congso.catalog.models import Procedure
from congso.onestop import results, services
from congso.onestop.lifecycle import State
from congso.org.models import UnitKind
from congso.org.services import create_unit, retire_unit

from .conftest import monday_morning


def _people(unit, *roles):
    return [PositionFactory(unit=unit, role=role).user for role in roles]


def test_a_two_tier_commune_runs_a_journey_through_a_provincial_department(demo, intake_for):
    units = demo["units"]
    province, since = units["province"], dt.date(2025, 7, 1)
    commune = create_unit(
        parent=province,
        name="UBND xã Nghi Long (mới)",
        kind=UnitKind.COMMUNE,
        agency_id="000.71.40.H41",
        symbol="UBND",
        valid_from=since,
    )
    department = create_unit(
        parent=province,
        name="Sở Nội vụ",
        kind=UnitKind.DEPARTMENT,
        agency_id="000.72.40.H41",
        symbol="LĐTBXH",
        valid_from=since,
    )
    retire_unit(units["Xã Nghi Long"], on=dt.date(2025, 6, 30), successor=commune)
    desk, clerk, chair = _people(commune, Role.DESK_OFFICER, Role.SPECIALIST, Role.LEADER)
    expert, director = _people(department, Role.SPECIALIST, Role.LEADER)

    allowance = Procedure.objects.get(code="1.001776")  # commune → department → decision
    # routing is what this test is about: the leader's personal signature of the decision has
    # its own tests (test_result_leader_signature), so the result is sealed at approval here
    allowance.versions.update(result_signed_by_leader=False)
    now = monday_morning()
    dossier = services.receive_at_desk(desk, intake_for(allowance, commune), now=now)
    plan = list(dossier.steps.order_by("position").values_list("unit_id", flat=True))
    assert plan == [commune.pk, commune.pk, commune.pk, department.pk, department.pk] + [
        commune.pk,
        commune.pk,
    ]
    journey = [
        (desk, "start"),
        (clerk, "forward"),
        (chair, "forward"),
        (expert, "forward"),
        (director, "forward"),
        (chair, "approve"),
    ]
    for hours, (who, name) in enumerate(journey, start=1):
        if name == "approve":  # the leader signs only a result drafted from the declaration
            results.draft(dossier, who, when=now + dt.timedelta(hours=hours))
        dossier = services.transition(dossier, name, actor=who, now=now + dt.timedelta(hours=hours))
    assert dossier.state == State.PROCESSED and dossier.timeliness == "early"
    returned = services.transition(
        dossier,
        "return_result",
        actor=desk,
        returned_to="Nguyễn Thị Mai",
        id_checked=True,
        now=now + dt.timedelta(hours=8),
    )
    assert returned.state == State.RETURNED
    assert all(step.due_at <= returned.due_at for step in returned.steps.exclude(due_at=None))
