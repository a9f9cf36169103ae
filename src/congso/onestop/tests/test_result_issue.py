"""The specialist drafts the result from the declaration and corrects it with a reason; the
leader signs only a draft he saw; the register number (book, page, number) is taken at issue,
gap-free per register, unit and year."""

import datetime as dt
import shutil

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse

from congso.catalog.models import Procedure
from congso.core.models import AuditRecord, Counter
from congso.demo import signing as signing_demo
from congso.onestop import result_templates as rt
from congso.onestop import results, services
from congso.onestop.lifecycle import State
from congso.onestop.models import Result
from congso.portal.examples import BIRTH_ANSWERS
from congso.signing.tests import support

from .conftest import monday_morning
from .test_print_forms import pdf_text

pytestmark = [
    pytest.mark.skipif(shutil.which("pdfsig") is None, reason="poppler-utils missing"),
    pytest.mark.slow,
]


@pytest.fixture
def staff(demo, settings, tmp_path):
    settings.VAR_DIR = tmp_path / "var"
    settings.MEDIA_ROOT = tmp_path / "media"
    people = demo["people"]
    _root, issuing = signing_demo.ensure_authorities()
    signing_demo.issue_for_unit(demo["units"]["Xã Nghi Long"], issuing)
    signing_demo.issue_for_user(people["lanhdao.nghilong"], issuing)
    return people["motcua.nghilong"], people["congchuc.nghilong"], people["lanhdao.nghilong"]


def _at_specialist(demo, intake_for, staff, minutes=0):
    desk, _clerk, _leader = staff
    procedure = Procedure.objects.get(code="1.001193")
    now = monday_morning() + dt.timedelta(minutes=minutes)
    intake = intake_for(procedure, demo["units"]["Xã Nghi Long"], form_data=BIRTH_ANSWERS)
    dossier = services.receive_at_desk(desk, intake, now=now)
    return services.transition(dossier, "start", actor=desk, now=now + dt.timedelta(minutes=1))


def _to_leader(demo, intake_for, staff, minutes=0):
    _desk, clerk, _leader = staff
    dossier = _at_specialist(demo, intake_for, staff, minutes)
    results.draft(dossier, clerk)
    dossier.refresh_from_db()
    return services.transition(dossier, "forward", actor=clerk, opinion="Hồ sơ đủ điều kiện")


def _approve(dossier, leader, **payload):
    return services.transition(dossier, "approve", actor=leader, **payload)


def test_approval_without_a_draft_is_refused_and_changes_nothing(demo, intake_for, staff):
    _desk, clerk, leader = staff
    dossier = _at_specialist(demo, intake_for, staff)
    dossier = services.transition(dossier, "forward", actor=clerk)
    with pytest.raises(ValidationError, match="Chưa có bản dự thảo kết quả"):
        _approve(dossier, leader)
    dossier.refresh_from_db()
    assert dossier.state == State.PROCESSING and not Result.objects.filter(dossier=dossier)
    assert not Counter.objects.filter(key__startswith="onestop.register:").exists()


def test_a_draft_changed_after_the_leader_saw_it_is_not_signed(demo, intake_for, staff):
    _desk, _clerk, leader = staff
    dossier = _to_leader(demo, intake_for, staff)
    with pytest.raises(ValidationError, match="đã thay đổi"):
        _approve(dossier, leader, draft_sha256="0" * 64)
    assert Result.objects.get(dossier=dossier).register == {}


