"""Decree 30/2020 details of the printed forms: the place-and-date line, the issuer lines of a
people's committee, and the agency's signer (never the applicant) on forms 03 and 05."""

import datetime as dt

import pytest

from congso.catalog.models import Procedure
from congso.onestop import printing, services

from .conftest import monday_morning
from .test_print_forms import pdf_text


@pytest.mark.parametrize(
    ("day", "expected"),
    [
        (dt.date(2026, 3, 5), "Nghi Long, ngày 05 tháng 3 năm 2026"),
        (dt.date(2026, 1, 9), "Nghi Long, ngày 09 tháng 01 năm 2026"),
        (dt.date(2026, 2, 28), "Nghi Long, ngày 28 tháng 02 năm 2026"),
        (dt.date(2026, 12, 10), "Nghi Long, ngày 10 tháng 12 năm 2026"),
        (dt.date(2026, 10, 31), "Nghi Long, ngày 31 tháng 10 năm 2026"),
    ],
)
def test_date_line(day, expected):
    assert printing.date_line("Nghi Long", day) == expected


def test_place_is_the_locality_without_its_kind(demo):
    units = demo["units"]
    assert printing.place_name(units["Xã Nghi Long"]) == "Nghi Long"
    assert printing.place_name(units["district"]) == "Nghi Lộc"
    assert printing.place_name(units["desk"]) == "Nghi Lộc"  # an office: its locality


def test_issuer_lines(demo):
    units = demo["units"]
    assert printing.issuer(units["Xã Nghi Long"]) == ("", "UBND XÃ NGHI LONG")
    assert printing.issuer(units["desk"]) == (
        "UBND HUYỆN NGHI LỘC",
        "BỘ PHẬN MỘT CỬA HUYỆN NGHI LỘC",
    )


def test_05_after_an_online_withdrawal_is_signed_by_the_agency(
    demo, online_intake_for, citizen, tmp_path
):
    procedure = Procedure.objects.get(code="1.001193")
    dossier = services.file_online(
        citizen, online_intake_for(procedure, demo["units"]["Xã Nghi Long"]), now=monday_morning()
    )
    dossier = services.transition(
        dossier,
        "withdraw",
        actor=citizen,
        note="Tôi nộp nhầm",
        now=monday_morning() + dt.timedelta(1),
    )
    text = pdf_text(printing.render_form(dossier, "05"), tmp_path)
    leader = demo["people"]["lanhdao.nghilong"]
    assert leader.get_full_name() in text and "CHỦ TỊCH UBND XÃ" in text
    assert citizen.get_full_name() not in text.split("Kính gửi")[1].split("\n", 1)[1]


def test_03_at_intake_names_the_desk_officer_with_title(demo, online_intake_for, citizen, tmp_path):
    procedure = Procedure.objects.get(code="1.001193")
    dossier = services.file_online(
        citizen, online_intake_for(procedure, demo["units"]["Xã Nghi Long"]), now=monday_morning()
    )
    desk = demo["people"]["motcua.nghilong"]
    dossier = services.transition(
        dossier, "refuse_intake", actor=desk, note="Thiếu giấy chứng sinh"
    )
    title, name = printing.organ_signer(dossier, dossier.receiving_unit, dossier.events.last())
    assert name == desk.get_full_name() and title
    text = pdf_text(printing.render_form(dossier, "03"), tmp_path)
    assert name in text and title.upper() in text


def test_dossier_page_links_the_forms_issued(client, demo, intake_for):
    procedure = Procedure.objects.get(code="1.001193")
    desk = demo["people"]["motcua.nghilong"]
    dossier = services.receive_at_desk(
        desk, intake_for(procedure, demo["units"]["Xã Nghi Long"]), now=monday_morning()
    )
    assert [f for f, _t in printing.applicable_forms(dossier)] == ["01", "06"]
    client.force_login(desk)
    html = client.get(f"/onestop/dossiers/{dossier.code}/").content.decode()
    assert 'data-form="01"' in html and 'data-print="01"' in html and 'data-form="06"' in html
    assert 'data-form="02"' not in html
