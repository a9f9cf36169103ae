"""Daily due/overdue alerts: who is warned, when leaders are told, escalation, idempotence."""

import datetime as dt

import pytest

from congso.catalog.models import Procedure
from congso.notify.models import Notification
from congso.onestop import alerts, services, tasks
from congso.worktime.services import calendar_for

from .conftest import VN, monday_morning


def at(day: int, hour: int = 7) -> dt.datetime:
    """07:00 on a day of March 2026 (Monday the 9th … Sunday the 15th)."""
    return dt.datetime(2026, 3, day, hour, 0, tzinfo=VN)


@pytest.fixture
def people(demo):
    return demo["people"]


@pytest.fixture
def three_days(demo, intake_for):
    """A three-working-day procedure received Monday 08:00 (due Thursday 17:00)."""
    procedure = Procedure.objects.get(code="1.004873")
    return services.receive_at_desk(
        demo["people"]["motcua.nghilong"],
        intake_for(procedure, demo["units"]["Xã Nghi Long"]),
        now=monday_morning(),
    )


@pytest.fixture
def assigned(three_days, people):
    """Started at 08:05 and assigned to the commune's specialist (step due Wednesday)."""
    return services.transition(
        three_days,
        "start",
        actor=people["motcua.nghilong"],
        assignee=people["congchuc.nghilong"].pk,
        now=monday_morning() + dt.timedelta(minutes=5),
    )


def recipients(dossier) -> dict[str, Notification]:
    rows = Notification.objects.filter(template="onestop.alert", channel="in_app")
    return {n.user.username: n for n in rows if n.context["code"] == dossier.code}


# --- The pure rule ----------------------------------------------------------------------------


def test_urgency_counts_one_working_day_ahead(db):
    calendar = calendar_for(None)
    friday = at(13)
    assert alerts.urgency(at(12, 17), friday, calendar) == "overdue"
    assert alerts.urgency(at(13, 17), friday, calendar) == "due_soon"
    assert alerts.urgency(at(16, 17), friday, calendar) == "due_soon"  # Monday is next
    assert alerts.urgency(at(17, 9), friday, calendar) is None
    assert alerts.urgency(None, friday, calendar) is None


# --- Who is told ------------------------------------------------------------------------------


def test_step_due_soon_warns_only_the_assignee(assigned, people):
    assert assigned.steps.get(state="active").due_at.date() == dt.date(2026, 3, 11)
    outcome = alerts.send_due_alerts(at(10))
    got = recipients(assigned)
    assert set(got) == {"congchuc.nghilong"}
    assert outcome.dossiers == 1 and outcome.alerts == 1
    message = got["congchuc.nghilong"]
    assert message.subject == f"Hồ sơ {assigned.code} sắp đến hạn"
    assert "sẽ đến hạn trong vòng một ngày làm việc" in message.body
    assert people["congchuc.nghilong"].get_full_name() in message.body
    assert message.url == f"/onestop/dossiers/{assigned.code}/"
    assert Notification.objects.filter(template="onestop.alert", channel="email").count() == 1


def test_overdue_step_is_escalated_to_the_unit_leader(assigned):
    alerts.send_due_alerts(at(12))
    got = recipients(assigned)
    assert set(got) == {"congchuc.nghilong", "lanhdao.nghilong"}
    leader = got["lanhdao.nghilong"]
    assert leader.subject == f"[Cảnh báo] Bước xử lý quá hạn: hồ sơ {assigned.code}"
    assert "đề nghị đồng chí chỉ đạo giải quyết ngay" in leader.body
    assert "chỉ đạo" not in got["congchuc.nghilong"].body


def test_overdue_dossier_warns_handler_and_leader(assigned):
    alerts.send_due_alerts(at(13))
    got = recipients(assigned)
    assert set(got) == {"congchuc.nghilong", "lanhdao.nghilong"}
    assert "đã quá hạn xử lý" in got["congchuc.nghilong"].body


def test_unassigned_step_warns_everyone_acting_in_that_role_there(three_days, people):
    services.transition(three_days, "start", actor=people["motcua.nghilong"], now=monday_morning())
    alerts.send_due_alerts(at(10))
    assert set(recipients(three_days)) == {"congchuc.nghilong"}


def test_dossier_not_yet_started_warns_the_desk(three_days):
    alerts.send_due_alerts(at(12))
    assert set(recipients(three_days)) == {"motcua.nghilong", "lanhdao.nghilong"}


def test_stopped_clock_finished_and_far_dossiers_are_left_alone(assigned, people):
    assert alerts.send_due_alerts(monday_morning() + dt.timedelta(hours=1)).alerts == 0
    services.transition(
        assigned,
        "request_supplement",
        actor=people["congchuc.nghilong"],
        items=["Tờ khai"],
        note="Thiếu chữ ký",
        now=at(10, 9),
    )
    assert alerts.send_due_alerts(at(13)).alerts == 0
    assert not Notification.objects.filter(template="onestop.alert").exists()


def test_nothing_is_sent_on_a_day_off(assigned):
    assert alerts.send_due_alerts(at(15)).alerts == 0  # Sunday
    assert not Notification.objects.filter(template="onestop.alert").exists()


# --- Once a day -------------------------------------------------------------------------------


def test_running_twice_a_day_sends_nothing_new_and_the_next_day_sends_again(assigned):
    alerts.send_due_alerts(at(12))
    first = Notification.objects.filter(template="onestop.alert").count()
    assert first == 4  # two people × (in-app + e-mail)
    alerts.send_due_alerts(at(12, 11))
    assert Notification.objects.filter(template="onestop.alert").count() == first
    alerts.send_due_alerts(at(13))
    assert Notification.objects.filter(template="onestop.alert").count() == 2 * first
    keys = set(Notification.objects.values_list("dedup_key", flat=True))
    assert (
        f"onestop-alert:{assigned.pk}:{assigned.steps.get(state='active').assignee_id}:2026-03-12"
        in keys
    )


def test_the_celery_task_runs_the_job(assigned):
    result = tasks.send_due_alerts.apply(kwargs={"at": at(12).isoformat()}).get()
    assert result == {"dossiers": 1, "alerts": 2}
