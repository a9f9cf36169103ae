"""Official e-mail (thư điện tử công vụ): each organ's mailbox on the province's mail server.

Incoming: ``fetch`` (the beat job ``documents.tasks.mailbox_fetch``) reads the mailbox over IMAP
and keeps every new message once — idempotent on (mailbox, UIDVALIDITY, UID), so a run that dies
half-way or two runs at once never make two rows, and a mailbox rebuilt by its server (a new
UIDVALIDITY) is read afresh. A message sent to the organ's document address waits as an incoming
mail for the clerk, with its sender, its ``Authentication-Results`` (the province's server's
SPF/DKIM/DMARC verdict) and what the file checker says of each attachment; the ``.eml`` as
received is kept as the evidence. The clerk registers it through the same ``.eml`` import as an
uploaded one (``services.register_email``: same permission, same checks), or sets it aside.

Outgoing: documents dispatched by e-mail to recipients outside the platform leave from the
issuing organ's official address (``dispatch_sender``, plugged into the mail outbox), and the
outbox row is their log (``sent``).

Only an app password is supported today; OAuth2 (XOAUTH2) is recorded as the mailbox's choice
and refused with a clear message until a province's server offers it.
"""

from __future__ import annotations

import datetime as dt
import email
import email.policy
import hashlib
import imaplib
import logging
import ssl
from email.utils import getaddresses, parsedate_to_datetime
from typing import TYPE_CHECKING

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.base import ContentFile
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from congso.accounts import permissions
from congso.core import audit, sealing
from congso.core.uploads import check_content

from . import services
from .lifecycle import REGISTER
from .models import Mailbox, MailMessage

if TYPE_CHECKING:
    from congso.org.models import Unit

log = logging.getLogger(__name__)
MANAGE = "documents.manage_mailbox"
PURPOSE = "mailbox"
State = MailMessage.State
#: Headers that name who a message was delivered to (the envelope, when the server adds it).
_TO_HEADERS = ("to", "cc", "delivered-to", "x-original-to", "envelope-to")


class MailboxError(Exception):
    """The mail server could not be reached or refused us: nothing was read."""


# ---------------------------------------------------------------- the connection


def _tls() -> ssl.SSLContext:
    return ssl.create_default_context(cafile=settings.CONGSO_MAILBOX_CA_FILE or None)


def connect(mailbox: Mailbox) -> imaplib.IMAP4:
    """A logged-in IMAP session; ``MailboxError`` with a Vietnamese reason otherwise."""
    if mailbox.auth == Mailbox.Auth.OAUTH2:
        raise MailboxError(_("Xác thực OAuth2 với máy chủ thư chưa được hỗ trợ."))
    timeout = settings.CONGSO_MAILBOX_TIMEOUT
    try:
        if mailbox.security == Mailbox.Security.TLS:
            session = imaplib.IMAP4_SSL(
                mailbox.host, mailbox.port, ssl_context=_tls(), timeout=timeout
            )
        else:
            session = imaplib.IMAP4(mailbox.host, mailbox.port, timeout=timeout)
            if mailbox.security == Mailbox.Security.STARTTLS:
                session.starttls(ssl_context=_tls())
    except (OSError, imaplib.IMAP4.error) as exc:
        raise MailboxError(_("Không kết nối được máy chủ thư: %(e)s") % {"e": exc}) from exc
    try:
        session.login(mailbox.username, sealing.unseal(mailbox.password, PURPOSE))
    except (imaplib.IMAP4.error, ValueError, OSError) as exc:
        _close(session)
        raise MailboxError(_("Máy chủ thư từ chối đăng nhập: %(e)s") % {"e": exc}) from exc
    return session


def _close(session: imaplib.IMAP4) -> None:
    try:
        session.logout()
    except (imaplib.IMAP4.error, OSError):
        log.debug("IMAP logout failed", exc_info=True)


def _select(session: imaplib.IMAP4, folder: str) -> tuple[int, int]:
    """Open ``folder`` read-only: its UIDVALIDITY and message count."""
    status, data = session.select(f'"{folder}"', readonly=True)
    if status != "OK":
        raise MailboxError(_("Không mở được thư mục %(f)s.") % {"f": folder})
    _name, validity = session.response("UIDVALIDITY")
    return int(validity[0]), int(data[0] or 0)


