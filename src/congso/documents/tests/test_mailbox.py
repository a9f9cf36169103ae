"""The official mailbox against a real IMAP server (a private Dovecot started for the tests) and
a real SMTP server (aiosmtpd): mails sent to the organ's document address wait for the clerk with
sender, authentication results and the file checker's verdicts, are kept once whatever the
number of runs, are registered through the .eml import with the .eml kept; dispatched documents
leave from the organ's official address."""

import os
from email.message import EmailMessage

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse
from sandbox.imap import Dovecot, available

from congso.accounts.models import Role
from congso.core import sealing
from congso.documents import mailbox, services
from congso.documents.models import ExchangeMessage, Mailbox, MailMessage
from congso.notify.services import drain_until_idle
from congso.signing.tests import support

pytestmark = [
    pytest.mark.django_db,
    pytest.mark.skipif(not available(), reason="dovecot-imapd is not installed (make deps)"),
    pytest.mark.slow,
]

ADDRESS = "vanban@xa-a.nghean.gov.vn"
PASSWORD = "mat-khau-ung-dung"
AUTH = (
    "mx.nghean.gov.vn; spf=pass smtp.mailfrom=snv@nghean.gov.vn; dkim=pass header.d=nghean.gov.vn"
)


def _port() -> int:
    """One port per test worker inside this worktree's range (8350…)."""
    worker = os.environ.get("PYTEST_XDIST_WORKER", "gw0").removeprefix("gw")
    return 8350 + int(worker or 0)


@pytest.fixture
def dovecot():
    server = Dovecot(_port())
    server.add_user(ADDRESS, PASSWORD)
    server.start()
    try:
        yield server
    finally:
        server.stop()


@pytest.fixture
def box(dovecot, tree, official_at):
    admin = official_at(tree["commune_a"], Role.UNIT_ADMIN, full_name="Quản Trị Xã")
    fields = {
        "address": ADDRESS,
        "host": dovecot.host,
        "port": dovecot.port,
        "security": Mailbox.Security.NONE,
        "username": ADDRESS,
    }
    return mailbox.save(admin, tree["commune_a"], fields, PASSWORD), admin


def _mail(to=ADDRESS, attachment=None, name="cv-tuyen-dung.pdf", subject="Công văn tuyển dụng"):
    message = EmailMessage()
    message["From"] = "Sở Nội vụ <snv@nghean.gov.vn>"
    message["To"] = to
    message["Subject"] = subject
    message["Authentication-Results"] = AUTH
    message["Message-ID"] = f"<{subject.encode().hex()[:20]}@nghean.gov.vn>"
    message.set_content("Kính gửi UBND xã")
    data = support.simple_pdf("Tuyen dung") if attachment is None else attachment
    message.add_attachment(data, maintype="application", subtype="pdf", filename=name)
    return message.as_bytes()


def test_the_password_is_sealed(box):
    stored, _admin = box
    assert PASSWORD not in stored.password
    assert sealing.unseal(stored.password, mailbox.PURPOSE) == PASSWORD


def test_mail_to_the_document_address_waits_for_the_clerk_once(box, dovecot, people):
    stored, _admin = box
    dovecot.append(ADDRESS, _mail())
    dovecot.append(ADDRESS, _mail(to="chutich@xa-a.nghean.gov.vn", subject="Thư riêng"))
    assert mailbox.fetch_all() == {"received": 1, "ignored": 1}
    assert mailbox.fetch_all() == {}  # the same UIDs are never kept twice
    dovecot.append(ADDRESS, _mail(subject="Công văn thứ hai"))
    assert mailbox.fetch_all() == {"received": 1}
    [first, _second] = mailbox.waiting(people["clerk_a"]).order_by("uid")
    assert "snv@nghean.gov.vn" in first.sender and first.authentication == AUTH
    assert first.attachments == [
        {"name": "cv-tuyen-dung.pdf", "size": first.attachments[0]["size"], "error": ""}
    ]
    assert not mailbox.waiting(people["clerk_b"]).exists()  # another commune's clerk
    document = mailbox.register(people["clerk_a"], first.pk)
    assert document.arrival_number == 1 and document.subject == "Công văn tuyển dụng"
    assert document.versions.get().name == "cv-tuyen-dung.pdf"
    first.refresh_from_db()
    assert first.state == MailMessage.State.REGISTERED and first.document == document
    with first.eml.open("rb") as handle:
        assert b"Authentication-Results" in handle.read()  # the evidence, as received
    with pytest.raises(ValidationError, match="đã được xử lý"):
        mailbox.register(people["clerk_a"], first.pk)
    assert stored.messages.count() == 3


