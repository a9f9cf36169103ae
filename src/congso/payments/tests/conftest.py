import pytest

from congso.catalog.models import Procedure
from congso.onestop import services as onestop
from congso.onestop.services import ApplicantData, Intake, ReceivedDocument
from congso.onestop.tests.conftest import scanned

FEE_PROCEDURE = "2.000635"
#: Free of charge (death registration filed on time).
FREE_PROCEDURE = "1.000656"


@pytest.fixture
def commune(demo):
    return demo["units"]["Xã Nghi Long"]


@pytest.fixture
def file_dossier(commune):
    """``file_dossier(citizen, code=FEE_PROCEDURE)``: an online dossier filed by ``citizen``."""

    def make(citizen, code: str = FEE_PROCEDURE, unit=None):
        procedure = Procedure.objects.get(code=code)
        version = procedure.current_version()
        documents = [
            ReceivedDocument(
                required_document_id=d.pk,
                name=d.name,
                copy_kind=d.copy_kind,
                count=d.count,
                file=scanned(f"giay-to-{d.pk}"),
            )
            for d in version.documents.all()
            if d.mandatory and not d.is_declaration
        ]
        intake = Intake(
            procedure_code=code,
            unit_id=(unit or commune).pk,
            applicant=ApplicantData(name="Nguyễn Thị Mai", id_number="040190001234"),
            documents=documents,
        )
        return onestop.file_online(citizen, intake)

    return make


@pytest.fixture
def dossier(citizen, file_dossier):
    return file_dossier(citizen)


@pytest.fixture(autouse=True)
def sandbox_gateway(settings):
    """The local gateway's merchant API (querydr, refund) for every payments test: the services
    call it whenever an order's outcome or a refund needs the gateway."""
    from sandbox.payment import start_in_thread

    running = start_in_thread(ipn_url="http://127.0.0.1:9/unused/")
    settings.CONGSO_PAYMENT_API_URL = running.base_url + "/merchant_webapi/api/transaction"
    yield running
    running.stop()


@pytest.fixture
def gateway_says(settings, sandbox_gateway):
    """``gateway_says(payment, code="00", **overrides)``: the query a gateway sends to the IPN
    about ``payment``, signed by the sandbox gateway's own implementation of the protocol. The
    running sandbox keeps the first outcome (as the real gateway would, for querydr/refund)."""
    from sandbox.payment import checksum

    gateway = sandbox_gateway.gateway

    def make(payment, code: str = "00", *, secret: str | None = None, **overrides) -> dict:
        order = {
            "vnp_Amount": str(payment.amount * 100),
            "vnp_OrderInfo": "Thanh toan le phi",
            "vnp_TmnCode": settings.CONGSO_PAYMENT_TMN_CODE,
            "vnp_TxnRef": payment.ref,
        }
        result = gateway.result(order, code, "NCB")
        if (gateway.transactions.get(payment.ref) or {}).get("result") is None:
            gateway.record(order, result)
        params = result | overrides
        params["vnp_SecureHash"] = checksum(params, secret or settings.CONGSO_PAYMENT_HASH_SECRET)
        return params

    return make


@pytest.fixture
def start_payment():
    """``start_payment(dossier, user)`` → the new order."""
    from congso.payments import services

    def make(dossier, user):
        services.start(dossier, actor=user, client_ip="127.0.0.1", return_url="http://t/return/")
        return services.orders_of(dossier)[0]

    return make