def test_connection(user, mailbox: Mailbox) -> int:
    """Log in and open the folder, as the fetcher will: the number of messages it holds."""
    _require_admin(user, mailbox.unit)
    try:
        session = connect(mailbox)
        try:
            count = _select(session, mailbox.folder)[1]
        finally:
            _close(session)
    except (MailboxError, imaplib.IMAP4.error, OSError) as exc:
        _checked(mailbox, str(exc))
        raise ValidationError(str(exc), code="unreachable") from exc
    _checked(mailbox, "")
    return count


def _checked(mailbox: Mailbox, error: str) -> None:
    Mailbox.objects.filter(pk=mailbox.pk).update(checked_at=timezone.now(), last_error=error[:500])


# ---------------------------------------------------------------- administration


def _require_admin(user, unit: Unit) -> None:
    if not permissions.may(user, MANAGE, unit):
        raise PermissionDenied(_("Bạn không có quyền quản lý hộp thư công vụ của đơn vị này."))


def mailbox_of(unit: Unit) -> Mailbox | None:
    return Mailbox.objects.filter(unit=unit).first()


def save(user, unit: Unit, fields: dict, password: str = "") -> Mailbox:
    """Create or change ``unit``'s mailbox; a blank ``password`` keeps the sealed one."""
    _require_admin(user, unit)
    mailbox = mailbox_of(unit) or Mailbox(unit=unit)
    for name, value in fields.items():
        setattr(mailbox, name, value)
    if password:
        mailbox.password = sealing.seal(password, PURPOSE)
    if mailbox.auth == Mailbox.Auth.PASSWORD and not mailbox.password:
        raise ValidationError({"password": [_("Cần nhập mật khẩu ứng dụng của hộp thư.")]})
    with transaction.atomic():
        mailbox.save()
        audit.record(
            "documents.mailbox_saved",
            mailbox,
            unit_id=unit.pk,
            data={"host": mailbox.host, "port": mailbox.port, "address": mailbox.address},
        )
    return mailbox


# ---------------------------------------------------------------- fetching


def fetch_all(*, now: dt.datetime | None = None) -> dict[str, int]:
    """Every active mailbox once; an unreachable one is noted on it and the others go on."""
    counts: dict[str, int] = {}
    for mailbox in Mailbox.objects.filter(active=True).select_related("unit").order_by("pk"):
        try:
            for outcome, n in fetch(mailbox, now=now).items():
                counts[outcome] = counts.get(outcome, 0) + n
        except MailboxError as exc:
            log.warning("mailbox %s: %s", mailbox.address, exc)
            _checked(mailbox, str(exc))
            counts["unreachable"] = counts.get("unreachable", 0) + 1
    return counts


def fetch(mailbox: Mailbox, *, now: dt.datetime | None = None) -> dict[str, int]:
    """Keep the messages not yet kept (UIDs above the highest one seen under this UIDVALIDITY)."""
    now = now or timezone.now()
    session = connect(mailbox)
    counts: dict[str, int] = {}
    try:
        validity, _count = _select(session, mailbox.folder)
        seen = (
            MailMessage.objects.filter(mailbox=mailbox, uidvalidity=validity)
            .order_by("-uid")
            .values_list("uid", flat=True)
            .first()
            or 0
        )
        status, data = session.uid("SEARCH", None, f"UID {seen + 1}:*")
        if status != "OK":
            raise MailboxError(_("Máy chủ thư không trả lời lệnh tìm thư."))
        for uid in sorted(int(u) for u in (data[0] or b"").split() if int(u) > seen):
            status, parts = session.uid("FETCH", str(uid), "(BODY.PEEK[])")
            raw = next((p[1] for p in parts if isinstance(p, tuple)), None)
            if status != "OK" or raw is None:
                raise MailboxError(_("Không đọc được thư UID %(uid)s.") % {"uid": uid})
            outcome = keep(mailbox, validity, uid, raw, now=now)
            counts[outcome] = counts.get(outcome, 0) + 1
    except (TimeoutError, imaplib.IMAP4.error, OSError) as exc:
        raise MailboxError(_("Lỗi khi đọc hộp thư: %(e)s") % {"e": exc}) from exc
    finally:
        _close(session)
    _checked(mailbox, "")
    return counts


def _addressed_to(message, address: str) -> bool:
    values = [str(v) for name in _TO_HEADERS for v in (message.get_all(name) or [])]
    return address.lower() in {a.lower() for _name, a in getaddresses(values)}


def _attachments(message) -> list[dict]:
    """What the file checker says of each attachment, shown to the clerk before registering."""
    found = []
    for part in message.iter_attachments():
        name = part.get_filename() or "tep-dinh-kem"
        data = part.get_payload(decode=True) or b""
        try:
            check_content(data, name, allowed=services.VERSION_TYPES)
            error = ""
        except ValidationError as exc:
            error = "; ".join(exc.messages)
        found.append({"name": name, "size": len(data), "error": error})
    return found