def test_an_attachment_the_checker_refuses_is_shown_and_never_registered(box, dovecot, people):
    dovecot.append(ADDRESS, _mail(attachment=b"MZ\x90\x00 not a pdf", name="lenh.pdf"))
    mailbox.fetch_all()
    mail = MailMessage.objects.get()
    assert mail.attachments[0]["error"]
    with pytest.raises(ValidationError):
        mailbox.register(people["clerk_a"], mail.pk)
    mail.refresh_from_db()
    assert mail.state == MailMessage.State.RECEIVED and mail.document is None
    assert not services.visible_documents(people["clerk_a"]).exists()


def test_a_new_uidvalidity_is_read_afresh_and_a_clerk_elsewhere_is_refused(box, people):
    stored, _admin = box
    raw = _mail()
    assert mailbox.keep(stored, 7, 1, raw) == "received"
    assert mailbox.keep(stored, 7, 1, raw) == "duplicate"
    assert mailbox.keep(stored, 8, 1, raw) == "received"
    with pytest.raises(PermissionDenied):
        mailbox.register(people["clerk_b"], MailMessage.objects.first().pk)


def test_test_connection_reports_the_folder_or_the_refusal(box, tree):
    stored, admin = box
    assert mailbox.test_connection(admin, stored) == 0
    wrong = mailbox.save(admin, tree["commune_a"], {}, "sai-mat-khau")
    with pytest.raises(ValidationError, match="từ chối đăng nhập"):
        mailbox.test_connection(admin, wrong)
    wrong.refresh_from_db()
    assert "từ chối" in wrong.last_error
    assert mailbox.fetch_all() == {"unreachable": 1}


def test_the_admin_page_saves_and_tests_the_connection(box, client, tree, people, dovecot):
    stored, admin = box
    dovecot.append(ADDRESS, _mail())
    url = reverse("documents:mailbox", args=[tree["commune_a"].pk])
    client.force_login(admin)
    form = {
        "address": ADDRESS,
        "host": dovecot.host,
        "port": dovecot.port,
        "security": "none",
        "auth": "password",
        "username": ADDRESS,
        "folder": "INBOX",
        "active": "on",
        "test": "1",
    }
    response = client.post(url, form, follow=True)
    assert "thư mục INBOX có 1 thư" in response.content.decode()
    response = client.post(url, {**form, "port": 1}, follow=True)
    assert "Không kết nối được máy chủ thư" in response.content.decode()
    client.force_login(people["clerk_a"])
    assert client.get(url).status_code == 403


def test_the_clerk_registers_from_the_page(box, client, dovecot, people):
    dovecot.append(ADDRESS, _mail())
    mailbox.fetch_all()
    mail = MailMessage.objects.get()
    client.force_login(people["clerk_a"])
    page = client.get(reverse("documents:mail")).content.decode()
    assert "spf=pass" in page and "cv-tuyen-dung.pdf" in page
    eml = client.get(reverse("documents:mail_eml", args=[mail.pk]))
    assert eml["Content-Type"] == "application/octet-stream"
    response = client.post(reverse("documents:mail_register", args=[mail.pk]), {"doc_type": "CV"})
    mail.refresh_from_db()
    assert response.url == reverse("documents:detail", args=[mail.document.pk])


def test_a_dispatched_document_leaves_from_the_official_address(
    box, issued, smtp_settings, tree, official_at
):
    admin = official_at(tree["district"], Role.UNIT_ADMIN, full_name="Quản Trị Huyện")
    fields = {"address": "vanban@huyen.nghean.gov.vn", "host": "127.0.0.1", "port": 1}
    mailbox.save(admin, tree["district"], {**fields, "username": "vanban"}, "x")
    issued(external=[services.ExternalRecipient("Sở Nội vụ", "000.00.20.H40", "snv@nghean.gov.vn")])
    drain_until_idle()
    [mail] = [m for m in smtp_settings.messages if m["To"] == "snv@nghean.gov.vn"]
    assert mail["From"] == "vanban@huyen.nghean.gov.vn"
    assert any(part.get_filename() for part in mail.iter_attachments())


def test_a_recipient_the_exchange_axis_carries_gets_no_e_mail_copy(
    box, issued, smtp_settings, settings
):
    """Item 7: e-mail is for recipients without an exchange connection (no transport configured:
    the test above); one the axis carries receives the package there only (a second copy by
    mail would be registered twice)."""
    settings.CONGSO_EXCHANGE_TRANSPORT = "axis"
    settings.CONGSO_EXCHANGE_URL = "http://127.0.0.1:9/"  # nobody answers: it stays queued
    document = issued(
        external=[services.ExternalRecipient("Sở Nội vụ", "000.00.20.H40", "snv@nghean.gov.vn")]
    )
    drain_until_idle()
    assert "snv@nghean.gov.vn" not in {m["To"] for m in smtp_settings.messages}
    queued = ExchangeMessage.objects.filter(document=document).values_list("to_organ", flat=True)
    assert list(queued) == ["000.00.20.H40"]
