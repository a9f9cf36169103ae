"""The ``ict`` figures for the dashboard (keys and formulas in docs/digital-skills-and-ict.md).

Equipment is a snapshot (what each unit declares now); staff are counted when in post during the
period; training and investment by their date and year. ``officials_at_units`` counts people
holding a position at the units on the period's last day, read through
``accounts.services.officials_in_post``.
"""

import datetime as dt
from collections.abc import Sequence

from django.db.models import Count, DecimalField, ExpressionWrapper, F, Q, Sum

from congso.accounts import services as accounts
from congso.org import services as org
from congso.org.choices import LOCALITY_KINDS

from .models import CheckResult, DualStack, Equipment, Investment, ItStaff, Training


def _positions(unit_ids: Sequence[int], on: dt.date):
    return accounts.officials_in_post(on, unit_id__in=unit_ids, user__is_active=True)


def officials_at_units(unit_ids: Sequence[int], on: dt.date) -> int:
    """People (not positions: one official may hold two) at the units on ``on``."""
    return _positions(unit_ids, on).values("user_id").distinct().count()


def officials_by_unit(unit_ids: Sequence[int], on: dt.date) -> dict[int, int]:
    rows = _positions(unit_ids, on).values("unit_id").annotate(n=Count("user_id", distinct=True))
    return {row["unit_id"]: row["n"] for row in rows.order_by()}


def localities(unit_ids: Sequence[int], on: dt.date):
    """The people's committees among the units (the units IPv6 readiness is measured on)."""
    return org.units().active(on).filter(pk__in=unit_ids, kind__in=LOCALITY_KINDS)


def provide(unit_ids: Sequence[int], start: dt.date, end: dt.date) -> dict:
    equipment = Equipment.objects.filter(unit_id__in=unit_ids)
    units = localities(unit_ids, end)
    ready = equipment.filter(
        unit__in=units,
        dual_stack=DualStack.FULL,
        ipv6_check_result=CheckResult.PASS,
        ipv6_checked_on__lte=end,
    )
    staff = ItStaff.objects.filter(unit_id__in=unit_ids, since__lte=end).filter(
        Q(until__isnull=True) | Q(until__gte=start)
    )
    person_hours = ExpressionWrapper(
        F("hours") * F("participants"), output_field=DecimalField(max_digits=12, decimal_places=1)
    )
    trained = Training.objects.filter(unit_id__in=unit_ids, date__range=(start, end)).aggregate(
        total=Sum(person_hours)
    )["total"]
    money = Investment.objects.filter(
        unit_id__in=unit_ids, year__range=(start.year, end.year)
    ).aggregate(planned=Sum("planned"), spent=Sum("spent"))
    return {
        "computers": equipment.aggregate(n=Sum("computers"))["n"] or 0,
        "officials_at_units": officials_at_units(unit_ids, end),
        "units": units.count(),
        "units_ipv6_ready": ready.count(),
        "it_staff": staff.count(),
        "training_hours": trained or 0,
        "investment_planned": money["planned"] or 0,
        "investment_spent": money["spent"] or 0,
    }