def _sent_at(message) -> dt.datetime | None:
    try:
        return parsedate_to_datetime(str(message["date"])) if message["date"] else None
    except (TypeError, ValueError):
        return None


def keep(mailbox: Mailbox, validity: int, uid: int, raw: bytes, *, now=None) -> str:
    """Store one message once: ``received`` (for the clerk), ``ignored`` (not sent to the
    document address) or ``duplicate`` (kept before)."""
    if MailMessage.objects.filter(mailbox=mailbox, uidvalidity=validity, uid=uid).exists():
        return "duplicate"
    message = email.message_from_bytes(raw, policy=email.policy.default)
    addressed = _addressed_to(message, mailbox.address)
    row = MailMessage(
        mailbox=mailbox,
        uidvalidity=validity,
        uid=uid,
        message_id=str(message["message-id"] or "")[:300],
        sender=str(message["from"] or "")[:300],
        subject=str(message["subject"] or "")[:500],
        sent_at=_sent_at(message),
        authentication="\n".join(str(v) for v in message.get_all("authentication-results") or []),
        attachments=_attachments(message) if addressed else [],
        sha256=hashlib.sha256(raw).hexdigest(),
        state=State.RECEIVED if addressed else State.IGNORED,
        received_at=now or timezone.now(),
    )
    row.eml.save(f"{mailbox.unit_id}-{validity}-{uid}.eml", ContentFile(raw), save=False)
    try:
        with transaction.atomic():
            row.save()
            audit.record(
                "documents.mail_received",
                row,
                unit_id=mailbox.unit_id,
                data={"sender": row.sender, "sha256": row.sha256, "state": row.state},
            )
    except IntegrityError:
        row.eml.delete(save=False)
        return "duplicate"
    return row.state


# ---------------------------------------------------------------- the clerk


def waiting(user):
    """Mails waiting to be registered at the organs where ``user`` registers documents."""
    organs = permissions.organs_for(user, REGISTER)
    return MailMessage.objects.filter(
        state=State.RECEIVED, mailbox__unit__in=organs
    ).select_related("mailbox__unit")


def _locked(user, pk: int) -> MailMessage:
    message = (
        MailMessage.objects.select_for_update()
        .select_related("mailbox__unit")
        .filter(pk=pk)
        .first()
    )
    if message is None or not permissions.acts_for(user, REGISTER, message.mailbox.unit):
        raise PermissionDenied(_("Bạn không có quyền vào sổ thư này."))
    if message.state != State.RECEIVED:
        raise ValidationError(_("Thư này đã được xử lý trước đó."), code="done")
    return message


def register(user, pk: int, *, doc_type: str = "CV"):
    """Register the mail as an incoming document through the ``.eml`` import; the ``.eml``
    stays with the mail row as the evidence."""
    with transaction.atomic():
        message = _locked(user, pk)
        with message.eml.open("rb") as handle:
            raw = handle.read()
        document = services.register_email(message.mailbox.unit, raw, actor=user, doc_type=doc_type)
        message.state, message.document = State.REGISTERED, document
        message.save(update_fields=["state", "document"])
    return document


def dismiss(user, pk: int) -> MailMessage:
    """Set a mail aside (advertising, a duplicate): it stays, with its ``.eml``, in the log."""
    with transaction.atomic():
        message = _locked(user, pk)
        message.state = State.DISMISSED
        message.save(update_fields=["state"])
        audit.record("documents.mail_dismissed", message, unit_id=message.mailbox.unit_id, data={})
    return message


def evidence(user, pk: int) -> MailMessage:
    """A mail whose ``.eml`` ``user`` may download (a clerk of its organ)."""
    message = MailMessage.objects.select_related("mailbox__unit").filter(pk=pk).first()
    if message is None or not permissions.acts_for(user, REGISTER, message.mailbox.unit):
        raise PermissionDenied(_("Bạn không có quyền xem thư này."))
    return message


# ---------------------------------------------------------------- outgoing


def dispatch_sender(notification) -> str | None:
    """The From of a dispatched document's e-mail: the issuing organ's official address when
    it has an active mailbox (the organ is named in the notification's context)."""
    organ_id = notification.context.get("organ_id")
    if organ_id is None:
        return None
    return (
        Mailbox.objects.filter(active=True, unit_id=organ_id)
        .values_list("address", flat=True)
        .first()
    )
