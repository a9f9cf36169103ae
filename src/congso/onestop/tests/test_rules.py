import datetime as dt
from zoneinfo import ZoneInfo

import pytest

from congso.onestop.rules import (
    OpenTimeliness,
    Timeliness,
    classify_finished,
    classify_open,
    dossier_code,
)

VN = ZoneInfo("Asia/Ho_Chi_Minh")


def at(day, hour=9):
    return dt.datetime(2026, 3, day, hour, tzinfo=VN)


def test_dossier_code_shape():
    assert dossier_code("000.17.22.H56", dt.date(2021, 5, 31), 1) == "000.17.22.H56-210531-0001"


@pytest.mark.parametrize("sequence", [0, 10000, -1])
def test_dossier_code_refuses_out_of_range_sequence(sequence):
    with pytest.raises(ValueError):
        dossier_code("000.17.22.H56", dt.date(2021, 5, 31), sequence)


@pytest.mark.parametrize(
    ("finished", "due", "expected"),
    [
        (at(9, 16), at(10, 17), Timeliness.EARLY),
        (at(10, 8), at(10, 17), Timeliness.ON_TIME),
        (at(10, 17), at(10, 8), Timeliness.ON_TIME),  # same date, later hour: still on time
        (at(11, 8), at(10, 17), Timeliness.LATE),
    ],
)
def test_finished_classes_compare_dates(finished, due, expected):
    assert classify_finished(finished, due) == expected


def test_finished_class_uses_local_date_not_utc():
    due = dt.datetime(2026, 3, 10, 16, 0, tzinfo=VN)
    finished_utc = dt.datetime(2026, 3, 10, 18, 0, tzinfo=dt.UTC)  # 01:00 on 11/03 in Vietnam
    assert classify_finished(finished_utc, due) == Timeliness.LATE


def test_open_classes():
    assert classify_open(at(31), at(31)) == OpenTimeliness.WITHIN_TIME
    assert classify_open(at(30), at(31)) == OpenTimeliness.OVERDUE
