"""Limits on guessing a password or a second-factor code, and the audit trail of every failure.

The password is counted per account *and* client address (as django-axes does by default with
username + IP): five failures from one address lock that address out of that account for a while,
so a stranger who types wrong passwords on purpose cannot lock the real user out of their own
office. The second factor is counted per account alone: only someone who already has the password
reaches it, and a phone's six digits must not be guessable from many addresses.

Every failure and every lockout is written to the audit log.
"""

import datetime as dt

from django.conf import settings
from django.db import transaction
from django.utils import formats, timezone
from django.utils.translation import gettext as _

from congso.core import audit

from .models import Factor, Lockout, User


class LockedOut(Exception):
    """Too many failures: the attempt is refused unchecked until ``until``."""

    def __init__(self, until: dt.datetime):
        self.until = until
        super().__init__(self.message)

    @property
    def message(self) -> str:
        return _("Bạn đã nhập sai quá nhiều lần. Vui lòng thử lại sau %(time)s.") % {
            "time": formats.time_format(timezone.localtime(self.until), "H:i")
        }


def _where(factor: str, ip: str | None) -> str:
    return (ip or "") if factor == Factor.PASSWORD else ""


def check(user: User, factor: str, ip: str | None) -> None:
    """Raise ``LockedOut`` while ``user`` is locked out of ``factor`` (from ``ip``)."""
    until = (
        Lockout.objects.filter(
            user=user, factor=factor, ip=_where(factor, ip), locked_until__gt=timezone.now()
        )
        .values_list("locked_until", flat=True)
        .first()
    )
    if until is not None:
        raise LockedOut(until)


@transaction.atomic
def failed(user: User, factor: str, ip: str | None) -> None:
    """Count one failure (audited); the last one allowed starts a lockout (audited too)."""
    now = timezone.now()
    window = dt.timedelta(minutes=settings.LOGIN_LOCKOUT_MINUTES)
    row, _created = Lockout.objects.select_for_update().get_or_create(
        user=user, factor=factor, ip=_where(factor, ip)
    )
    if row.last_failure_at < now - window:
        row.failures = 0  # old failures are forgiven
    row.failures += 1
    row.last_failure_at = now
    audit.record("accounts.login.failure", user, data={"factor": factor, "failures": row.failures})
    if row.failures >= settings.LOGIN_MAX_FAILURES:
        row.failures, row.locked_until = 0, now + window
        audit.record(
            "accounts.login.lockout",
            user,
            data={"factor": factor, "ip": row.ip, "until": row.locked_until},
        )
    row.save()


def succeeded(user: User, factor: str, ip: str | None) -> None:
    Lockout.objects.filter(user=user, factor=factor, ip=_where(factor, ip)).delete()


def unknown_account(identifier: str) -> None:
    """A password tried for an account that does not exist (credential stuffing shows here)."""
    audit.record(
        "accounts.login.failure",
        object_type="accounts.user",
        object_id="-",
        object_repr=(identifier or "")[:150],
        data={"factor": Factor.PASSWORD, "reason": "unknown_account"},
    )
