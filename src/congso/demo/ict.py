"""Demo data of the ict app for the Nghi Lộc demo district.

Investment 2015–2020: the seed report (23/09/2021) gives only the total — "hơn 6 tỷ đồng" from
the district budget — and names what it bought (online conference system from the district to
every commune, computers, software such as VNPT-iOffice, one-stop software, digital signatures,
official e-mail). The items and yearly amounts below are plausible, not the district's books;
they add up to 6,050,000,000 đ spent. Equipment, links, IPv6 status, IT staff and training are
illustrative too: the seed's plan (one full-time IT official at the district People's Committee,
computers, IPv6, yearly training of officials) shaped them.
"""

import datetime as dt
import random

from django.utils import timezone

from congso.core import audit
from congso.ict.models import (
    CheckResult,
    DualStack,
    Equipment,
    FundSource,
    Investment,
    ItStaff,
    LinkKind,
    NetworkLink,
    Training,
)
from congso.org.models import COMMUNE_LEVEL_KINDS, Unit

#: (year, item, planned, spent) — district budget, 2015–2020; see the module docstring.
INVESTMENTS = [
    (2015, "Phần mềm quản lý văn bản và điều hành VNPT-iOffice (huyện và các xã)", 700, 650),
    (2016, "Máy tính, máy quét cho Bộ phận Một cửa huyện và các xã", 1000, 980),
    (2017, "Hội nghị truyền hình trực tuyến huyện – xã, giai đoạn 1 (12 điểm cầu)", 1300, 1250),
    (2018, "Hội nghị truyền hình trực tuyến huyện – xã, giai đoạn 2 (11 điểm cầu)", 1200, 1150),
    (2019, "Phần mềm một cửa điện tử liên thông, chữ ký số, thư điện tử công vụ", 750, 720),
    (2020, "Nâng cấp mạng nội bộ, đường truyền và máy chủ", 1350, 1300),
]
MILLION = 1_000_000


def _equipment(unit, rng, district: bool) -> Equipment:
    computers = 120 if district else rng.randint(14, 30)
    stack = rng.choice([DualStack.FULL, DualStack.PARTIAL, DualStack.NONE])
    stack = DualStack.FULL if district else stack
    return Equipment(
        unit=unit,
        computers=computers,
        computers_for_officials=computers - (20 if district else rng.randint(2, 5)),
        dual_stack=stack,
        ipv6_address_plan="2001:db8:429::/48, mỗi đơn vị một /56" if stack != "none" else "",
        ipv6_checked_on=dt.date(2025, 10, 15) if stack != "none" else None,
        ipv6_check_result=(
            CheckResult.PASS if stack == DualStack.FULL else CheckResult.FAIL
        ) if stack != "none" else "",
    )  # fmt: skip


def load(loaded: dict) -> None:
    district = loaded["units"]["district"]
    if Investment.objects.filter(unit=district, year=2015).exists():
        return
    rng = random.Random(429)
    today = timezone.localdate()
    communes = list(Unit.objects.filter(parent=district, kind__in=COMMUNE_LEVEL_KINDS))
    Investment.objects.bulk_create(
        Investment(
            unit=district,
            year=year,
            item=item,
            planned=planned * MILLION,
            spent=spent * MILLION,
            source=FundSource.DISTRICT,
        )  # fmt: skip
        for year, item, planned, spent in INVESTMENTS
    )
    Investment.objects.create(
        unit=district, year=today.year, item="Trang bị máy tính, nâng cấp đường truyền IPv6",
        planned=900 * MILLION, spent=420 * MILLION, source=FundSource.DISTRICT,
    )  # fmt: skip
    Equipment.objects.bulk_create(
        [_equipment(district, rng, True)] + [_equipment(c, rng, False) for c in communes]
    )
    NetworkLink.objects.bulk_create(
        NetworkLink(unit=unit, kind=kind, provider=provider, bandwidth_mbps=mbps)
        for unit in [district, *communes]
        for kind, provider, mbps in [
            (LinkKind.GOV_WAN, "VNPT Nghệ An", 20),
            (LinkKind.FIBER, rng.choice(["VNPT", "Viettel"]), rng.choice([100, 150, 200])),
        ]
    )
    ItStaff.objects.bulk_create(
        [ItStaff(unit=district, name="Hồ Văn Quân", title="Chuyên viên CNTT, Văn phòng UBND huyện",
                 full_time=True, since=dt.date(2022, 3, 1))]
        + [ItStaff(unit=c, name=f"Công chức Văn phòng - Thống kê {c.short_name}",
                   title="Kiêm nhiệm CNTT", since=dt.date(2019, 1, 1)) for c in communes]
    )  # fmt: skip
    Training.objects.bulk_create(
        Training(
            unit=district,
            date=dt.date(year, 6, 15),
            participants=rng.randint(60, 110),
            course=f"Bồi dưỡng kỹ năng số, an toàn thông tin cho cán bộ, công chức năm {year}",
            hours=16,
        )  # fmt: skip
        for year in range(2021, today.year + 1)
        if dt.date(year, 6, 15) <= today
    )
    audit.record("ict.demo.load", district, unit_id=district.pk, data={"communes": len(communes)})
