"""Demo data of the skills app for the Nghi Lộc demo district: the seed's pilot in Xã Nghi Long
(2021–2022) with its community digital team, this year's district-wide programme with sessions in
a few communes, each commune's adult population (demo values: 72 % of the demo population — real
figures must be entered from each commune's statistics) and some lessons completed online.

Bulk-created with one audit record for the load; idempotent (a second run finds the pilot).
"""

import datetime as dt
import random

from django.utils import timezone

from congso.core import audit
from congso.org.models import COMMUNE_LEVEL_KINDS, Unit
from congso.skills.models import (
    AdultPopulation,
    Completion,
    Programme,
    Session,
    Team,
    TeamMember,
    Topic,
)

PILOT = "Thí điểm phổ biến kỹ năng số cơ bản cho người dân xã Nghi Long"
HAMLETS = ["Xóm 1", "Xóm 2", "Xóm 3", "Xóm 4", "Xóm 5", "Xóm 6"]
MEMBERS = ["Nguyễn Văn Hải", "Trần Thị Lan", "Lê Văn Dũng", "Phạm Thị Hương", "Hồ Văn Minh",
           "Võ Thị Thu"]  # fmt: skip
TRAINERS = ["Đoàn Thanh niên xã", "Bưu điện huyện", "VNPT Nghệ An", "Viettel Nghệ An"]


def _sessions(programme, unit, first: dt.date, last: dt.date, count: int, rng) -> list[Session]:
    span = (last - first).days
    return [
        Session(
            programme=programme,
            unit=unit,
            topic=Topic.values[n % len(Topic.values)],
            date=first + dt.timedelta(days=rng.randint(0, span)),
            place=f"Nhà văn hoá {rng.choice(HAMLETS).lower()}",
            trainer=rng.choice(TRAINERS),
            attendance=rng.randint(25, 60),
        )
        for n in range(count)
    ]


def load(loaded: dict) -> None:
    if Programme.objects.filter(name=PILOT).exists():
        return
    rng = random.Random(2021)
    units = loaded["units"]
    district, nghi_long = units["district"], units["Xã Nghi Long"]
    today = timezone.localdate()
    team = Team.objects.create(
        unit=nghi_long, name="Tổ công nghệ số cộng đồng xã Nghi Long",
        established_on=dt.date(2021, 10, 15),
    )  # fmt: skip
    TeamMember.objects.bulk_create(
        TeamMember(team=team, hamlet=hamlet, name=name, role="Tổ viên", phone=f"09123450{n:02d}")
        for n, (hamlet, name) in enumerate(zip(HAMLETS, MEMBERS, strict=True))
    )
    pilot = Programme.objects.create(
        unit=nghi_long, name=PILOT, start=dt.date(2021, 10, 1), end=dt.date(2022, 12, 31),
        target=3000, description="Theo chỉ đạo của UBND huyện (báo cáo ngày 23/09/2021).",
    )  # fmt: skip
    rows = _sessions(pilot, nghi_long, pilot.start, pilot.end, 36, rng)
    current = Programme.objects.create(
        unit=district, name=f"Phổ cập kỹ năng số cho người dân năm {today.year}",
        start=dt.date(today.year, 1, 1), end=dt.date(today.year, 12, 31), target=20000,
    )  # fmt: skip
    communes = list(Unit.objects.filter(parent=district, kind__in=COMMUNE_LEVEL_KINDS))
    for unit in rng.sample(communes, 8) + [nghi_long]:
        rows += _sessions(current, unit, current.start, today, 6, rng)
    Session.objects.bulk_create(rows)
    AdultPopulation.objects.bulk_create(
        AdultPopulation(unit=unit, year=year, count=unit.adult_population)
        for unit in communes
        if unit.adult_population
        for year in range(2021, today.year + 1)
    )
    now = timezone.now()
    Completion.objects.bulk_create(
        Completion(
            topic=rng.choice(Topic.values),
            completed_at=now - dt.timedelta(days=rng.randint(0, 300)),
            session_key=f"demo-{n}",
            unit=rng.choice(communes),
            score=4,
            total=4,
        )  # fmt: skip
        for n in range(120)
    )
    audit.record("skills.demo.load", pilot, unit_id=district.pk, data={"sessions": len(rows)})
