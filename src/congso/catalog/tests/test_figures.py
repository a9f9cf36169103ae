"""The transparency criteria of Decision 766/QĐ-TTg the catalogue records (portal formulas
1.1–1.3): published at least 5 working days before taking effect (1.1, the provincial rule
"ngày quyết định ≤ ngày hiệu lực − 5 ngày làm việc"), public no later than the day it takes effect
(1.2), published with every part Decree 63/2010 art. 8(2) lists (1.3) — and the drill-down lists
exactly the entries the counts add up."""

import datetime as dt
from zoneinfo import ZoneInfo

from congso.catalog import figures
from congso.catalog.models import ProcedureVersion
from congso.org.models import UnitKind
from congso.org.tests.factories import UnitFactory

VN = ZoneInfo("Asia/Ho_Chi_Minh")


def test_five_working_days_before_skips_the_weekend():
    assert figures.working_days_before(dt.date(2026, 3, 16), 5) == dt.date(2026, 3, 9)
    assert figures.working_days_before(dt.date(2026, 3, 18), 5) == dt.date(2026, 3, 11)


def test_each_criterion_lists_what_it_counts(catalog_data):
    commune = UnitFactory(kind=UnitKind.COMMUNE)
    early, late = ProcedureVersion.objects.filter(procedure__level="commune").order_by("pk")[:2]
    morning = dt.time(9, tzinfo=VN)
    early.published_at = dt.datetime.combine(early.valid_from - dt.timedelta(days=30), morning)
    late.published_at = dt.datetime.combine(late.valid_from, morning)
    ProcedureVersion.objects.bulk_update([early, late], ["published_at"])
    start = min(early.published_at, late.published_at).date()
    end = max(early.valid_from, late.valid_from)
    counted = figures.provide([commune.pk], start, end)
    for criterion, (numerator_key, denominator_key) in figures.KEYS.items():
        numerator, rest = figures.behind(criterion, [commune.pk], start, end)
        assert len(numerator) == counted[numerator_key], criterion
        assert len(numerator) + len(rest) == counted[denominator_key], criterion
    numerator, rest = figures.behind("procedures_published_on_time", [commune.pk], start, end)
    assert (early.procedure.code, early.valid_from) in numerator
    assert (late.procedure.code, late.valid_from) in rest
