"""The year's table of holidays is data the administrator confirms or corrects each year: the
package's public holidays (Labour Code 2019 art. 112; Culture Day 24/11 chosen by Politburo
Resolution 80-NQ/TW, to be added to art. 112 by the Labour Code amendment Government Resolution
30/NQ-CP asks for — hence checked by a person) and the Prime Minister's Tết and National Day
decisions, entered as extra days off or swapped working days."""

import datetime as dt
import tomllib
from pathlib import Path

import holidays
import pytest
from django.urls import reverse

from congso.accounts.models import Role
from congso.core.models import AuditRecord
from congso.worktime import services
from congso.worktime.deadlines import public_holidays
from congso.worktime.models import YearConfirmation

pytestmark = pytest.mark.django_db

CONFIRM = reverse("worktime:confirm_year", args=[2026])


def test_the_package_version_is_pinned_to_the_one_installed():
    project = tomllib.loads((Path(__file__).parents[4] / "pyproject.toml").read_text())
    pins = [d for d in project["project"]["dependencies"] if d.startswith("holidays")]
    assert pins == [f"holidays=={holidays.__version__}"]


def test_culture_day_is_in_the_2026_table():
    assert dt.date(2026, 11, 24) in public_holidays(2026)


def test_the_page_shows_the_table_unconfirmed_then_confirmed(admin_client):
    page = admin_client.get(reverse("worktime:manage") + "?year=2026").content.decode()
    assert "chưa được xác nhận" in page and holidays.__version__ in page
    assert "24/11/2026" in page
    response = admin_client.post(CONFIRM, {"note": "Đối chiếu thông báo nghỉ Tết 2026"})
    assert response.status_code == 302
    confirmation = YearConfirmation.objects.get(year=2026)
    assert confirmation.confirmed_by == admin_client.user
    assert confirmation.package_version == holidays.__version__
    assert AuditRecord.objects.filter(action="worktime.year.confirm").exists()
    page = admin_client.get(reverse("worktime:manage") + "?year=2026").content.decode()
    assert "Đã xác nhận bởi" in page


def test_a_correction_withdraws_the_confirmation(admin_client):
    services.confirm_year(2026, actor=admin_client.user)
    services.add_exception(
        date=dt.date(2026, 1, 2), kind="day_off", reason="Nghỉ bù Tết Dương lịch"
    )
    assert not YearConfirmation.objects.filter(year=2026).exists()
    assert AuditRecord.objects.filter(action="worktime.year.unconfirm").exists()


@pytest.mark.parametrize("role", [Role.SPECIALIST, Role.LEADER])
def test_only_administrators_confirm(client, tree, official_at, role):
    client.force_login(official_at(tree["district"], role))
    assert client.post(CONFIRM).status_code == 403
    assert not YearConfirmation.objects.exists()
    client.logout()
    assert client.post(CONFIRM).status_code == 302


def test_a_year_out_of_range_is_refused(admin_client):
    response = admin_client.post(reverse("worktime:confirm_year", args=[1999]), follow=True)
    assert "Chỉ nhận các năm" in response.content.decode()
    assert not YearConfirmation.objects.exists()
