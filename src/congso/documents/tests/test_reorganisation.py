"""Reorganisation of units (two tiers since 1 July 2025; Resolution 190/2025/QH15 and the
Standing Committee's resolutions on merging communes): a merged unit's documents still being
worked on continue at its successor — through the documents app's own receivers of org's
signals — while issued ones, numbers and registers keep the unit that issued them (Decree
30/2020/NĐ-CP); a retirement dated before the unit's later documents is refused."""

import datetime as dt

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from congso.documents import services
from congso.documents.models import Document
from congso.org.services import retire_unit


@pytest.fixture
def commune_draft(people, tree, pdf_upload):
    """A draft of commune A by its own specialist."""
    commune = tree["commune_a"]
    draft = services.Draft(
        unit=commune,
        doc_type="TB",
        subject="Thông báo lịch tiếp công dân",
        drafting_unit=commune,
        signer_position="Chủ tịch",
        recipient_units=[tree["district"]],
    )
    return lambda: services.create_outgoing(
        draft, actor=people["specialist_a"], upload=pdf_upload()
    )


def test_open_documents_move_to_the_successor_issued_ones_stay(commune_draft, draft, issued, tree):
    old, new = tree["commune_a"], tree["commune_b"]
    open_draft = commune_draft()
    addressed = draft()  # the district's draft addressed to the old commune
    done = issued(unit=tree["district"], recipient_units=[old])
    on = timezone.localdate() + dt.timedelta(days=1)
    retire_unit(old, on=on, successor=new)
    open_draft.refresh_from_db()
    assert (open_draft.unit, open_draft.drafting_unit) == (new, new)
    assert list(addressed.recipients.values_list("unit", flat=True)) == [new.pk]
    # what was issued stays as issued: the recipient it was sent to, its number
    assert list(done.recipients.values_list("unit", flat=True)) == [old.pk]
    assert Document.objects.get(pk=done.pk).notation == done.notation


def test_a_retirement_before_later_documents_is_refused(commune_draft, tree):
    old = tree["commune_a"]
    commune_draft()
    yesterday = timezone.localdate() - dt.timedelta(days=1)
    with pytest.raises(ValidationError, match="văn bản sau ngày"):
        retire_unit(old, on=yesterday, successor=tree["commune_b"])
    old.refresh_from_db()
    assert not old.is_retired
