"""The due-date API with ``procedure=<code>``: the desk processing time comes from the catalogue."""

import datetime as dt

import pytest

from congso.catalog.services import create_procedure, create_sector

pytestmark = pytest.mark.django_db

URL = "/api/v1/calendar/due-date/"


@pytest.fixture
def procedure():
    """A tiny procedure: 3 working days at the desk."""
    sector = create_sector(code="THU", name="Lĩnh vực thử")
    return create_procedure(
        code="9.999001",
        name="Thủ tục thử",
        sector=sector,
        level="commune",
        online_mode="information",
        version={
            "valid_from": dt.date(2020, 1, 1),
            "deciding_agency": "UBND xã",
            "result": "Giấy xác nhận",
            "channels": {
                "desk": {"time_amount": 3, "time_unit": "working_days", "fee": {"kind": "free"}},
            },
        },
    )


def test_procedure_desk_time_is_used(client, procedure):
    response = client.get(
        URL, {"received_at": "2026-02-13T09:00:00+07:00", "procedure": "9.999001"}
    )
    assert response.status_code == 200, response.json()
    assert response.json() == {
        "received_at": "2026-02-13T09:00:00+07:00",
        "procedure": "9.999001",
        "amount": 3,
        "unit": "working_days",
        "due_at": "2026-02-25T17:00:00+07:00",
    }


def test_unknown_procedure_is_400(client, procedure):
    response = client.get(
        URL, {"received_at": "2026-02-13T09:00:00+07:00", "procedure": "9.999999"}
    )
    assert response.status_code == 400
    assert (
        "Không tìm thấy thủ tục có mã 9.999999"
        in response.json()["error"]["fields"]["procedure"][0]
    )
