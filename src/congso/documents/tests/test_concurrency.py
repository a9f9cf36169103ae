"""Concurrency on PostgreSQL: 50 signed documents issued from 50 threads at once get 50 distinct
consecutive numbers, and the commune receiving them 50 consecutive arrival numbers."""

import pytest
from django.db import transaction

from congso.accounts.models import User
from congso.documents import services
from congso.documents.lifecycle import OutgoingState
from congso.documents.models import Direction, Document, Recipient, VersionKind
from congso.documents.services.versions import _add_version
from congso.onestop.tests.test_concurrency import run_together
from congso.signing.services import sign_pdf
from congso.signing.tests import support

pytestmark = [pytest.mark.postgres, pytest.mark.django_db(transaction=True)]

COUNT = 50


def _signed_documents(tree, people, keys) -> list[int]:
    signed = sign_pdf(support.simple_pdf("Quyet dinh"), key=keys["seal"], appearance=False)
    ids = []
    for i in range(COUNT):
        with transaction.atomic():
            document = Document.objects.create(
                direction=Direction.OUTGOING,
                unit=tree["district"],
                state=OutgoingState.SIGNED,
                doc_type="QĐ",
                subject=f"Quyết định số {i}",
                signer=people["leader"],
            )
            _add_version(
                document, signed, name="ky.pdf", kind=VersionKind.PERSONAL_SIGNED, user=None
            )
            Recipient.objects.create(
                document=document, unit=tree["commune_a"], name=tree["commune_a"].name
            )
        ids.append(document.pk)
    return ids


def test_fifty_issues_at_once_get_fifty_consecutive_numbers(require_postgres, tree, people, keys):
    ids = _signed_documents(tree, people, keys)
    clerk_id = people["clerk"].pk

    def issue(i):
        document = Document.objects.get(pk=ids[i])
        return services.transition(document, "issue", actor=User.objects.get(pk=clerk_id)).number

    results = run_together(COUNT, issue)
    assert not [r for r in results if isinstance(r, Exception)], results
    assert sorted(results) == list(range(1, COUNT + 1))
    notations = set(Document.objects.filter(pk__in=ids).values_list("notation", flat=True))
    assert len(notations) == COUNT and "01/QĐ-UBND" in notations
    arrivals = Document.objects.filter(unit=tree["commune_a"]).values_list(
        "arrival_number", flat=True
    )
    assert sorted(arrivals) == list(range(1, COUNT + 1))
