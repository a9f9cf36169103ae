"""The desk takes the fee in cash and issues the receipt: a cash order paid at once, numbered
like every receipt; the dossier page and the citizen's page say paid, with the receipt link."""

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse

from congso.catalog.models import Procedure
from congso.onestop import services as onestop
from congso.onestop.services import ApplicantData, Intake, ReceivedDocument
from congso.payments import services
from congso.payments.models import Payment


def _receive(desk, unit, **overrides):
    """A complete walk-in dossier of 2.000635 (8.000 đ), received by ``desk``."""
    version = Procedure.objects.get(code="2.000635").current_version()
    documents = [
        ReceivedDocument(required_document_id=d.pk, name=d.name, copy_kind=d.copy_kind)
        for d in version.documents.all()
        if d.mandatory and not d.is_declaration
    ]
    intake = Intake(
        procedure_code="2.000635",
        unit_id=unit.pk,
        applicant=ApplicantData(name="Nguyễn Thị Mai", id_number="040190001234"),
        documents=documents,
        **overrides,
    )
    return onestop.receive_at_desk(desk, intake)


@pytest.fixture
def desk(demo):
    return demo["people"]["motcua.nghilong"]


@pytest.fixture
def walk_in(desk, commune):
    return _receive(desk, commune)


def test_cash_is_recorded_paid_with_a_receipt_number(desk, walk_in):
    payment = services.record_cash(walk_in, actor=desk)
    assert payment.state == "paid" and payment.provider == "cash"
    assert payment.amount == walk_in.fee_amount > 0
    assert payment.receipt_number.endswith(f"/{payment.paid_at.year}")
    assert services.status_for(walk_in) == "paid"
    assert services.receipt_of(walk_in) == payment


def test_cash_twice_is_refused_and_changes_nothing(desk, walk_in):
    services.record_cash(walk_in, actor=desk)
    with pytest.raises(ValidationError, match="đã được thanh toán"):
        services.record_cash(walk_in, actor=desk)
    assert Payment.objects.count() == 1


def test_nothing_owed_nothing_collected(desk, commune):
    free = _receive(desk, commune, fee_exempt=True)  # the official's recorded decision
    assert free.fee_amount == 0
    with pytest.raises(ValidationError, match="không thu phí"):
        services.record_cash(free, actor=desk)


@pytest.mark.parametrize("who", ["congchuc.nghilong", "motcua.nghiloc", "congdan.an"])
def test_only_the_receiving_desk_collects(demo, walk_in, who):
    with pytest.raises(PermissionDenied):
        services.record_cash(walk_in, actor=demo["people"][who])
    assert not Payment.objects.exists()


def test_a_pending_online_payment_blocks_cash(desk, dossier, citizen):
    services.start(dossier, actor=citizen, client_ip="127.0.0.1", return_url="http://testserver/r/")
    with pytest.raises(ValidationError, match="đang thanh toán trực tuyến"):
        services.record_cash(dossier, actor=desk)


def test_the_desk_button_records_it_and_links_the_receipt(client, desk, walk_in):
    client.force_login(desk)
    page = client.get(reverse("onestop:dossier", args=[walk_in.code])).content.decode()
    assert 'data-testid="collect-cash"' in page and "Chưa thanh toán" in page
    response = client.post(reverse("payments:cash", args=[walk_in.code]), follow=True)
    page = response.content.decode()
    assert "Đã thu tiền mặt" in page and 'data-payment-status="paid"' in page
    payment = Payment.objects.get()
    assert reverse("payments:receipt", args=[payment.ref]) in page
    assert 'data-testid="collect-cash"' not in page
    receipt = client.get(reverse("payments:receipt", args=[payment.ref]))
    assert receipt.status_code == 200 and receipt["Content-Type"] == "application/pdf"


def test_the_citizens_page_shows_paid_with_the_receipt(client, desk, dossier, citizen):
    payment = services.record_cash(dossier, actor=desk)
    client.force_login(citizen)
    page = client.get(reverse("portal:dossier", args=[dossier.code])).content.decode()
    assert "Đã thanh toán" in page and reverse("payments:receipt", args=[payment.ref]) in page
    assert "Thanh toán phí, lệ phí" not in page


def test_a_free_dossier_never_shows_pay(client, citizen, file_dossier):
    from .conftest import FREE_PROCEDURE

    free = file_dossier(citizen, FREE_PROCEDURE)
    client.force_login(citizen)
    page = client.get(reverse("portal:dossier", args=[free.code])).content.decode()
    assert free.fee_amount == 0 and "Thanh toán" not in page
    assert "Không thu phí, lệ phí" in page
