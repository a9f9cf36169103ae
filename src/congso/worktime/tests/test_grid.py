import datetime as dt

from congso.worktime.deadlines import DayKind
from congso.worktime.grid import notable_days, year_grid

from .helpers import NEW_YEAR_2026, PLAIN


def test_year_grid_lays_out_weeks_from_monday():
    months = year_grid(PLAIN, 2026)
    assert [m.number for m in months] == list(range(1, 13))
    january = months[0]
    assert january.name == "Tháng 1"
    assert january.weeks[0][:3] == [None, None, None]  # 01/01/2026 is a Thursday
    assert january.weeks[0][3].day == dt.date(2026, 1, 1)
    assert all(len(week) == 7 for month in months for week in month.weeks)
    assert sum(1 for m in months for w in m.weeks for c in w if c) == 365


def test_swapped_days_from_the_package_are_explained():
    cells = {c.day: c for c in notable_days(PLAIN, 2026)}
    assert cells[dt.date(2026, 8, 22)].note == "Làm việc bù theo lịch hoán đổi ngày nghỉ của năm"


def test_cells_carry_kind_and_note():
    notes = {dt.date(2026, 1, 2): "Nghỉ Tết Dương lịch"}
    months = year_grid(NEW_YEAR_2026, 2026, notes)
    cells = {c.day: c for m in months for w in m.weeks for c in w if c}
    assert cells[dt.date(2026, 1, 2)].kind is DayKind.DAY_OFF
    assert cells[dt.date(2026, 1, 2)].note == "Nghỉ Tết Dương lịch"
    assert cells[dt.date(2026, 1, 10)].kind is DayKind.SWAPPED
    assert cells[dt.date(2026, 2, 17)].note == "Tết Nguyên Đán"
    assert cells[dt.date(2026, 3, 7)].kind is DayKind.WEEKEND


def test_notable_days_list():
    days = {c.day: c.kind for c in notable_days(PLAIN, 2026)}
    assert days[dt.date(2026, 8, 22)] is DayKind.SWAPPED
    assert days[dt.date(2026, 9, 2)] is DayKind.HOLIDAY
    assert days[dt.date(2026, 4, 26)] is DayKind.HOLIDAY  # a holiday on a Sunday is listed
    assert dt.date(2026, 3, 9) not in days
    assert dt.date(2026, 3, 7) not in days
