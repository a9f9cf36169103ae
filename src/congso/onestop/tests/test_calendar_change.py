"""A change of the calendar never moves a due instant already given to an applicant: the receipt
(form 01) states it, so it is stored on the dossier and never recomputed (regulations §4; the
administrator's corrections apply to computations made afterwards)."""

import datetime as dt

from congso.catalog.models import Procedure
from congso.onestop import services
from congso.onestop.models import Dossier
from congso.worktime.services import add_exception, remove_exception

from .conftest import monday_morning


def test_a_new_day_off_moves_new_due_instants_only(demo, intake_for):
    desk = demo["people"]["motcua.nghilong"]
    procedure = Procedure.objects.get(code="1.004873")  # 3 working days
    intake = intake_for(procedure, demo["units"]["Xã Nghi Long"])
    given = services.receive_at_desk(desk, intake, now=monday_morning())
    before = given.due_at
    extra = add_exception(date=dt.date(2026, 3, 10), kind="day_off", reason="Nghỉ đột xuất")
    later = services.receive_at_desk(desk, intake, now=monday_morning())
    assert later.due_at > before  # the new table counts for new dossiers
    stored = Dossier.objects.get(pk=given.pk)
    assert stored.due_at == stored.original_due_at == before
    remove_exception(extra)
    assert Dossier.objects.get(pk=later.pk).due_at > before
