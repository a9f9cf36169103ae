"""``core.prepared.PreparedQuery``: a query built and compiled once answers, for each value, the
rows its queryset would (models with their joined objects, values, value lists), and a marker the
SQL does not carry is refused."""

import pytest
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


def test_a_marker_the_sql_does_not_carry_is_refused(tree):
    # a pattern: ``startswith`` sends the marker escaped and followed by "%"
    prepared = PreparedQuery(lambda path: Unit.objects.filter(path__startswith=path), kinds=(str,))
    with pytest.raises(ValueError, match="marker"):
        prepared.rows(tree["district"].path)
    unused = PreparedQuery(lambda pk: Unit.objects.filter(pk=F("pk")))
    with pytest.raises(ValueError, match="marker"):
        unused.rows(1)


def test_a_kind_without_a_marker_is_refused():
    with pytest.raises(TypeError):
        PreparedQuery(lambda when: Unit.objects.all(), kinds=(float,))
