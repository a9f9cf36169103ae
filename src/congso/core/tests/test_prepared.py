"""``core.prepared.PreparedQuery``: a query built and compiled once answers, for each value, the
rows its queryset would (models with their joined objects, values, value lists, counts), for keys,
texts, days, instants and lists of keys of any length; a marker that reaches the SQL changed is\nrefused."""

import datetime as dt

import pytest
from django.contrib.auth import get_user_model
from django.db import connection
from django.db.models import F
from django.test.utils import CaptureQueriesContext

from congso.core.prepared import PreparedQuery
from congso.org.models import Unit


def _units(parent_id):
    return Unit.objects.filter(parent_id=parent_id).select_related("parent").order_by("path")


def test_models_with_their_joins_for_each_value(tree):
    prepared = PreparedQuery(_units)
    for parent in (tree["province"], tree["district"], tree["commune_a"]):
        rows = prepared.rows(parent.pk)
        assert rows == list(_units(parent.pk))
        assert all(row.parent.name == parent.name for row in rows)  # joined, not read again
    assert prepared.rows(tree["district"].pk) and not prepared.rows(0)


def test_values_and_value_lists_with_text_markers(tree):
    by_name = PreparedQuery(
        lambda name, kind: Unit.objects.filter(name=name, kind=kind).values("id", "parent__name"),
        kinds=(str, str),
    )
    district = tree["district"]
    assert by_name.rows(district.name, district.kind) == [
        {"id": district.pk, "parent__name": tree["province"].name}
    ]
    assert by_name.rows(district.name, "commune") == []
    paths = PreparedQuery(lambda pk: Unit.objects.filter(pk=pk).values_list("path", flat=True))
    assert paths.rows(tree["commune_a"].pk) == [tree["commune_a"].path]


def test_each_use_runs_one_query_the_first_included(tree):
    prepared = PreparedQuery(_units)
    for parent in (tree["district"], tree["district"], tree["province"]):
        with CaptureQueriesContext(connection) as captured:
            prepared.rows(parent.pk)
        assert len(captured.captured_queries) == 1
        assert str(parent.pk) in captured.captured_queries[0]["sql"]


def test_a_marker_that_reaches_the_sql_changed_is_refused(tree):
    # a pattern: ``startswith`` sends the marker escaped and followed by "%"
    prepared = PreparedQuery(lambda path: Unit.objects.filter(path__startswith=path), kinds=(str,))
    with pytest.raises(ValueError, match="marker"):
        prepared.rows(tree["district"].path)
    # a day or a key moved in Python before the query: the value would never be put in its place
    later = PreparedQuery(
        lambda on: Unit.objects.filter(valid_until__lt=on + dt.timedelta(days=1)), kinds=(dt.date,)
    )
    with pytest.raises(ValueError, match="marker"):
        later.rows(dt.date(2026, 7, 1))
    after = PreparedQuery(lambda pk: Unit.objects.filter(pk=pk + 1))
    with pytest.raises(ValueError, match="marker"):
        after.rows(1)


def test_a_marker_the_sql_does_not_carry_is_a_value_the_rows_do_not_depend_on(tree):
    unused = PreparedQuery(lambda pk: Unit.objects.filter(pk=F("pk")).order_by("path"))
    assert unused.rows(1) == unused.rows(2) == list(Unit.objects.order_by("path"))


def test_lists_of_keys_of_any_length_share_one_query(tree):
    # ``field__any`` sends the list as one parameter: one compiled SQL for every length
    prepared = PreparedQuery(
        lambda ids: Unit.objects.filter(pk__any=ids).order_by("path"), kinds=(list,)
    )
    some = [tree["district"].pk, tree["commune_a"].pk]
    assert prepared.rows(some) == list(Unit.objects.filter(pk__in=some).order_by("path"))
    assert prepared.rows([tree["province"].pk]) == [tree["province"]]
    assert prepared.rows([]) == []
    assert len({sql for sql, *_ in prepared._compiled.values()}) == 1


def test_days(tree):
    Unit.objects.filter(pk=tree["district"].pk).update(valid_until=dt.date(2026, 6, 30))
    ended = PreparedQuery(lambda on: Unit.objects.filter(valid_until__lt=on), kinds=(dt.date,))
    assert ended.rows(dt.date(2026, 7, 1)) == [Unit.objects.get(pk=tree["district"].pk)]
    assert ended.rows(dt.date(2026, 6, 30)) == []


@pytest.mark.django_db
def test_instants_and_counts():
    users = get_user_model().objects
    joined = {
        users.create(
            username=f"u{month}", date_joined=dt.datetime(2026, month, 1, tzinfo=dt.UTC)
        ).pk
        for month in (3, 5, 9)
    }
    before = PreparedQuery(
        lambda ids, when: users.filter(pk__any=ids, date_joined__lt=when), kinds=(list, dt.datetime)
    )
    june = dt.datetime(2026, 6, 1, tzinfo=dt.UTC)
    assert {user.pk for user in before.rows(list(joined), june)} == {
        user.pk for user in users.filter(pk__in=joined, date_joined__lt=june)
    }
    assert before.count(list(joined), june) == 2
    assert before.count(list(joined), june - dt.timedelta(days=60)) == 1
    assert before.count([], june) == 0


class _Recording:
    """A router that notes which models are read and leaves the choice to the default."""

    read: list = []

    def db_for_read(self, model, **hints):
        self.read.append(model)


def test_the_routers_choose_the_database_as_for_any_read(tree, settings):
    # the dashboard and the reports read from a fresh replica (``ops.router``): a prepared query
    # must ask the routers each time, not always read the default database
    settings.DATABASE_ROUTERS = [f"{__name__}._Recording"]
    _Recording.read.clear()
    prepared = PreparedQuery(_units)
    prepared.rows(tree["district"].pk)
    prepared.count(tree["province"].pk)
    assert _Recording.read.count(Unit) >= 2


def test_a_kind_without_a_marker_is_refused():
    with pytest.raises(TypeError):
        PreparedQuery(lambda when: Unit.objects.all(), kinds=(float,))
