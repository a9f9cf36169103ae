"""The dossier list as its callers most often ask for it (``listing.PreparedList``: compiled once
for every caller, the units as values) holds the rows and the capped count of the queryset the
filtered list starts from — for every demo person, a citizen, an official who filed a dossier of
their own and the superuser, page by page and cursor after cursor — and the API answers the same
with or without it."""

import datetime as dt

from rest_framework.test import APIClient

from congso.accounts.models import Role, User
from congso.accounts.tests.factories import PositionFactory
from congso.demo import history
from congso.onestop import services
from congso.onestop.listing import PreparedList, listed
from congso.onestop.models import Dossier

END = dt.datetime(2026, 11, 10, 2, 0, tzinfo=dt.UTC)


def _people(demo, citizen) -> list[User]:
    applicant = PositionFactory(unit=demo["units"]["Xã Nghi Thạch"], role=Role.DESK_OFFICER).user
    first, second = Dossier.objects.order_by("pk")[:2]
    Dossier.objects.filter(pk=first.pk).update(applicant=applicant)
    Dossier.objects.filter(pk=second.pk).update(applicant=citizen)
    superuser = User.objects.create_superuser("sieu.quantri", password="x")
    return [*demo["people"].values(), applicant, citizen, superuser]


def _fresh(person) -> User:
    return User.objects.get(pk=person.pk)


def test_the_prepared_list_holds_the_querysets_rows(demo, citizen):
    history.generate(60, days=20, seed=12, end=END)
    compared = 0
    for person in _people(demo, citizen):
        expected = list(
            listed(services.visible_dossiers(_fresh(person))).order_by("-filed_at", "-id")
        )
        prepared = PreparedList(_fresh(person))
        assert prepared.capped_count(1000) == len(expected), person
        assert prepared.capped_count(3) == min(len(expected), 4), person
        by_offset = [
            row
            for start in range(0, len(expected) + 7, 7)
            for row in prepared.keyset_page(None, start, start + 7)
        ]
        assert [d.pk for d in by_offset] == [d.pk for d in expected], person
        after, by_cursor = None, []
        while page := prepared.keyset_page(after, 0, 7):
            by_cursor += page
            after = (page[-1].filed_at, page[-1].pk)
        assert [d.pk for d in by_cursor] == [d.pk for d in expected], person
        compared += len(expected)
    assert compared > 100


def test_the_api_answers_alike_with_a_filter_that_keeps_every_row(demo):
    history.generate(30, days=10, seed=13, end=END)
    client = APIClient()
    client.force_authenticate(demo["people"]["lanhdao.nghiloc"])
    plain = client.get("/api/v1/dossiers/").json()
    built = client.get("/api/v1/dossiers/", {"page_size": 20}).json()  # not prepared
    built["next"] = built["next"].replace("&page_size=20", "")
    assert plain["results"] and plain == built
    following = client.get(plain["next"]).json()
    assert following["results"] == client.get(plain["next"] + "&page_size=20").json()["results"]
    assert {r["code"] for r in following["results"]}.isdisjoint(r["code"] for r in plain["results"])
