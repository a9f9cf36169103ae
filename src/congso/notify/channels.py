"""Handing one outbox row to the outside world: e-mail through Django's mail API, SMS through the
configured provider. Nothing here touches the database; ``services.drain`` records outcomes."""

import base64
import contextlib
import smtplib
from email.utils import parseaddr

from django.conf import settings
from django.core.mail import EmailMessage, get_connection

from .models import Channel, Notification
from .sms.base import SmsRejected
from .sms.registry import get_provider as sms_provider


class PermanentFailure(Exception):
    """Retrying cannot deliver this message (the address or content is refused)."""


def message_domain() -> str:
    """The domain of the sender address, used to build stable Message-IDs."""
    address = parseaddr(settings.DEFAULT_FROM_EMAIL)[1]
    return address.rpartition("@")[2] or "congso.local"


#: template → function(notification) giving the address an e-mail leaves from (``None``: the
#: platform's own ``DEFAULT_FROM_EMAIL``). The app that owns the template plugs it in at start-up
#: (``documents`` sends dispatched documents from the issuing organ's official mailbox).
SENDERS: dict = {}


def provide_sender(template: str, function) -> None:
    """Let ``function(notification)`` choose the From address of ``template``'s e-mails."""
    SENDERS[template] = function


def sender(notification: Notification) -> str:
    choose = SENDERS.get(notification.template)
    return (choose(notification) if choose else None) or settings.DEFAULT_FROM_EMAIL


def reference(notification: Notification) -> str:
    """Same on every retry of one notification, so a receiver can drop a duplicate delivery."""
    return f"congso-notification-{notification.pk}"


def build_email(notification: Notification) -> EmailMessage:
    message = EmailMessage(
        subject=notification.subject,
        body=notification.body,
        from_email=sender(notification),
        to=[notification.address],
        headers={"Message-ID": f"<{reference(notification)}@{message_domain()}>"},
    )
    for item in notification.attachments:
        message.attach(
            item["filename"], base64.b64decode(item["base64"]), item.get("content_type") or None
        )
    return message


def _is_permanent_smtp_error(exc: Exception) -> bool:
    if isinstance(exc, smtplib.SMTPRecipientsRefused):
        return True
    return isinstance(exc, smtplib.SMTPDataError) and exc.smtp_code >= 500


class Senders:
    """The channels for one drain run: one mail connection reused across rows and reopened after
    an error, one SMS provider instance."""

    def __init__(self):
        self._mail = None
        self._sms = None

    def send(self, notification: Notification) -> str:
        """Deliver and return the provider's message id; raise to report a failure."""
        if notification.channel == Channel.EMAIL:
            return self._send_email(notification)
        if notification.channel == Channel.SMS:
            return self._send_sms(notification)
        return ""

    def _send_email(self, notification: Notification) -> str:
        message = build_email(notification)
        try:
            if self._mail is None:
                self._mail = get_connection(fail_silently=False)
                self._mail.open()
            delivered = self._mail.send_messages([message])
        except Exception as exc:
            self.close()
            if _is_permanent_smtp_error(exc):
                raise PermanentFailure(f"{type(exc).__name__}: {exc}") from exc
            raise
        if not delivered:
            raise RuntimeError("Máy chủ thư không nhận thư (0 thư được gửi).")
        return message.extra_headers["Message-ID"]

    def _send_sms(self, notification: Notification) -> str:
        if self._sms is None:
            self._sms = sms_provider()
        try:
            return self._sms.send(
                notification.address, notification.body, reference=reference(notification)
            )
        except SmsRejected as exc:
            raise PermanentFailure(str(exc)) from exc

    def close(self) -> None:
        if self._mail is not None:
            mail, self._mail = self._mail, None
            with contextlib.suppress(Exception):  # a broken connection is dropped anyway
                mail.close()
