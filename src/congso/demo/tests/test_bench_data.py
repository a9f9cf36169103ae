"""``bench_data`` fills an empty database (loading the demo district first) with N dossiers, and a
second run adds N more whose codes do not collide with the first."""

from io import StringIO

import pytest
from django.core.management import CommandError, call_command

from congso.catalog.models import Procedure
from congso.onestop.models import Dossier, Event, Step

pytestmark = pytest.mark.slow


def run(*args) -> str:
    out = StringIO()
    call_command("bench_data", *args, stdout=out)
    return out.getvalue()


@pytest.mark.django_db
def test_fills_an_empty_database_and_reports_its_speed():
    assert not Procedure.objects.exists()
    output = run("--dossiers", "40", "--seed", "3", "--batch", "15")
    assert Dossier.objects.count() == 40
    assert Step.objects.exists() and Event.objects.exists()
    assert "dòng/giây" in output
    assert "40/40" in output  # the last progress line
    assert "nạp dữ liệu mẫu" in output


@pytest.mark.django_db
def test_a_second_run_adds_more_without_duplicate_codes():
    run("--dossiers", "30", "--seed", "1")
    output = run("--dossiers", "30", "--seed", "2", "--days", "30")
    assert "nạp dữ liệu mẫu" not in output
    codes = list(Dossier.objects.values_list("code", flat=True))
    assert len(codes) == 60 == len(set(codes))


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("args", "why"),
    [
        (["--dossiers", "-1"], "không được âm"),
        (["--dossiers", "5", "--batch", "0"], "số nguyên dương"),
        (["--dossiers", "0"], "Không có gì để nạp"),
    ],
)
def test_refuses_numbers_out_of_range(args, why):
    with pytest.raises(CommandError, match=why):
        run(*args)
    assert not Dossier.objects.exists()
