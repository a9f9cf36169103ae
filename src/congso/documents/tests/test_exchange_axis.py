"""A district decision goes over the (sandbox) national exchange axis to a commune on another
instance and to an agency outside any instance, and the acknowledgement, "received",
"assigned" and "done" statuses come back through the axis — nobody carries a file. The outbox
retries with back-off and is idempotent on the message ID; the inbox keeps each message once."""

import datetime as dt

import pytest
from django.utils import timezone
from sandbox.exchange_axis import DEFAULT_TOKEN, start_in_thread

from congso.accounts.models import Role
from congso.core import outbox
from congso.core.models import AuditRecord
from congso.documents import services
from congso.documents.exchange import services as exchange
from congso.documents.lifecycle import IncomingState
from congso.documents.models import ExchangeMessage

pytestmark = pytest.mark.django_db
AGENCY = ("000.00.00.G22", "Bộ Nội vụ")


@pytest.fixture
def axis(settings):
    running = start_in_thread(agents=dict([AGENCY]))
    settings.CONGSO_EXCHANGE_TRANSPORT = "axis"
    settings.CONGSO_EXCHANGE_URL = running.base_url
    settings.CONGSO_EXCHANGE_TOKEN = DEFAULT_TOKEN
    yield running
    running.stop()


@pytest.fixture
def decision(issued, tree):
    """Issued by the district to commune B (reached over the axis, as on another instance)
    and to a ministry outside any instance."""
    commune = tree["commune_b"]
    return issued(
        recipient_units=[],
        external=[
            services.ExternalRecipient(commune.name, commune.agency_id),
            services.ExternalRecipient(AGENCY[1], AGENCY[0]),
        ],
    )


def statuses(document, agency_id):
    recipient = document.recipients.get(agency_id=agency_id)
    return list(recipient.statuses.values_list("code", flat=True))


def later(minutes=0):
    return timezone.now() + dt.timedelta(minutes=minutes)


def test_a_decision_travels_and_its_statuses_come_back(axis, decision, tree, people, official_at):
    commune = tree["commune_b"]
    queued = ExchangeMessage.objects.filter(direction="out", kind="edoc")
    assert sorted(queued.values_list("to_organ", flat=True)) == sorted(
        [commune.agency_id, AGENCY[0]]
    )
    assert exchange.drain() == {"sent": 2, "retry": 0, "failed": 0}
    # the ministry's clerk (simulated by the axis) answers 01, 03, 04, 06
    exchange.pull()
    assert statuses(decision, AGENCY[0]) == ["01", "03", "04", "06"]
    assert decision.recipients.get(agency_id=AGENCY[0]).status == "06"
    # the commune's instance received the package and answered "arrived"
    inbox = list(exchange.inbox(commune))
    assert len(inbox) == 1 and inbox[0].edxml_id == services.document_id(decision)
    exchange.drain()
    exchange.pull()
    assert statuses(decision, commune.agency_id) == ["01"]
    # the commune's clerk registers it (no file carried), its leader assigns, it is handled
    incoming = exchange.register_received(inbox[0], actor=people["clerk_b"])
    assert incoming.state == IncomingState.REGISTERED
    assert incoming.versions.get().read() == decision.current_version().read()
    leader = official_at(commune, Role.LEADER, full_name="Lý Văn Xã")
    specialist = official_at(commune, Role.SPECIALIST, full_name="Mai Thị Hộ")
    incoming = services.transition(incoming, "present", actor=people["clerk_b"])
    incoming = services.transition(
        incoming, "assign", actor=leader, lead_unit=commune, lead_user=specialist, due_days=3
    )
    incoming = services.transition(incoming, "finish", actor=specialist)
    exchange.drain()
    exchange.pull()
    assert statuses(decision, commune.agency_id) == ["01", "03", "04", "06"]
    received = ExchangeMessage.objects.filter(direction="in", kind="status", state="processed")
    assert received.count() == 8
    assert AuditRecord.objects.filter(action="documents.exchange_sent").count() == 2 + 1 + 3


def test_the_outbox_retries_with_back_off_then_gives_up(axis, decision, settings):
    url = settings.CONGSO_EXCHANGE_URL
    settings.CONGSO_EXCHANGE_URL = "http://127.0.0.1:9"  # the axis is unreachable
    settings.CONGSO_EXCHANGE_MAX_ATTEMPTS = 3
    assert exchange.drain() == {"sent": 0, "retry": 2, "failed": 0}
    message = ExchangeMessage.objects.filter(direction="out").first()
    assert message.attempts == 1 and message.last_error
    assert message.next_attempt_at > timezone.now() + dt.timedelta(seconds=50)
    assert exchange.drain() == {"sent": 0, "retry": 0, "failed": 0}  # not due yet
    assert exchange.drain(now=later(2)) == {"sent": 0, "retry": 2, "failed": 0}
    assert outbox.backoff(2) == dt.timedelta(minutes=2)
    settings.CONGSO_EXCHANGE_URL = url
    assert exchange.drain(now=later(5)) == {"sent": 2, "retry": 0, "failed": 0}
    settings.CONGSO_EXCHANGE_URL = "http://127.0.0.1:9"
    ExchangeMessage.objects.update(state="pending", attempts=2, next_attempt_at=None)
    assert exchange.drain() == {"sent": 0, "retry": 0, "failed": 2}


def test_sending_twice_is_one_message_and_receiving_twice_is_kept_once(axis, decision, tree):
    exchange.drain()
    deliveries = len(axis.axis.deliveries)
    # the axis took the message but the answer was lost: the outbox sends it again
    ExchangeMessage.objects.filter(direction="out").update(state="pending")
    exchange.drain()
    assert len(axis.axis.deliveries) == deliveries
    exchange.pull()
    # the acknowledgement was lost: the axis offers everything again
    for delivery in axis.axis.deliveries:
        delivery.done = False
    counts = exchange.pull()
    assert counts.get("duplicate", 0) >= 5
    assert statuses(decision, AGENCY[0]) == ["01", "03", "04", "06"]
    assert exchange.inbox(tree["commune_b"]).count() == 1


def test_without_a_transport_nothing_is_queued(decision):
    assert not ExchangeMessage.objects.exists()
    assert decision.recipients.get(agency_id=AGENCY[0]).package  # kept for the clerk
