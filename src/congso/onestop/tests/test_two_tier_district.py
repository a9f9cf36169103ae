"""The demo district converted to two tiers, the way 1 July 2025 did it (Resolution
190/2025/QH15, Law on Local Government Organisation 2025): every commune of Nghi Lộc continues
as a commune directly under Nghệ An, the district's offices (phòng) as the province's
departments (sở) of the same symbol, and the district ends. Its open dossiers move with it
(codes and history unchanged); afterwards a commune receives and decides a dossier whose
department step runs at the provincial sở, a province-level procedure is offered at the one
commune centre the province names (Decree 118/2025/NĐ-CP: receipt at any commune's centre the
province designates, per unit rather than by level), and the figures — period report, register
(form 07), the Decision 766 on-time rate — count them at the new communes."""

import datetime as dt

import pytest
from django.core.exceptions import ValidationError

from congso.accounts.models import Role
from congso.accounts.tests.factories import PositionFactory
from congso.catalog import services as catalog
from congso.catalog.models import Procedure
from congso.core.periods import Period
from congso.dashboard import store
from congso.onestop import indicators766, printing, reports, results, services
from congso.onestop.lifecycle import State
from congso.org.models import UnitKind
from congso.org.services import create_unit, retire_unit

from .conftest import VN

ENDS, SINCE = dt.date(2025, 6, 30), dt.date(2025, 7, 1)


def _two_tiers(units) -> dict:
    """Retire everything under the district into its successor under the province, then the
    district itself. Returns ``{old unit pk: successor}``."""
    province, district = units["province"], units["district"]
    successors = {}
    for n, old in enumerate(district.children.active().order_by("pk"), start=1):
        if old.kind == UnitKind.DEPARTMENT:
            new = create_unit(
                parent=province,
                name=old.name.replace("Phòng", "Sở").replace("huyện", "tỉnh"),
                kind=UnitKind.DEPARTMENT,
                symbol=old.symbol,
                agency_id=f"000.{n:02d}.41.H41",
                valid_from=SINCE,
            )
        elif old.kind == UnitKind.ONESTOP_DESK:
            new = province
        else:
            new = create_unit(
                parent=province,
                name=old.name,
                short_name=old.short_name,
                kind=UnitKind.COMMUNE,
                symbol=old.symbol,
                agency_id=f"000.{n:02d}.40.H41",
                valid_from=SINCE,
            )
        retire_unit(old, on=ENDS, successor=new)
        successors[old.pk] = new
    retire_unit(district, on=ENDS, successor=province)
    return successors


def _at(y, m, d, h=8):
    return dt.datetime(y, m, d, h, tzinfo=VN)


def _staff(unit, *roles):
    return [PositionFactory(unit=unit, role=role).user for role in roles]


@pytest.fixture
def converted(demo, intake_for):
    units = demo["units"]
    desk = demo["people"]["motcua.nghilong"]
    marriage = Procedure.objects.get(code="1.004873")
    before = services.receive_at_desk(
        desk, intake_for(marriage, units["Xã Nghi Long"]), now=_at(2025, 6, 23)
    )
    before = services.transition(before, "start", actor=desk, now=_at(2025, 6, 23, 9))
    successors = _two_tiers(units)
    return {"units": units, "successors": successors, "before": before}


def test_the_district_ends_and_its_open_dossier_continues_at_the_new_commune(converted):
    units, successors = converted["units"], converted["successors"]
    commune = successors[units["Xã Nghi Long"].pk]
    assert commune.parent == units["province"]
    units["district"].refresh_from_db()
    assert units["district"].is_retired
    before = converted["before"]
    code = before.code
    before.refresh_from_db()
    assert (before.code, before.receiving_unit, before.current_unit) == (code, commune, commune)
    assert before.events.filter(transition="start").exists()  # history kept


def test_one_stop_journeys_and_figures_run_on_the_two_tier_province(converted, intake_for):
    units, successors = converted["units"], converted["successors"]
    province = units["province"]
    commune = successors[units["Xã Nghi Long"].pk]
    other = successors[units["Xã Nghi Mỹ"].pk]
    social = successors[units["LĐTBXH"].pk]  # the province's sở, successor of the phòng
    desk, clerk, chair = _staff(commune, Role.DESK_OFFICER, Role.SPECIALIST, Role.LEADER)
    expert, director = _staff(social, Role.SPECIALIST, Role.LEADER)

    # a department step goes to the provincial sở (routing.resolve)
    allowance = Procedure.objects.get(code="1.001776")
    now = _at(2026, 3, 9)
    dossier = services.receive_at_desk(desk, intake_for(allowance, commune), now=now)
    assert social.pk in set(dossier.steps.values_list("unit_id", flat=True))
    journey = [
        (desk, "start"),
        (clerk, "forward"),
        (chair, "forward"),
        (expert, "forward"),
        (director, "forward"),
        (chair, "approve"),
    ]
    for hours, (who, name) in enumerate(journey, start=1):
        if name == "approve":
            results.draft(dossier, who, when=now + dt.timedelta(hours=hours))
        dossier = services.transition(dossier, name, actor=who, now=now + dt.timedelta(hours=hours))
    assert dossier.state == State.PROCESSED

    # a province-level procedure is offered per unit: at the commune centre the province names
    foreign = Procedure.objects.get(code="2.000806")
    catalog.update_procedure(foreign, level="province", units=[commune])
    assert catalog.offers(foreign, commune) and not catalog.offers(foreign, other)
    (other_desk,) = _staff(other, Role.DESK_OFFICER)
    with pytest.raises(ValidationError, match="không giải quyết thủ tục"):
        services.receive_at_desk(other_desk, intake_for(foreign, other), now=now)
    filed = services.receive_at_desk(desk, intake_for(foreign, commune), now=now)
    assert filed.receiving_unit == commune and filed.state == State.RECEIVED

    # the figures count all three at the new commune, under the province
    march = Period(dt.date(2026, 3, 1), dt.date(2026, 3, 31))
    store.refresh(march.start - dt.timedelta(days=1), march.end)
    report = reports.period_report(province, march)
    row = next(r for r in report.rows if r.key == commune.pk)
    assert (row.figures["received"], row.figures["early"], row.figures["carried"]) == (2, 1, 1)
    assert report.total["received"] == 2 and report.total["open"] == 2
    codes = [r.code for r in printing.register_rows(commune, march)]
    assert codes == [dossier.code, filed.code]
    ids = reports.unit_ids(province)
    _numerator, denominator = indicators766.on_time(ids, march)
    assert {dossier.pk, filed.pk, converted["before"].pk} <= denominator
