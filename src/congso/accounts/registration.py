"""Creating a citizen's own account, once the portal has confirmed their phone or e-mail.

The portal collects and confirms the data (one-time code); this module is the only code that
turns it into a ``User``, so the uniqueness rules of accounts stay in the accounts app.

A one-time code proves the phone or e-mail, not who the person is: the ID number typed here is
kept only as *declared* (a hint for the desk), never as the account's number and never as its
login name. Only VNeID or an official checking the card binds a number (``services``), so
nobody can register first with someone else's number and wait for their data.
"""

import secrets

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from congso.core import audit

from .identity import normalise_phone, validate_id_number
from .models import User, UserKind


def check_free(*, contact: str) -> None:
    """Refuse a phone / e-mail already used by another account. A typed ID number is not
    checked: saying it has an account would tell a stranger so."""
    lookup = {"email__iexact": contact} if "@" in contact else {"phone": contact}
    if User.objects.filter(**lookup).exists():
        raise ValidationError(
            {"contact": [_("Số điện thoại hoặc thư điện tử này đã được dùng cho tài khoản khác.")]}
        )


def clean_contact(value: str) -> str:
    """A phone number in E.164, or an e-mail address in lower case."""
    value = (value or "").strip()
    if "@" in value:
        from django.core.validators import validate_email

        try:
            validate_email(value)
        except ValidationError as exc:
            raise ValidationError(_("Thư điện tử không hợp lệ."), code="email") from exc
        return value.lower()
    if not value:
        raise ValidationError(_("Nhập số điện thoại hoặc thư điện tử."), code="required")
    return normalise_phone(value)


@transaction.atomic
def register_citizen(*, full_name: str, id_number: str, contact: str, password_hash: str) -> User:
    """Create the citizen account, its ID number only declared; ``contact`` has been confirmed
    by a one-time code."""
    declared = validate_id_number(id_number, allow_old=False) if id_number else ""
    check_free(contact=contact)
    is_email = "@" in contact
    user = User(
        username=f"cd-{secrets.token_hex(6)}",
        kind=UserKind.CITIZEN,
        full_name=full_name.strip(),
        declared_id_number=declared,
        email=contact if is_email else "",
        phone=None if is_email else contact,
        password=password_hash,
    )
    user.save()
    audit.record("accounts.register_citizen", user, data={"via": "email" if is_email else "phone"})
    return user
