"""The ICT summary: one row per unit for a year."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from decimal import Decimal
from typing import TYPE_CHECKING

from django.db.models import Count, F, Max, Q, Sum
from django.utils.translation import gettext as _

from congso.core.spreadsheets import workbook

from .figures import officials_by_unit
from .models import Equipment, Investment, ItStaff, NetworkLink, Training

if TYPE_CHECKING:
    from congso.org.models import Unit


@dataclass
class Row:
    unit: Unit
    computers: int
    computers_for_officials: int
    officials: int
    links: int
    bandwidth: int
    ipv6_ready: bool
    it_staff: int
    training_hours: Decimal
    planned: int
    spent: int


def _by_unit(queryset, **aggregates) -> dict[int, dict]:
    rows = queryset.values("unit_id").annotate(**aggregates).order_by()
    return {row.pop("unit_id"): row for row in rows}


def summary(units, year: int) -> list[Row]:
    """``units``: a queryset of the units to list (those with any ICT record or localities)."""
    start, end = dt.date(year, 1, 1), dt.date(year, 12, 31)
    ids = list(units.values_list("pk", flat=True))
    equipment = {e.unit_id: e for e in Equipment.objects.filter(unit_id__in=ids)}
    links = _by_unit(
        NetworkLink.objects.filter(unit_id__in=ids), n=Count("pk"), top=Max("bandwidth_mbps")
    )
    staff = _by_unit(
        ItStaff.objects.filter(unit_id__in=ids, since__lte=end).filter(
            Q(until__isnull=True) | Q(until__gte=start)
        ),
        n=Count("pk"),
    )
    trained = _by_unit(
        Training.objects.filter(unit_id__in=ids, date__range=(start, end)),
        hours=Sum(F("hours") * F("participants")),
    )
    money = _by_unit(
        Investment.objects.filter(unit_id__in=ids, year=year),
        planned=Sum("planned"),
        spent=Sum("spent"),
    )
    officials = officials_by_unit(ids, end)
    rows = []
    for unit in units:
        kit = equipment.get(unit.pk)
        rows.append(
            Row(
                unit=unit,
                computers=kit.computers if kit else 0,
                computers_for_officials=kit.computers_for_officials if kit else 0,
                officials=officials.get(unit.pk, 0),
                links=links.get(unit.pk, {}).get("n", 0),
                bandwidth=links.get(unit.pk, {}).get("top") or 0,
                ipv6_ready=bool(kit and kit.ipv6_ready),
                it_staff=staff.get(unit.pk, {}).get("n", 0),
                training_hours=trained.get(unit.pk, {}).get("hours") or Decimal(0),
                planned=money.get(unit.pk, {}).get("planned") or 0,
                spent=money.get(unit.pk, {}).get("spent") or 0,
            )
        )
    return rows


def headings() -> list[str]:
    return [
        _("Đơn vị"),
        _("Máy tính"),
        _("Máy cho cán bộ"),
        _("Cán bộ, công chức"),
        _("Đường truyền"),
        _("Băng thông lớn nhất (Mbps)"),
        _("Sẵn sàng IPv6"),
        _("Cán bộ CNTT"),
        _("Giờ đào tạo (người × giờ)"),
        _("Kế hoạch (đồng)"),
        _("Đã chi (đồng)"),
    ]


def summary_xlsx(rows: list[Row], year: int) -> bytes:
    return workbook(
        _("Hạ tầng CNTT"),
        [_("TỔNG HỢP HẠ TẦNG, NHÂN LỰC VÀ ĐẦU TƯ CNTT — NĂM %(year)s") % {"year": year}],
        headings(),
        [
            [
                row.unit.name,
                row.computers,
                row.computers_for_officials,
                row.officials,
                row.links,
                row.bandwidth,
                _("Có") if row.ipv6_ready else _("Chưa"),
                row.it_staff,
                float(row.training_hours),
                row.planned,
                row.spent,
            ]
            for row in rows
        ],
    )
