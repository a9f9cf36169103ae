"""The period report (regulations §5) and the register (form 07) on a hand-built data set whose
answers are known, including an empty unit, a period where everything is late, and a period
crossing a year; the Excel files hold the same numbers."""

import datetime as dt
import io
import itertools
from zoneinfo import ZoneInfo

import openpyxl
import pytest

from congso.catalog.models import Procedure
from congso.onestop import printing, reports
from congso.onestop.models import Dossier, SupplementRequest
from congso.onestop.reports import KEYS, Period

VN = ZoneInfo("Asia/Ho_Chi_Minh")
_serial = itertools.count(1)


def at(y, m, d, h=9) -> dt.datetime:
    return dt.datetime(y, m, d, h, 0, tzinfo=VN)


def make(
    unit,
    procedure=None,
    *,
    channel="desk",
    received=None,
    due=None,
    finished=None,
    timeliness="",
    returned=None,
    state="processing",
    filed=None,
    name="Trần Văn Đức",
):
    """A dossier with exactly the timestamps the report reads (the services are tested
    elsewhere; here the point is known answers)."""
    procedure = procedure or Procedure.objects.get(code="1.001193")
    return Dossier.objects.create(
        code=f"{unit.agency_id or '000.00.00.X00'}-TEST-{next(_serial):04d}",
        procedure=procedure,
        version=procedure.current_version(),
        receiving_unit=unit,
        current_unit=unit,
        state=state,
        channel=channel,
        applicant_name=name,
        filed_at=filed or received or at(2026, 3, 1),
        received_at=received,
        due_at=due,
        finished_at=finished,
        timeliness=timeliness,
        returned_at=returned,
    )


def supplement(dossier, when, answered=None):
    """Form 02 and what the supplement clock does with it (the working-time arithmetic is
    tested in test_supplement_clock; here the wait is wall-clock): the counter, the stop while
    unanswered, the statutory due moved on by the wait once answered."""
    SupplementRequest.objects.create(
        dossier=dossier, items=["x"], reason="y", requested_at=when, answered_at=answered
    )
    dossier.refresh_from_db()
    due = dossier.statutory_due_at or dossier.due_at
    clock = {"supplement_count": dossier.supplement_count + 1}
    if answered is None:
        clock["clock_stopped_at"] = when
    elif due is not None:
        clock["statutory_due_at"] = due + (answered - when)
    Dossier.objects.filter(pk=dossier.pk).update(**clock)


@pytest.fixture(autouse=True)
def fresh_facts(monkeypatch):
    """The report reads the daily facts the dashboard keeps: refresh them before every report
    (the services mark them stale; these tests write dossier rows directly)."""
    from congso.dashboard import store

    original = reports.period_report

    def refreshed(unit, period, **kwargs):
        store.refresh(period.start - dt.timedelta(days=1), period.end)
        return original(unit, period, **kwargs)

    monkeypatch.setattr(reports, "period_report", refreshed)
    return original


MARCH = Period(dt.date(2026, 3, 1), dt.date(2026, 3, 31))


@pytest.fixture
def long(demo):
    return demo["units"]["Xã Nghi Long"]


@pytest.fixture
def my(demo):
    return demo["units"]["Xã Nghi Mỹ"]


@pytest.fixture
def march_data(long, my):
    """Nghi Long in March 2026; every dossier exercises one column (see the expected dict)."""
    make(
        long,
        received=at(2026, 2, 20),
        due=at(2026, 2, 25),
        finished=at(2026, 3, 2),
        timeliness="late",
        state="processed",
    )
    make(long, received=at(2026, 2, 27), due=at(2026, 3, 3))  # carried, still open: overdue
    make(
        long,
        received=at(2026, 3, 5),
        due=at(2026, 3, 6),
        finished=at(2026, 3, 5),
        timeliness="early",
        returned=at(2026, 3, 6),
        state="returned",
    )
    d = make(
        long,
        channel="online",
        received=at(2026, 3, 10),
        due=at(2026, 3, 13),
        finished=at(2026, 3, 14),
        timeliness="late",
        state="processed",
    )
    # a day waiting for the citizen is subtracted: 14/03 09:00 − 24 h = the due instant, on time
    supplement(d, at(2026, 3, 10, 10), answered=at(2026, 3, 11, 10))
    e = make(long, channel="post", received=at(2026, 3, 20), due=at(2026, 4, 3))
    supplement(e, at(2026, 3, 21))  # still waiting at the end of March: its own column
    make(
        long,
        received=at(2026, 3, 25),
        due=at(2026, 3, 27),
        finished=at(2026, 3, 26),
        state="withdrawn",
    )
    make(
        long,
        received=at(2026, 1, 5),
        due=at(2026, 1, 9),
        finished=at(2026, 1, 8),
        timeliness="early",
        returned=at(2026, 3, 3),
        state="returned",
    )
    make(long, received=at(2026, 4, 2), due=at(2026, 4, 3))  # after the period
    make(
        long,
        received=at(2026, 2, 1),
        due=at(2026, 2, 5),
        finished=at(2026, 2, 4),
        timeliness="early",
        state="processed",
    )
    make(long, channel="online", filed=at(2026, 3, 15), state="new")  # never received
    make(my, received=at(2026, 3, 5), due=at(2026, 3, 6))  # another commune


