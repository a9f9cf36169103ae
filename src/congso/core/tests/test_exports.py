"""Exports built in the background: rows streamed to the workbook as they come, progress recorded,
the file offered to its owner only."""

import datetime as dt
import io

import openpyxl
import pytest
from django.urls import reverse
from django.utils import timezone

from congso.core import exports, spreadsheets
from congso.core.models import Export


def test_write_streams_any_iterable_and_reports_progress():

    def rows():  # a generator: nothing is held, each row built as the writer asks for it
        for n in range(1, 1201):
            yield [n, f'=HYPERLINK("x","{n}")']

    seen = []
    out = io.BytesIO()
    written = spreadsheets.write(
        out, "Sổ", ["TIÊU ĐỀ"], ["Số", "Tên"], rows(), progress=seen.append
    )
    assert written == 1200 and seen == [500, 1000]
    sheet = openpyxl.load_workbook(out).active
    values = list(sheet.iter_rows(values_only=True))
    assert values[0][0] == "TIÊU ĐỀ" and values[1] == ("Số", "Tên") and len(values) == 1202
    assert values[-1][1].startswith("=HYPERLINK") and sheet["B3"].data_type == "s"
    assert sheet.freeze_panes == "A3"


@pytest.fixture
def counting(db):
    def builder(params, out, progress):
        rows = ([n] for n in range(params["rows"]))
        return spreadsheets.write(out, "Đếm", [], ["n"], rows, progress=progress)

    exports.register("test.counting", builder)
    yield
    exports.BUILDERS.pop("test.counting")


def test_build_stores_the_file_and_its_rows_once(counting, django_user_model):
    owner = django_user_model.objects.create(username="xuat.tep")
    export = exports.start(owner, "test.counting", {"rows": 1500}, title="Đếm", filename="dem.xlsx")
    assert export.state == Export.State.QUEUED
    assert exports.build(export.pk) == Export.State.READY
    assert exports.build(export.pk) == "skipped"  # a job delivered twice builds once
    export.refresh_from_db()
    assert export.done == 1500 and export.file.name.endswith(".xlsx")
    with export.file.open("rb") as handle:
        assert openpyxl.load_workbook(handle).active.max_row == 1501


def test_an_export_whose_worker_died_is_built_by_the_job_delivered_again(
    counting, django_user_model
):
    """Nothing is lost: a worker killed mid-export leaves it running; once its lease has run out
    the job, delivered again, builds it. While the lease holds, a second delivery does nothing."""
    owner = django_user_model.objects.create(username="xuat.lai")
    export = exports.start(owner, "test.counting", {"rows": 10}, title="Đếm", filename="dem.xlsx")
    fresh = timezone.now()
    Export.objects.filter(pk=export.pk).update(state=Export.State.RUNNING, taken_at=fresh)
    assert exports.build(export.pk) == "skipped"  # its worker may still be at it
    stale = fresh - exports.LEASE - dt.timedelta(seconds=1)
    Export.objects.filter(pk=export.pk).update(taken_at=stale)
    assert exports.build(export.pk) == Export.State.READY
    export.refresh_from_db()
    assert export.done == 10 and export.file.name.endswith(".xlsx")


def test_a_failed_build_says_so_and_the_page_is_its_owners_only(
    counting, django_user_model, client
):
    owner = django_user_model.objects.create(username="xuat.loi")
    other = django_user_model.objects.create(username="xuat.khac")
    export = exports.start(owner, "test.counting", {}, title="Đếm", filename="dem.xlsx")
    assert exports.build(export.pk) == Export.State.FAILED  # params lack "rows"
    client.force_login(other)
    assert client.get(reverse("exports:export", args=[export.pk])).status_code == 404
    client.force_login(owner)
    page = client.get(reverse("exports:export", args=[export.pk]))
    assert "Không lập được tệp" in page.content.decode()
    assert client.get(reverse("exports:export_file", args=[export.pk])).status_code == 404
