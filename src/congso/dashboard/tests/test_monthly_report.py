"""The monthly report: last month's overview, PDF and Excel attached, sent over real SMTP to
every leader of a locality."""

import datetime as dt

from congso.accounts.models import Position, Role
from congso.accounts.tests.factories import OfficialFactory, PositionFactory
from congso.dashboard import report, store
from congso.notify.tests.conftest import smtp_server, smtp_settings  # noqa: F401

from .conftest import at, make


def test_leaders_get_last_months_report(smtp_settings, long, demo):  # noqa: F811
    Position.objects.filter(role=Role.LEADER).delete()
    leader = OfficialFactory(email="chu.tich@nghilong.vn", first_name="Lan")
    PositionFactory(user=leader, unit=long, role=Role.LEADER)
    PositionFactory(user=OfficialFactory(email="cv@nghilong.vn"), unit=long, role=Role.SPECIALIST)
    make(
        long,
        received=at(2026, 3, 2),
        due=at(2026, 3, 6),
        finished=at(2026, 3, 5),
        timeliness="early",
        state="processed",
    )
    store.refresh(dt.date(2026, 3, 1), dt.date(2026, 3, 31))

    assert report.send_monthly(dt.date(2026, 4, 1)) == 1

    (message,) = smtp_settings.messages
    assert message["To"] == "chu.tich@nghilong.vn"
    assert "03/2026" in message["Subject"]
    body = message.get_body(("plain",)).get_content()
    assert "01/03/2026" in body and "100,0%" in body
    kinds = sorted(part.get_content_type() for part in message.iter_attachments())
    assert kinds == [
        "application/pdf",
        "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    ]
