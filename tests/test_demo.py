"""The demo district as ``make run`` loads it: every app's year of activity loads, a second load
adds nothing, and the dashboard has a value for each headline figure (none "not available")."""

import pytest
from django.core.cache import cache
from django.utils import timezone

from congso.dashboard import board
from congso.demo.loaders import load_all
from congso.documents.models import Document
from congso.feedback.models import Complaint, Rating
from congso.ict.models import Equipment
from congso.meetings.models import Meeting
from congso.onestop.models import Dossier
from congso.payments.models import Payment
from congso.signing.models import Certificate
from congso.skills.models import Session

pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.slow]

MODELS = [
    Dossier,
    Payment,
    Rating,
    Complaint,
    Document,
    Certificate,
    Meeting,
    Session,
    Equipment,
]


def _counts() -> dict[str, int]:
    return {model.__name__: model.objects.count() for model in MODELS}


def test_full_demo_loads_once_and_fills_the_dashboard(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    settings.VAR_DIR = tmp_path / "var"
    loaded = load_all(full=True)
    first = _counts()
    assert all(first.values()), first
    load_all(full=True)
    assert _counts() == first
    cache.clear()
    district = loaded["units"]["district"]
    overview = board.build(district, board.Period.of("year", timezone.localdate()), details=False)
    missing = [value.key for value in overview.headline if not value.available]
    assert not missing and not overview.missing_sources
