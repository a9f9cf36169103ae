"""GET /api/v1/calendar/due-date/."""

import datetime as dt

import pytest
from drf_spectacular.generators import SchemaGenerator

from congso.org.services import update_unit
from congso.worktime import api
from congso.worktime.deadlines import TimeUnit
from congso.worktime.services import add_exception

pytestmark = pytest.mark.django_db

URL = "/api/v1/calendar/due-date/"


def _get(client, **params):
    return client.get(URL, params)


def test_amount_and_unit(client):
    response = _get(
        client, received_at="2026-02-13T09:00:00+07:00", amount="3", unit="working_days"
    )
    assert response.status_code == 200
    assert response.json() == {
        "received_at": "2026-02-13T09:00:00+07:00",
        "amount": 3,
        "unit": "working_days",
        "due_at": "2026-02-25T17:00:00+07:00",
    }


@pytest.mark.parametrize(
    ("params", "due"),
    [
        ({"amount": "2", "unit": "working_hours"}, "2026-03-02T14:30:00+07:00"),
        ({"amount": "0.5", "unit": "working_hours"}, "2026-03-02T11:00:00+07:00"),
        ({"amount": "4", "unit": "calendar_days"}, "2026-03-06T17:00:00+07:00"),
        ({"unit": "same_day"}, "2026-03-02T17:00:00+07:00"),
    ],
)
def test_each_unit(client, params, due):
    response = _get(client, received_at="2026-03-02T10:30:00+07:00", **params)
    assert response.status_code == 200, response.json()
    assert response.json()["due_at"] == due


def test_utc_and_naive_inputs(client):
    utc = _get(client, received_at="2026-03-02T08:30:00Z", unit="same_day").json()
    assert utc["received_at"] == "2026-03-02T15:30:00+07:00"
    assert utc["due_at"] == "2026-03-03T17:00:00+07:00"
    naive = _get(client, received_at="2026-03-02T14:00:00", unit="same_day").json()
    assert naive["received_at"] == "2026-03-02T14:00:00+07:00"  # local time is assumed
    assert naive["due_at"] == "2026-03-02T17:00:00+07:00"


def test_fractional_amount_is_echoed_as_a_number(client):
    body = _get(
        client, received_at="2026-03-02T09:00:00+07:00", amount="0.5", unit="working_days"
    ).json()
    assert body["amount"] == 0.5 and body["due_at"] == "2026-03-02T15:00:00+07:00"


def test_exceptions_are_used(client):
    add_exception(date=dt.date(2026, 1, 2), kind="day_off", reason="Nghỉ Tết Dương lịch")
    body = _get(client, received_at="2025-12-31T10:00:00+07:00", amount=1, unit="working_days")
    assert body.json()["due_at"] == "2026-01-05T17:00:00+07:00"


def test_unit_working_hours(client, tree):
    update_unit(tree["commune_a"], working_hours=[["07:30", "11:30"], ["13:00", "16:30"]])
    body = _get(
        client,
        received_at="2026-03-02T11:00:00+07:00",
        amount=1,
        unit="working_hours",
        unit_id=tree["commune_a"].pk,
    ).json()
    assert body["due_at"] == "2026-03-02T13:30:00+07:00"
    assert body["unit_id"] == tree["commune_a"].pk


@pytest.mark.parametrize(
    ("params", "field", "message"),
    [
        ({"amount": "1", "unit": "working_days"}, "received_at", "Thiếu thời điểm tiếp nhận"),
        (
            {"received_at": "13/02/2026 09:00", "amount": "1", "unit": "working_days"},
            "received_at",
            "phải theo ISO 8601",
        ),
        (
            {"received_at": "1990-01-01T09:00:00+07:00", "unit": "same_day"},
            "received_at",
            "trong các năm 2000–2100",
        ),
        (
            {"received_at": "2026-03-02T09:00:00+07:00", "amount": "-1", "unit": "working_days"},
            "amount",
            "không được âm",
        ),
        (
            {"received_at": "2026-03-02T09:00:00+07:00", "amount": "ba", "unit": "working_days"},
            "amount",
            "phải là một số",
        ),
        (
            {"received_at": "2026-03-02T09:00:00+07:00", "amount": "5000", "unit": "working_days"},
            "amount",
            "tối đa là 1000",
        ),
        (
            {"received_at": "2026-03-02T09:00:00+07:00", "amount": "1", "unit": "weeks"},
            "unit",
            "phải là working_days",
        ),
        ({"received_at": "2026-03-02T09:00:00+07:00"}, "unit", "Cần mã thủ tục"),
        (
            {"received_at": "2026-03-02T09:00:00+07:00", "unit": "working_days"},
            "amount",
            "Thiếu thời hạn",
        ),
        (
            {"received_at": "2026-03-02T09:00:00+07:00", "amount": "1.5", "unit": "calendar_days"},
            "amount",
            "phải là số nguyên",
        ),
        (
            {
                "received_at": "2026-03-02T09:00:00+07:00",
                "procedure": "1.001193",
                "amount": "1",
                "unit": "working_days",
            },
            "procedure",
            "Chỉ dùng một cách",
        ),
        (
            {"received_at": "2026-03-02T09:00:00+07:00", "unit": "same_day", "unit_id": "999999"},
            "unit_id",
            "Không tìm thấy đơn vị",
        ),
    ],
)
def test_bad_input_is_400_in_the_shared_format(client, params, field, message):
    response = _get(client, **params)
    assert response.status_code == 400
    error = response.json()["error"]
    assert error["code"] == "invalid"
    assert error["message"].startswith("Dữ liệu không hợp lệ")
    assert message in error["fields"][field][0]


def test_schema_documents_the_parameters():
    schema = SchemaGenerator(patterns=api.urlpatterns).get_schema(request=None, public=True)
    operation = schema["paths"]["/calendar/due-date/"]["get"]
    names = {p["name"] for p in operation["parameters"]}
    assert names == {"received_at", "procedure", "amount", "unit", "unit_id"}
    unit = next(p for p in operation["parameters"] if p["name"] == "unit")
    assert sorted(unit["schema"]["enum"]) == sorted(TimeUnit.values)
