"""The national-portal sync through the LGSP-shaped sandbox: a dossier whose every change
reaches the portal (one revision per change, in order); a portal that is down is retried with
back-off and each revision is kept there once; the reconciliation finds what differs (page and
command); the catalogue pull reports and takes the national names."""

import datetime as dt
import io

import pytest
from django.core.management import call_command
from django.urls import reverse
from sandbox.dvcqg import DEFAULT_CLIENT_ID, DEFAULT_CLIENT_SECRET, start_in_thread

from congso.accounts.tests.support import log_in
from congso.catalog.models import Procedure
from congso.onestop import services
from congso.onestop.models import PortalSyncMessage
from congso.onestop.portalsync import services as portalsync
from congso.onestop.portalsync.base import SyncError
from congso.onestop.portalsync.contrib.lgsp.plugin import Lgsp

from .conftest import monday_morning

pytestmark = pytest.mark.django_db
SECOND = dt.timedelta(seconds=1)


@pytest.fixture(scope="module")
def running():
    served = start_in_thread(port=0)
    yield served
    served.stop()


@pytest.fixture
def portal(running, settings):
    running.portal.held.clear()
    running.portal.revisions.clear()
    running.portal.fail_next = 0
    running.portal.reject.clear()
    settings.CONGSO_PORTAL_SYNC = "lgsp"
    settings.CONGSO_PORTAL_SYNC_URL = running.base_url
    settings.CONGSO_PORTAL_SYNC_CLIENT_ID = DEFAULT_CLIENT_ID
    settings.CONGSO_PORTAL_SYNC_CLIENT_SECRET = DEFAULT_CLIENT_SECRET
    return running.portal


@pytest.fixture
def received(demo, intake_for):
    """A birth registration received at the Nghi Long desk on a plain Monday at 08:00."""
    people = demo["people"]
    birth = Procedure.objects.get(code="1.001193")
    intake = intake_for(birth, demo["units"]["Xã Nghi Long"])
    return services.receive_at_desk(people["motcua.nghilong"], intake, now=monday_morning())


def _sync(at: dt.datetime) -> dict:
    portalsync.collect(now=at)
    return portalsync.drain(now=at)


def _pdf():
    import weasyprint
    from django.core.files.uploadedfile import SimpleUploadedFile

    from congso.core.uploads import check_file

    pdf = weasyprint.HTML(string="<p>Kết quả</p>").write_pdf()
    return check_file(SimpleUploadedFile("kq.pdf", pdf))


def test_every_change_of_a_dossier_reaches_the_portal(portal, demo, received):
    people = demo["people"]
    desk, clerk, leader = (
        people["motcua.nghilong"],
        people["congchuc.nghilong"],
        people["lanhdao.nghilong"],
    )
    code, at = received.code, monday_morning()
    _sync(at + SECOND)
    assert portal.held[code]["HoSo"]["TrangThaiHoSo"] == "2"
    dossier = services.transition(received, "start", actor=desk, now=at + dt.timedelta(minutes=10))
    _sync(at + dt.timedelta(minutes=10) + SECOND)
    services.attach_result(dossier, actor=clerk, title="Giấy khai sinh", file=_pdf())
    dossier.refresh_from_db()
    steps = [
        (clerk, "forward", {"opinion": "Đủ điều kiện"}),
        (leader, "approve", {}),
        (desk, "return_result", {"returned_to": "Nguyễn Thị Mai", "id_checked": True}),
    ]
    for hour, (who, name, extra) in enumerate(steps, start=1):
        moment = at + dt.timedelta(hours=hour)
        dossier = services.transition(dossier, name, actor=who, now=moment, **extra)
        _sync(moment + SECOND)
        assert portal.held[code]["HoSo"]["TrangThaiHoSo"] == str(dossier.national_status)
    held = portal.held[code]
    assert held["HoSo"]["TrangThaiHoSo"] == "10" and held["HoSo"]["NgayTra"]
    assert portal.revisions[code] == list(range(1, held["PhienBan"] + 1))
    assert held["PhienBan"] == dossier.events.count()
    assert not PortalSyncMessage.objects.exclude(state="sent").exists()
    assert portalsync.collect(now=at + dt.timedelta(hours=4)) == 0  # nothing new: nothing queued