EXPECTED_MARCH = {
    "carried": 2,
    "received_online": 1,
    "received_desk": 2,
    "received_post": 1,
    "received": 4,
    "early": 2,  # one with a result, one withdrawn before its due date (national formula)
    "on_time": 1,
    "late": 1,
    "finished": 4,
    "refused": 0,
    "withdrawn": 1,
    "open_within": 0,
    "overdue": 1,
    "waiting": 1,
    "open": 2,
    "supplements": 2,
    "apologised": 0,
    "returned": 2,
}


def test_known_answers_for_one_commune(march_data, long):
    report = reports.period_report(long, MARCH)
    assert [row.label for row in report.rows] == [long.name]
    assert report.rows[0].figures == EXPECTED_MARCH
    assert report.total.figures == EXPECTED_MARCH
    assert report.total.balanced


def test_district_report_has_a_row_per_commune_and_totals_add_up(march_data, demo, long, my):
    report = reports.period_report(demo["units"]["district"], MARCH)
    by_label = {row.label: row for row in report.rows}
    assert by_label[long.name].figures == EXPECTED_MARCH
    assert by_label[my.name]["received_desk"] == 1 and by_label[my.name]["overdue"] == 1
    for key in KEYS:
        assert report.total[key] == sum(row[key] for row in report.rows)
    assert all(row.balanced for row in [*report.rows, report.total])


def test_by_procedure(march_data, long):
    other = Procedure.objects.get(code="1.004873")
    make(long, other, received=at(2026, 3, 9), due=at(2026, 4, 2))
    report = reports.period_report(long, MARCH, by="procedure")
    assert len(report.rows) == 2
    rows = {row.key: row for row in report.rows}
    assert rows[other.pk]["received_desk"] == 1 and rows[other.pk]["open_within"] == 1
    birth = Procedure.objects.get(code="1.001193")
    assert rows[birth.pk].figures == EXPECTED_MARCH
    assert report.total["received"] == 5 and report.total.balanced


def test_no_dossiers_gives_an_empty_balanced_report(demo):
    report = reports.period_report(demo["units"]["Xã Nghi Mỹ"], MARCH)
    assert report.rows == []
    assert set(report.total.figures.values()) == {0} and report.total.balanced


def test_all_late(long):
    for day in (2, 9, 16):
        make(
            long,
            received=at(2026, 3, day),
            due=at(2026, 3, day + 1),
            finished=at(2026, 3, day + 3),
            timeliness="late",
            state="returned",
            returned=at(2026, 3, day + 4),
        )
    total = reports.period_report(long, MARCH).total
    assert (total["late"], total["early"], total["on_time"], total["finished"]) == (3, 0, 0, 3)
    assert (total["received"], total["returned"], total["open"]) == (3, 3, 0)
    assert total.balanced


def test_period_crossing_a_year(long):
    period = Period(dt.date(2025, 12, 15), dt.date(2026, 1, 15))
    make(long, received=at(2025, 12, 10), due=at(2026, 1, 20))  # carried, open within time
    make(
        long,
        received=at(2025, 12, 20),
        due=at(2025, 12, 24),
        finished=at(2026, 1, 5),
        timeliness="late",
        state="processed",
    )
    make(long, channel="online", received=at(2026, 1, 10), due=at(2026, 1, 12))  # overdue
    make(long, received=at(2026, 1, 15, 16), due=at(2026, 1, 16))  # last day, within time
    make(long, received=at(2026, 1, 16, 8), due=at(2026, 1, 19))  # the day after: not counted
    total = reports.period_report(long, period).total
    assert total["carried"] == 1
    assert (total["received_desk"], total["received_online"]) == (2, 1)
    assert total["late"] == 1 and total["finished"] == 1
    assert (total["open_within"], total["overdue"]) == (2, 1)
    assert total.balanced


def test_finished_at_midnight_belongs_to_the_next_day(long):
    """Local days, not UTC: 00:30 on 1 April in Vietnam is still 31 March in UTC."""
    make(
        long,
        received=at(2026, 3, 30),
        due=at(2026, 4, 1),
        finished=at(2026, 4, 1, 0).replace(minute=30),
        timeliness="on_time",
        state="processed",
    )
    total = reports.period_report(long, MARCH).total
    assert total["finished"] == 0 and total["open"] == 1


def test_report_runs_a_fixed_number_of_queries(
    march_data, demo, fresh_facts, django_assert_max_num_queries, memory_cache
):
    from congso.dashboard import store

    store.refresh(MARCH.start - dt.timedelta(days=1), MARCH.end)
    # the subtree with its names, stale days?, one grouped read of the facts (flows, end
    # snapshot and carried over; three reads and the names were six queries) — the sums then
    # kept (``test_report_sums_kept``); the memory cache, since the database cache's reads count
    with django_assert_max_num_queries(3):
        fresh_facts(demo["units"]["district"], MARCH)