def test_draft_correct_and_issue_with_the_register_number(demo, intake_for, staff, tmp_path):
    _desk, clerk, leader = staff
    dossier = _at_specialist(demo, intake_for, staff)
    with pytest.raises(PermissionDenied):
        results.draft(dossier, staff[0])  # the desk does not draft the result
    result = results.draft(dossier, clerk)
    assert result.values["child_name"] == "Nguyễn Minh Khang" and result.register == {}
    with pytest.raises(ValidationError, match="lý do"):
        results.correct(dossier, clerk, key="child_place", value="Trạm Y tế xã", reason="")
    result = results.correct(
        dossier,
        clerk,
        key="child_place",
        value="Trạm Y tế xã Nghi Long",
        reason="Theo Giấy chứng sinh số 123",
    )
    result = results.correct(dossier, clerk, key="note", value="Cấp lần đầu", reason="")
    [fix, note] = result.corrections
    assert fix["old"] == "Bệnh viện đa khoa huyện Nghi Lộc" and fix["reason"]
    assert note["new"] == "Cấp lần đầu"
    assert AuditRecord.objects.filter(action="onestop.result_corrected").count() == 2
    dossier.refresh_from_db()
    dossier = services.transition(dossier, "forward", actor=clerk, opinion="Đủ điều kiện")
    seen = Result.objects.get(dossier=dossier).sha256
    dossier = _approve(dossier, leader, draft_sha256=seen)
    result = Result.objects.select_related("signed_file").get(dossier=dossier)
    assert dossier.state == State.PROCESSED and result.signed
    year = monday_morning().year
    assert result.register["number"] == 1 and result.register["book"] == f"01/{year}"
    assert result.register["page"] == 1
    signed = result.signed_file.file.read()
    text = " ".join(pdf_text(signed, tmp_path).split())
    for value in ("Nguyễn Minh Khang", "20/11/2026", "Lê Thị Hoa", "Trạm Y tế xã Nghi Long"):
        assert value in text
    assert "Cấp lần đầu" in text and "Hoàng Văn Long" in text and f"01/{year}" in text
    path = tmp_path / "gks.pdf"
    path.write_bytes(signed)
    checked = support.pdfsig(path)
    assert checked.signature_valid, checked.output
    assert checked.output.count("Signature #") == 1  # the seal (no person's key on the server)


def test_register_numbers_are_gap_free_per_unit_and_year(demo, intake_for, staff):
    _desk, _clerk, leader = staff
    first = _to_leader(demo, intake_for, staff)
    second = _to_leader(demo, intake_for, staff, minutes=30)
    with pytest.raises(ValidationError):
        _approve(second, leader, draft_sha256="f" * 64)  # refused: its number is given back
    _approve(first, leader)
    second.refresh_from_db()
    _approve(second, leader)
    numbers = [Result.objects.get(dossier=d).register["number"] for d in (first, second)]
    assert numbers == [1, 2]


def test_register_entry_book_page_number():
    register = rt.Register("X", "Sổ", "SCT/BS", per_page=10, pages=2)
    assert rt.register_entry(1, 2026, register) == rt.RegisterEntry(
        "01/2026-SCT/BS", 1, 1, "SCT/BS"
    )
    assert rt.register_entry(11, 2026, register).page == 2
    assert rt.register_entry(21, 2026, register).book == "02/2026-SCT/BS"
    assert rt.register_entry(21, 2026, register).page == 1
    with pytest.raises(ValueError):
        rt.register_entry(0, 2026, register)


def test_leader_page_shows_the_draft_the_opinion_and_asks_to_confirm(
    client, demo, intake_for, staff
):
    _desk, _clerk, leader = staff
    dossier = _to_leader(demo, intake_for, staff)
    result = Result.objects.get(dossier=dossier)
    client.force_login(leader)
    html = client.get(reverse("onestop:dossier", args=[dossier.code])).content.decode()
    assert "Hồ sơ đủ điều kiện" in html and 'data-preview-page="1"' in html
    assert f'value="{result.sha256}"' in html and 'name="confirm"' in html
    image = client.get(reverse("onestop:result_preview", args=[dossier.code, 1]))
    assert image.status_code == 200 and image.content.startswith(b"\x89PNG")
    url = reverse("onestop:act", args=[dossier.code])
    post = {"transition": "approve", "revision": dossier.revision, "draft_sha256": result.sha256}
    refused = client.post(url, post)
    assert refused.status_code == 400 and "Xác nhận đã xem bản dự thảo" in refused.content.decode()
    dossier.refresh_from_db()
    assert dossier.state == State.PROCESSING
    client.post(url, {**post, "confirm": "on"})
    dossier.refresh_from_db()
    assert dossier.state == State.PROCESSED