def test_a_portal_that_is_down_is_retried_with_back_off_and_keeps_a_revision_once(portal, received):
    at = monday_morning() + SECOND
    portal.fail_next = 2
    portalsync.collect(now=at)
    assert portalsync.drain(now=at)["retry"] >= 1
    message = PortalSyncMessage.objects.get(dossier_code=received.code)
    assert message.next_attempt_at == at + dt.timedelta(seconds=60) and "503" in message.last_error
    assert portalsync.drain(now=at + dt.timedelta(seconds=30))["sent"] == 0  # not due yet
    later = at + dt.timedelta(seconds=61)
    while portal.fail_next:
        portalsync.drain(now=later)
        later += dt.timedelta(hours=1)
    portalsync.drain(now=later)
    message.refresh_from_db()
    assert message.state == "sent" and message.last_error == ""
    # the answer was lost: sending the same revision again changes nothing at the portal
    PortalSyncMessage.objects.filter(pk=message.pk).update(state="pending")
    assert portalsync.drain(now=later)["sent"] == 1
    assert portal.revisions[received.code] == [1]


def test_a_refused_revision_keeps_the_answer_is_listed_and_a_change_sends_it_again(
    client, portal, demo, received
):
    """The portal answers ``error_code`` "00" when it takes a record; any other code refuses it.
    The refusal is kept with the portal's code and message (not retried as it is), the sync page
    lists it, criterion 1.4 does not count the dossier; the dossier's next change queues a new
    revision, which the portal accepts once the cause is gone."""
    from congso.dashboard import store
    from congso.onestop import indicators766, reports

    code, at = received.code, monday_morning() + SECOND
    portal.reject[code] = "Mã đơn vị tiếp nhận không có trong danh mục của Cổng"
    assert _sync(at) == {"sent": 1, "retry": 0, "failed": 0}
    message = PortalSyncMessage.objects.get(dossier_code=code)
    assert (message.state, message.answer_code, message.answered_at) == ("refused", "01", at)
    assert message.answer_message == portal.reject[code] and code not in portal.held
    assert portalsync.drain(now=at + dt.timedelta(hours=2))["sent"] == 0  # not retried as it is

    log_in(client, demo["people"]["admin"])
    page = client.get(reverse("onestop:portal_sync")).content.decode()
    assert code in page and portal.reject[code] in page and "Cổng từ chối" in page

    nghi_long = demo["units"]["Xã Nghi Long"]
    day = monday_morning().date()
    period = reports.Period(day, day)
    ids = reports.unit_ids(nghi_long)
    assert indicators766.dossiers_behind("synced_to_portal", ids, period)[0] == set()

    del portal.reject[code]
    desk = demo["people"]["motcua.nghilong"]
    later = at + dt.timedelta(hours=1)
    services.transition(received, "start", actor=desk, now=later)
    assert _sync(later + SECOND)["sent"] == 1
    assert PortalSyncMessage.objects.get(dossier_code=code, revision=2).state == "sent"
    assert portal.held[code]["PhienBan"] == 2
    assert code not in client.get(reverse("onestop:portal_sync")).content.decode()
    assert indicators766.dossiers_behind("synced_to_portal", ids, period)[0] == {received.pk}
    store.refresh_stale()  # the answer marked the receipt day stale
    figures = store.onestop_figures(ids, day, day)
    assert figures["received_acknowledged"] == 1 == figures["received"]


