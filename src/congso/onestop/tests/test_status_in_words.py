"""Status in words: timelines and queues name the Vietnamese status (national code in small
print), never the internal code; overdue and due-today stand out by colour and by words; online
filings show when they were filed."""

import datetime as dt
import re
from zoneinfo import ZoneInfo

import pytest
from django.urls import reverse

from congso.catalog.models import Procedure
from congso.onestop import services
from congso.onestop.models import Dossier
from congso.onestop.rules import Urgency, urgency

VN = ZoneInfo("Asia/Ho_Chi_Minh")
NOW = dt.datetime(2026, 3, 9, 10, 0, tzinfo=VN)


def test_past_the_appointment_is_overdue():
    assert urgency(NOW - dt.timedelta(minutes=1), NOW) == Urgency.OVERDUE


def test_later_the_same_local_day_is_due_today():
    assert urgency(dt.datetime(2026, 3, 9, 17, 0, tzinfo=VN), NOW) == Urgency.DUE_TODAY


def test_tomorrow_or_no_due_date_is_not_marked():
    assert urgency(NOW + dt.timedelta(days=1), NOW) is None
    assert urgency(None, NOW) is None


@pytest.fixture
def people(demo):
    return demo["people"]


@pytest.fixture
def received(demo, intake_for, people):
    birth = Procedure.objects.get(code="1.001193")
    return services.receive_at_desk(
        people["motcua.nghilong"], intake_for(birth, demo["units"]["Xã Nghi Long"])
    )


def test_the_queue_marks_overdue_by_colour_and_words(client, people, received):
    Dossier.objects.filter(pk=received.pk).update(due_at=dt.datetime(2026, 1, 5, 17, tzinfo=VN))
    client.force_login(people["motcua.nghilong"])
    html = client.get(reverse("onestop:queues"), {"tab": "all"}).content.decode()
    assert 'class="row--overdue"' in html
    assert re.search(r'class="tag tag--overdue" data-urgency="overdue">Quá hạn<', html)
    assert 'Đã tiếp nhận <span class="meta">(2)</span>' in html


def test_an_online_filing_shows_its_filing_time_in_the_queue(
    client, demo, people, online_intake_for
):
    procedure = Procedure.objects.get(code="2.000635")
    dossier = services.file_online(
        people["congdan.an"], online_intake_for(procedure, demo["units"]["Xã Nghi Long"])
    )
    client.force_login(people["motcua.nghilong"])
    html = client.get(reverse("onestop:queues"), {"tab": "all"}).content.decode()
    local = dossier.filed_at.astimezone(VN)
    assert f"nộp lúc {local:%H:%M %d/%m/%Y}" in html
    assert 'Mới, chờ tiếp nhận <span class="meta">(1)</span>' in html


def test_the_back_office_timeline_names_the_states(client, people, received):
    client.force_login(people["motcua.nghilong"])
    html = client.get(reverse("onestop:dossier", args=[received.code])).content.decode()
    assert '→ Đã tiếp nhận <span class="meta">(2)</span>' in html


def test_the_citizens_timeline_names_the_states(client, demo, people, online_intake_for):
    procedure = Procedure.objects.get(code="2.000635")
    dossier = services.file_online(
        people["congdan.an"], online_intake_for(procedure, demo["units"]["Xã Nghi Long"])
    )
    client.force_login(people["congdan.an"])
    html = client.get(reverse("portal:dossier", args=[dossier.code])).content.decode()
    timeline = html[html.index('class="timeline"') :]
    assert '<span data-state="new">Mới, chờ tiếp nhận</span>' in timeline
    assert ">new<" not in timeline
