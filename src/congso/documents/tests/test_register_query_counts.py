"""The register page and its JSON answer show one page of the year, in a number of queries that
does not grow with the documents: counted over N and 3N documents of each direction."""

import datetime as dt

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from congso.documents.lifecycle import IncomingState, OutgoingState
from congso.documents.models import Direction, Document, Recipient
from congso.inbox.services import header_count
from congso.notify.services import bell_count

pytestmark = pytest.mark.django_db


def _add_documents(tree, people, start: int, count: int) -> None:
    """``count`` issued outgoing documents (two recipients each) and ``count`` incoming ones of
    this year at the district, numbered from ``start`` — rows as the services leave them."""
    today = timezone.localdate()
    district = tree["district"]
    outgoing = Document.objects.bulk_create(
        Document(
            direction=Direction.OUTGOING,
            unit=district,
            state=OutgoingState.ISSUED,
            doc_type="CV",
            subject=f"Công văn số {n}",
            number=n,
            notation=f"{n:02d}/UBND-VP",
            issued_on=today,
            signer=people["leader"],
        )
        for n in range(start, start + count)
    )
    Recipient.objects.bulk_create(
        Recipient(document=d, unit=unit, name=unit.name)
        for d in outgoing
        for unit in (tree["commune_a"], tree["commune_b"])
    )
    Document.objects.bulk_create(
        Document(
            direction=Direction.INCOMING,
            unit=district,
            state=IncomingState.ASSIGNED,
            doc_type="CV",
            subject=f"Văn bản đến số {n}",
            arrival_number=n,
            received_at=timezone.now() - dt.timedelta(minutes=n),
            author="Sở Nội vụ",
            notation=f"{n}/SNV-VP",
            lead_unit=tree["department"],
            lead_user=people["specialist"],
        )
        for n in range(start, start + count)
    )


def _queries(client, user, url: str) -> tuple[int, int]:
    # the header's inbox and bell counts are cached a minute (forgotten when work arrives):
    # measure the page itself
    header_count(user)
    bell_count(user)
    with CaptureQueriesContext(connection) as captured:
        response = client.get(url)
    assert response.status_code == 200
    rows = response.context["rows"] if response.context else response.json()["rows"]
    return len(captured.captured_queries), len(rows)


URLS = [
    reverse("documents:registers") + "?direction=outgoing",
    reverse("documents:registers") + "?direction=incoming&page=2",
    "/api/v1/documents/registers/outgoing/",
    "/api/v1/documents/registers/incoming/?page=2",
]


def test_registers_cost_the_same_with_three_times_the_documents(client, people, tree):
    clerk = people["clerk"]
    client.force_login(clerk)
    _add_documents(tree, people, 1, 120)
    small = {url: _queries(client, clerk, url) for url in URLS}
    _add_documents(tree, people, 121, 240)
    large = {url: _queries(client, clerk, url) for url in URLS}
    assert {u: n for u, (n, _) in large.items()} == {u: n for u, (n, _) in small.items()}
    # one page each time, never the whole year
    assert all(0 < rows <= 100 for _, rows in large.values())
    # the page: 9 (12 before the menu asked the request's positions whether to show "draft"
    # and "register" instead of two queries; 10 before the organs were worked out from the
    # units within reach and read once), the API 7 (the units within reach read apart from the
    # organs: two plain queries instead of one nested query compiled on every request)
    assert all(large[url][0] <= (9 if url.startswith("/documents/") else 7) for url in URLS), large
    page = client.get(URLS[0]).context["page"]
    assert page.paginator.count == 360 and page.has_next()
