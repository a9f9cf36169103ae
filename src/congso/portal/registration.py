"""Registering a citizen account with a one-time code sent to their phone or e-mail.

The code is six digits, valid ``CODE_MINUTES`` minutes, tried at most ``MAX_ATTEMPTS`` times, and
sending is rate-limited per address and per client so nobody can flood a phone with texts.
"""

import datetime as dt
import secrets

from django.contrib.auth import password_validation
from django.contrib.auth.hashers import check_password, make_password
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from congso.accounts import registration as accounts
from congso.accounts.identity import validate_id_number
from congso.core import ratelimit
from congso.notify.services import notify

from .models import PendingRegistration

CODE_MINUTES = 10
MAX_ATTEMPTS = 5
SENDS_PER_ADDRESS = 3  # per SEND_WINDOW
SENDS_PER_CLIENT = 10
SEND_WINDOW = 15 * 60


class TooMany(Exception):
    """Too many codes asked for or too many wrong codes; the message says what to do."""


def _clean(full_name, id_number, contact, password, password2) -> tuple[str, str, str]:
    errors: dict[str, list[str]] = {}
    if not (full_name or "").strip():
        errors["full_name"] = [_("Nhập họ và tên.")]
    try:
        # optional and only declared: VNeID or the desk proves the number later
        id_number = validate_id_number(id_number, allow_old=False) if id_number else ""
    except ValidationError as exc:
        errors["id_number"] = exc.messages
    try:
        contact = accounts.clean_contact(contact)
    except ValidationError as exc:
        errors["contact"] = exc.messages
    if not password:
        errors["password"] = [_("Nhập mật khẩu.")]
    else:
        try:
            password_validation.validate_password(password)
        except ValidationError as exc:
            errors["password"] = exc.messages
        if password != password2:
            errors["password2"] = [_("Hai mật khẩu không giống nhau.")]
    if not errors:
        try:
            accounts.check_free(contact=contact)
        except ValidationError as exc:
            errors.update(exc.message_dict)
    if errors:
        raise ValidationError(errors)
    return full_name.strip(), id_number, contact


def _send(pending: PendingRegistration, code: str, client: str) -> None:
    if not (
        ratelimit.allow(f"otp:{pending.contact}", SENDS_PER_ADDRESS, SEND_WINDOW)
        and ratelimit.allow(f"otp-client:{client}", SENDS_PER_CLIENT, SEND_WINDOW)
    ):
        raise TooMany(_("Bạn đã yêu cầu gửi mã quá nhiều lần; vui lòng thử lại sau 15 phút."))
    notify(
        pending.contact,
        "account.otp",
        {
            "code": code,
            "minutes": CODE_MINUTES,
            "name": pending.full_name,
            "purpose": _("đăng ký tài khoản"),
        },
    )


def start(*, full_name, id_number, contact, password, password2, client="") -> PendingRegistration:
    """Check the data and send a code; nothing is created until the code comes back."""
    full_name, id_number, contact = _clean(full_name, id_number, contact, password, password2)
    code = f"{secrets.randbelow(10**6):06d}"
    with transaction.atomic():
        pending = PendingRegistration.objects.create(
            full_name=full_name,
            id_number=id_number,
            contact=contact,
            password_hash=make_password(password),
            code_hash=make_password(code),
            expires_at=timezone.now() + dt.timedelta(minutes=CODE_MINUTES),
        )
        _send(pending, code, client)
    return pending


def resend(pending: PendingRegistration, client: str = "") -> None:
    code = f"{secrets.randbelow(10**6):06d}"
    with transaction.atomic():
        _send(pending, code, client)
        pending.code_hash = make_password(code)
        pending.expires_at = timezone.now() + dt.timedelta(minutes=CODE_MINUTES)
        pending.attempts = 0
        pending.save(update_fields=["code_hash", "expires_at", "attempts"])


def confirm(pending: PendingRegistration, code: str):
    """Check the code; on success create the account and forget the pending row."""
    if pending.attempts >= MAX_ATTEMPTS:
        raise TooMany(_("Bạn đã nhập sai mã quá nhiều lần; hãy yêu cầu gửi mã mới."))
    if timezone.now() > pending.expires_at:
        raise ValidationError({"code": [_("Mã đã hết hạn; hãy yêu cầu gửi mã mới.")]})
    code = (code or "").strip()
    if not check_password(code, pending.code_hash):
        PendingRegistration.objects.filter(pk=pending.pk).update(attempts=pending.attempts + 1)
        pending.attempts += 1
        left = MAX_ATTEMPTS - pending.attempts
        raise ValidationError(
            {"code": [_("Mã xác thực không đúng; còn %(n)s lần thử.") % {"n": left}]}
        )
    with transaction.atomic():
        user = accounts.register_citizen(
            full_name=pending.full_name,
            id_number=pending.id_number,
            contact=pending.contact,
            password_hash=pending.password_hash,
        )
        pending.delete()
    return user
