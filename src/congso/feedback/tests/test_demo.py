"""The demo ratings and complaints: built on the one-stop demo history, fast and idempotent."""

import datetime as dt
import time

from django.utils import timezone

from congso.core import figures as dashboard
from congso.demo import feedback as demo
from congso.demo import history
from congso.demo.loaders import load_all
from congso.feedback.lifecycle import ComplaintState
from congso.feedback.models import Complaint, Overall, Rating


def test_demo_ratings_and_complaints(db):
    loaded = load_all()
    people = loaded["people"]
    history.generate(
        400, days=120, seed=3, applicants=[people["congdan.an"], people["congdan.binh"]]
    )
    started = time.perf_counter()
    demo.load(loaded)
    assert time.perf_counter() - started < 5
    ratings = Rating.objects.all()
    assert ratings.count() > 0 and ratings.filter(overall=Overall.UNSATISFIED).exists()
    assert all(r.dossier.state == "returned" for r in ratings.select_related("dossier")[:50])
    complaints = Complaint.objects.all()
    assert complaints.count() == len(demo.COMPLAINTS)
    assert any(c.on_time is False for c in complaints)
    assert complaints.filter(state=ComplaintState.RECEIVED).exists()
    assert len(set(complaints.values_list("code", flat=True))) == complaints.count()
    demo.load(loaded)  # idempotent
    assert Rating.objects.count() == ratings.count()
    today = timezone.localdate()
    figures = dashboard.figures(
        "feedback",
        [loaded["units"]["district"].pk, *[u.pk for u in loaded["units"].values()]],
        today - dt.timedelta(days=365),
        today,
    )
    assert figures["ratings"] == Rating.objects.count()
