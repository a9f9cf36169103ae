"""A one-unit official's list (a commune officer's, the most common) is counted from the access
rows alone (``listing.PreparedList.capped_count``): the same count as the dossiers it sees
(``test_prepared_list`` holds it for every demo person), read without the dossiers' table."""

import datetime as dt

from django.db import connection
from django.test.utils import CaptureQueriesContext

from congso.demo import history
from congso.onestop import services
from congso.onestop.listing import PreparedList

END = dt.datetime(2026, 11, 10, 2, 0, tzinfo=dt.UTC)


def _counted(person, cap):
    prepared = PreparedList(person)
    with CaptureQueriesContext(connection) as captured:
        count = prepared.capped_count(cap)
    (query,) = captured.captured_queries
    return count, query["sql"]


def test_one_units_list_is_counted_from_its_access_rows(demo):
    history.generate(40, days=15, seed=21, end=END)
    officer = demo["people"]["motcua.nghilong"]
    assert len(services.view_unit_ids(officer)) == 1
    seen = services.visible_dossiers(officer).count()
    count, sql = _counted(officer, 1000)
    assert count == seen > 0
    assert '"onestop_dossier"' not in sql and '"onestop_dossieraccess"' in sql
    assert _counted(officer, 2)[0] == 3  # capped alike: one more than the cap


def test_several_units_list_is_counted_from_the_dossiers(demo):
    history.generate(40, days=15, seed=21, end=END)
    leader = demo["people"]["lanhdao.nghiloc"]
    assert len(services.view_unit_ids(leader)) > 1
    count, sql = _counted(leader, 1000)
    assert count == services.visible_dossiers(leader).count()
    assert '"onestop_dossier"' in sql