def test_after_the_last_attempt_a_revision_is_marked_failed(portal, received, settings):
    settings.CONGSO_PORTAL_SYNC_MAX_ATTEMPTS = 1
    portal.fail_next = 1
    at = monday_morning() + SECOND
    portalsync.collect(now=at)
    assert portalsync.drain(now=at)["failed"] >= 1
    assert PortalSyncMessage.objects.get(dossier_code=received.code).state == "failed"


def test_reconciliation_finds_what_differs_on_the_page_and_in_the_command(
    client, portal, received, demo
):
    _sync(monday_morning() + SECOND)
    code = received.code
    others = sorted(c for c in portal.held if c != code)
    portal.held[code]["HoSo"]["TrangThaiHoSo"] = "9"
    portal.held["000.00.00.H00-260101-0001"] = {
        "PhienBan": 1,
        "HoSo": {"TrangThaiHoSo": "1"},
        "client": DEFAULT_CLIENT_ID,
    }
    for gone in others[:1]:
        del portal.held[gone]
    report = portalsync.reconcile()
    problems = {row[0]: row[-1] for row in report.rows}
    assert problems[code] == portalsync.STATUS
    assert problems["000.00.00.H00-260101-0001"] == portalsync.UNKNOWN
    assert all(problems[gone] == portalsync.MISSING for gone in others[:1])
    out = io.StringIO()
    call_command("portal_sync", "--reconcile", stdout=out)
    assert f"status\t{code}" in out.getvalue()

    log_in(client, demo["people"]["admin"])
    page = client.get(reverse("onestop:portal_sync"), {"reconcile": "1"}).content.decode()
    assert code in page and "Trạng thái trên Cổng khác" in page
    log_in(client, demo["people"]["motcua.nghilong"])
    assert client.get(reverse("onestop:portal_sync")).status_code == 403


def test_the_catalogue_pull_reports_and_takes_the_national_names(portal, demo):
    birth = Procedure.objects.get(code="1.001193")
    portal.catalogue[0]["TenTTHC"] = "Đăng ký khai sinh (tên mới trên Cổng)"
    out = io.StringIO()
    call_command("portal_sync", "--catalogue", stdout=out)
    text = out.getvalue()
    assert "mới\t9.999001" in text and "đổi tên\t1.001193" in text
    birth.refresh_from_db()
    assert birth.name != "Đăng ký khai sinh (tên mới trên Cổng)"
    call_command("portal_sync", "--catalogue", "--apply", stdout=io.StringIO())
    birth.refresh_from_db()
    assert birth.name == "Đăng ký khai sinh (tên mới trên Cổng)"


def test_the_plugin_refuses_bad_credentials_and_bad_records(running):
    wrong = Lgsp(running.base_url, DEFAULT_CLIENT_ID, "not-the-secret")
    with pytest.raises(SyncError, match="401"):
        wrong.holdings()
    right = Lgsp(running.base_url, DEFAULT_CLIENT_ID, DEFAULT_CLIENT_SECRET)
    with pytest.raises(SyncError, match="400"):
        right.push("X-1", 1, {"MaHoSo": "X-1"})
    with pytest.raises(SyncError, match="not set"):
        Lgsp("", "", "").catalogue()
    assert {entry.code for entry in right.catalogue()} >= {"1.001193", "9.999001"}


def test_the_portal_keeps_a_revision_once_and_never_goes_back(running):
    plugin = Lgsp(running.base_url, DEFAULT_CLIENT_ID, DEFAULT_CLIENT_SECRET)
    record = {"MaHoSo": "T-1", "MaTTHC": "1.001193", "NgayTiepNhan": "20260309080000"}
    plugin.push("T-1", 2, record | {"TrangThaiHoSo": "4"})
    plugin.push("T-1", 1, record | {"TrangThaiHoSo": "2"})  # late: older than what is held
    plugin.push("T-1", 2, record | {"TrangThaiHoSo": "4"})  # resent after a lost answer
    assert running.portal.revisions["T-1"] == [2, 1]
    assert plugin.holdings()["T-1"].revision == 2 and plugin.holdings()["T-1"].status == "4"
