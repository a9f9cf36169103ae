"""Reconciliation of a unit's orders for a period, on screen, in Excel and in the API; and the
dashboard figures of the payments source, on a small hand-built data set."""

import datetime as dt
import io

import openpyxl
import pytest
from django.urls import reverse
from django.utils import timezone

from congso.accounts.models import Role
from congso.core import figures
from congso.onestop.reports import Period
from congso.payments import reports, services

from .conftest import FREE_PROCEDURE


@pytest.fixture
def activity(client, demo, citizen, file_dossier, start_payment, gateway_says):
    """Three fee dossiers: A paid (then 3.000 đ refunded), B failed then paid, C cancelled;
    a fee-exempt dossier D; and one notification rejected for a wrong amount on C."""
    a, b, c = (file_dossier(citizen) for _ in range(3))
    file_dossier(citizen, code=FREE_PROCEDURE)
    ipn = reverse("payments:ipn")
    pa = start_payment(a, citizen)
    client.get(ipn, gateway_says(pa))
    pb1 = start_payment(b, citizen)
    client.get(ipn, gateway_says(pb1, "51"))
    pb2 = start_payment(b, citizen)
    client.get(ipn, gateway_says(pb2))
    pc = start_payment(c, citizen)
    client.get(ipn, gateway_says(pc, vnp_Amount="100"))
    client.get(ipn, gateway_says(pc, "24"))
    pa.refresh_from_db()
    services.refund(pa, actor=demo["people"]["motcua.nghilong"], amount=3000, reason="Thu thừa")
    return {"a": pa, "b1": pb1, "b2": pb2, "c": pc}


def today_period():
    today = timezone.localdate()
    return Period(today, today)


def test_reconciliation_totals(demo, activity):
    report = reports.reconcile(demo["units"]["Xã Nghi Long"], today_period())
    assert report.orders == 4
    assert report.paid == 2
    assert report.amount_paid == 16000
    assert report.amount_refunded == 3000
    flagged = {line.payment.ref: line.problems for line in report.mismatches}
    assert list(flagged) == [activity["c"].ref]
    assert "1 thông báo của cổng bị từ chối" in flagged[activity["c"].ref]


def test_district_sees_its_communes_and_other_periods_are_empty(demo, activity):
    district = reports.reconcile(demo["units"]["district"], today_period())
    assert district.orders == 4
    yesterday = timezone.localdate() - dt.timedelta(days=1)
    assert (
        reports.reconcile(demo["units"]["Xã Nghi Long"], Period(yesterday, yesterday)).orders == 0
    )
    assert reports.reconcile(demo["units"]["Xã Nghi Mỹ"], today_period()).orders == 0


def test_double_payment_is_a_mismatch(demo, activity, client, gateway_says):
    # the first (failed) order of B is replaced; B paid twice would be flagged
    from congso.payments.models import Payment

    Payment.objects.filter(pk=activity["b1"].pk).update(state="paid", transaction_no="1")
    report = reports.reconcile(demo["units"]["Xã Nghi Long"], today_period())
    flagged = {line.payment.ref: line.problems for line in report.mismatches}
    assert "Hồ sơ được thanh toán 2 lần" in flagged[activity["b2"].ref]


def params(demo, unit="Xã Nghi Long", **extra):
    today = timezone.localdate().strftime("%d/%m/%Y")
    return {"unit": demo["units"][unit].pk, "start": today, "end": today} | extra


def test_reconciliation_page_and_excel(client, demo, activity):
    client.force_login(demo["people"]["motcua.nghilong"])
    page = client.get(reverse("payments:reconcile"), params(demo)).content.decode()
    assert '<dd data-key="orders">4</dd>' in page
    assert '<dd data-key="amount_paid">16.000 đ</dd>' in page
    assert activity["b2"].ref in page
    response = client.get(reverse("payments:reconcile"), params(demo, format="xlsx"))
    assert response["Content-Type"].startswith("application/vnd.openxmlformats")
    sheet = openpyxl.load_workbook(io.BytesIO(response.content)).active
    refs = [row[0] for row in sheet.iter_rows(min_row=4, values_only=True)]
    assert {activity[k].ref for k in ("a", "b1", "b2", "c")} <= set(refs)
    totals = {row[0]: row[1] for row in sheet.iter_rows(values_only=True) if row and row[0]}
    assert totals["Số tiền đã thu (đ)"] == 16000 and totals["Số tiền đã hoàn (đ)"] == 3000


def test_reconciliation_is_limited_to_the_officials_scope(client, demo, activity, citizen):
    client.force_login(demo["people"]["motcua.nghilong"])
    response = client.get(reverse("payments:reconcile"), params(demo, unit="Xã Nghi Mỹ"))
    assert response.status_code == 400
    client.force_login(citizen)
    assert client.get(reverse("payments:reconcile")).status_code == 403


def test_bad_dates_are_a_vietnamese_message(client, demo, activity):
    client.force_login(demo["people"]["motcua.nghilong"])
    response = client.get(reverse("payments:reconcile"), params(demo, start="32/13/2026"))
    assert response.status_code == 400 and "dd/mm/yyyy" in response.content.decode()


def test_figures_for_the_dashboard(demo, activity):
    today = timezone.localdate()
    commune = demo["units"]["Xã Nghi Long"].pk
    got = figures.figures("payments", [commune], today, today)
    # 766 indicator 3.6 counts fee-bearing dossiers *received* in the period: none here yet
    assert got == {
        "online_fee_dossiers": 3,
        "paid_online": 2,
        "amount_paid": 16000,
        "refunds": 1,
        "fee_dossiers": 0,
        "fee_paid_online": 0,
    }
    other = figures.figures("payments", [demo["units"]["Xã Nghi Mỹ"].pk], today, today)
    assert other == dict.fromkeys(got, 0)


def test_api_reconciliation(client, demo, activity, official_at):
    client.force_login(demo["people"]["motcua.nghilong"])
    url = reverse("api-payments-reconciliation")
    data = client.get(url, params(demo)).json()
    assert (data["orders"], data["paid"], data["amount_paid"], data["mismatches"]) == (
        4,
        2,
        16000,
        1,
    )
    assert len(data["lines"]) == 4
    refused = client.get(url, params(demo, unit="Xã Nghi Mỹ"))
    assert refused.status_code == 400 and "unit" in refused.json()["error"]["fields"]
    assert client.get(url, {"unit": "x"}).status_code == 400
    client.force_login(official_at(demo["units"]["Xã Nghi Mỹ"], Role.LEADER))
    assert client.get(url, params(demo)).status_code == 400
