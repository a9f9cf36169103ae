"""A queue as its tab opens it (``queues.PreparedQueue``: compiled once for every official, the
units as values) holds the rows and the capped count of ``queues.shown(queues.queue(...))`` — for
every demo person, an official who filed a dossier of their own, and the superuser, in every
queue, on every page of a generated history — and reads a page in one query."""

import datetime as dt

from django.db import connection
from django.test.utils import CaptureQueriesContext

from congso.accounts.models import Role
from congso.accounts.tests.factories import PositionFactory
from congso.demo import history
from congso.onestop import queues
from congso.onestop.models import Dossier

#: When the queues are read: the generated histories end a day before.
NOW = dt.datetime(2026, 11, 11, 2, 0, tzinfo=dt.UTC)


def _people(demo) -> list:
    people = list(demo["people"].values())
    applicant = PositionFactory(unit=demo["units"]["Xã Nghi Thạch"], role=Role.DESK_OFFICER).user
    Dossier.objects.filter(pk=Dossier.objects.order_by("pk").first().pk).update(applicant=applicant)
    return [*people, applicant]


def _fresh(person):
    """The person as a new request sees them (nothing kept on the instance)."""
    return type(person).objects.get(pk=person.pk)


def test_every_queue_holds_the_rows_of_its_queryset(demo):
    history.generate(60, days=20, seed=11, end=NOW - dt.timedelta(days=1))
    seen = 0
    for person in _people(demo):
        for key in queues.BY_KEY:
            expected = list(queues.shown(queues.queue(_fresh(person), key, now=NOW)))
            prepared = queues.PreparedQueue(_fresh(person), key, NOW, per_page=7)
            assert prepared.capped_count(1000) == len(expected), (person, key)
            assert prepared.capped_count(2) == min(len(expected), 3)
            pages = [prepared[start : start + 7] for start in range(0, len(expected) + 7, 7)]
            assert [d.pk for page in pages for d in page] == [d.pk for d in expected]
            assert [d.current_unit__name for page in pages for d in page] == [
                d.current_unit__name for d in expected
            ]
            seen += len(expected)
    assert seen


def test_a_page_is_one_query_and_no_more_for_its_cells(demo):
    history.generate(30, days=10, seed=4, end=NOW - dt.timedelta(days=1))
    leader = _fresh(demo["people"]["lanhdao.nghiloc"])
    prepared = queues.PreparedQueue(leader, "overdue", NOW, per_page=25)
    with CaptureQueriesContext(connection) as captured:
        rows = prepared[0:25]
        cells = [(d.code, d.procedure__name, d.current_unit__name, d.due_at) for d in rows]
    assert len(captured.captured_queries) == 1
    assert cells == [
        (d.code, d.procedure.name, d.current_unit.name, d.due_at)
        for d in queues.queue(leader, "overdue", now=NOW)[:25]
    ]