def test_without_stored_facts_the_same_report_is_computed(march_data, demo, fresh_facts):
    district = demo["units"]["district"]
    stored = reports.period_report(district, MARCH)
    reports.register_reader(None)
    try:
        computed = fresh_facts(district, MARCH)
    finally:
        from congso.dashboard import store

        reports.register_reader(store.report_rows)
    assert [r.figures for r in computed.rows] == [r.figures for r in stored.rows]


def test_second_supplement_counts_late_and_apology_never_saves_a_late_dossier(long):
    """Decree 118/2025 (one complete guidance) and the portal formula 2.1; Decree 61/2018 art.
    19 as amended: the apology's new date does not change the original due instant."""
    twice = make(
        long, received=at(2026, 3, 2), due=at(2026, 3, 20), finished=at(2026, 3, 5),
        state="processed",
    )  # fmt: skip
    supplement(twice, at(2026, 3, 2, 10), answered=at(2026, 3, 3))
    supplement(twice, at(2026, 3, 3, 10), answered=at(2026, 3, 4))
    sorry = make(
        long, received=at(2026, 3, 2), due=at(2026, 3, 25), finished=at(2026, 3, 20),
        state="processed",
    )  # fmt: skip
    Dossier.objects.filter(pk=sorry.pk).update(
        original_due_at=at(2026, 3, 10),
        statutory_due_at=at(2026, 3, 10),
        apology_due_at=at(2026, 3, 25),
        apologised_at=at(2026, 3, 9),
        rescheduled=True,
    )
    total = reports.period_report(long, MARCH).total
    assert (total["late"], total["early"], total["apologised"]) == (2, 0, 1)


def test_report_excel_holds_the_same_numbers(march_data, demo):
    report = reports.period_report(demo["units"]["district"], MARCH)
    book = openpyxl.load_workbook(io.BytesIO(printing.report_xlsx(report)))
    sheet = book.active
    rows = list(sheet.iter_rows(values_only=True))
    header_index = next(i for i, row in enumerate(rows) if row[0] == "Đơn vị tiếp nhận")
    assert list(rows[header_index][1:]) == [str(h) for _k, h in reports.COLUMNS]
    body = rows[header_index + 1 :]
    expected = [[r.label, *r.cells] for r in [*report.rows, report.total]]
    assert [list(row) for row in body] == expected
    assert "01/03/2026" in rows[1][0] and "31/03/2026" in rows[1][0]


def test_register_rows_and_excel(march_data, long, tmp_path):
    rows = printing.register_rows(long, MARCH)
    assert [r.received for r in rows] == [
        "09:00 05/03/2026",
        "09:00 10/03/2026",
        "09:00 20/03/2026",
        "09:00 25/03/2026",
    ]
    assert [r.number for r in rows] == [1, 2, 3, 4]
    assert rows[0].returned == "09:00 06/03/2026" and rows[0].result_back == "09:00 05/03/2026"
    assert "Công dân rút hồ sơ" in rows[3].notes
    assert all(r.applicant == "Trần Văn Đức" for r in rows)
    book = openpyxl.load_workbook(io.BytesIO(printing.register_xlsx(long, MARCH)))
    values = list(book.active.iter_rows(values_only=True))
    codes = [row[1] for row in values if isinstance(row[0], int)]
    assert codes == [r.code for r in rows]


def test_register_pdf_of_an_empty_period(long, tmp_path):
    from .test_print_forms import pdf_info, pdf_text

    out = io.BytesIO()
    empty = Period(dt.date(2020, 1, 1), dt.date(2020, 1, 31))
    assert printing.build_register_pdf(printing.export_params(long, empty), out, [].append) == 0
    data = out.getvalue()
    assert "Không có hồ sơ nào trong kỳ" in pdf_text(data, tmp_path)
    assert pdf_info(data, tmp_path)["Page size"].startswith("841.89 x 595.276")


def test_register_pdf_laid_out_in_parts(march_data, long, tmp_path, monkeypatch):
    from congso.core import longpdf

    from .test_print_forms import pdf_text

    monkeypatch.setattr(longpdf, "PART_ROWS", 3)
    out, seen = io.BytesIO(), []
    assert printing.build_register_pdf(printing.export_params(long, MARCH), out, seen.append) == 4
    text = pdf_text(out.getvalue(), tmp_path)
    codes = [r.code for r in printing.register_rows(long, MARCH)]
    assert seen == [3, 4]
    assert [text.index(code) for code in codes] == sorted(text.index(code) for code in codes)
    assert text.count(printing.FORM_TITLES["07"].upper()) == 1


def test_period_rejects_an_end_before_its_start():
    with pytest.raises(ValueError):
        Period(dt.date(2026, 3, 2), dt.date(2026, 3, 1))


def test_month_of():
    assert Period.month_of(dt.date(2025, 12, 31)) == Period(
        dt.date(2025, 12, 1), dt.date(2025, 12, 31)
    )
    assert Period.month_of(dt.date(2028, 2, 10)).end == dt.date(2028, 2, 29)
