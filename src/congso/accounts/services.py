"""The only code that changes accounts and positions. Each change runs in one transaction and is
audited with the unit it concerns, so a unit administrator reads it in their part of the log.

Rules of people administration (action ``accounts.manage_people``):

* an administrator acts only at units in their scope (``permissions.acting_units``);
* only a system administrator grants ``system_admin``; a unit administrator may grant any other
  role, ``unit_admin`` included, but only at units in their own scope;
* account-wide changes (deactivate, unlock, reset the second factor) need every position the
  person holds to be within the administrator's reach, so the admin of commune A cannot lock out
  someone who also works at commune B, nor a system administrator;
* nobody changes their own account or positions here.
"""

from __future__ import annotations

import datetime as dt
import re
import secrets
import string
from importlib import import_module
from typing import TYPE_CHECKING

from django.conf import settings
from django.contrib.auth.password_validation import (
    get_default_password_validators,
    validate_password,
)
from django.core.exceptions import ImproperlyConfigured, PermissionDenied, ValidationError
from django.core.validators import validate_email
from django.db import IntegrityError, transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _
from rest_framework.authtoken.models import Token

from congso.core import audit
from congso.org.models import Unit

from . import identity, permissions, totp
from .models import EidSession, IdProof, Position, Role, User, UserKind

if TYPE_CHECKING:
    from .eid import EidIdentity

ACTION = "accounts.manage_people"
#: An official checks a citizen's identity card at the desk and proves the account's ID number.
PROVE_ACTION = "accounts.prove_identity"
USERNAME_RE = re.compile(r"^[a-z0-9][a-z0-9._-]{2,149}$")
PASSWORD_SYMBOLS = "!@#$%*+-=?_"


# --- who may do what -----------------------------------------------------------------------


def second_factor_verified(request) -> bool:
    """Has this session passed the second factor (TOTP)? Pages that change keys or seals ask
    it themselves, not only through ``SecondFactorMiddleware``."""
    from .middleware import SESSION_KEY

    return bool(request.session.get(SESSION_KEY))


def grantable_roles(user: User) -> list[str]:
    """Roles ``user`` may hand out (at units in their scope)."""
    if user.is_superuser or Role.SYSTEM_ADMIN in permissions.held_roles(user):
        return list(Role.values)
    if permissions.may(user, ACTION):
        return [role for role in Role.values if role != Role.SYSTEM_ADMIN]
    return []


def grantable_units(user: User):
    """Units where ``user`` may give positions: in scope and not retired."""
    return permissions.acting_units(user, ACTION).filter(valid_until__isnull=True)


def may_grant(user: User, role: str, unit: Unit) -> bool:
    return (
        role in grantable_roles(user)
        and not unit.is_retired
        and permissions.may(user, ACTION, unit)
    )


def visible_people(user: User):
    """Officials ``user`` administers: a current position in scope, or, for people with no
    current position, any past one in scope (so a leaver can still be deactivated)."""
    officials = User.objects.filter(kind=UserKind.OFFICIAL)
    if user.is_superuser:
        return officials
    scope = permissions.acting_units(user, ACTION)
    current = Position.objects.current()
    return officials.filter(
        Q(pk__in=current.filter(unit__in=scope).values("user"))
        | (
            Q(pk__in=Position.objects.filter(unit__in=scope).values("user"))
            & ~Q(pk__in=current.values("user"))
        )
    )


def may_manage_account(user: User, person: User) -> bool:
    """May ``user`` deactivate, unlock or reset the second factor of ``person``?"""
    if person.pk == user.pk or not person.is_official:
        return False
    if user.is_superuser:
        return True
    if person.is_superuser or not visible_people(user).filter(pk=person.pk).exists():
        return False
    roles = grantable_roles(user)
    scope = set(permissions.acting_units(user, ACTION).values_list("pk", flat=True))
    return all(p.role in roles and p.unit_id in scope for p in person.positions.current())


def _require_visible(actor: User, person: User) -> None:
    if person.pk == actor.pk:
        raise PermissionDenied(_("Bạn không thể tự thay đổi tài khoản, chức danh của mình."))
    if not visible_people(actor).filter(pk=person.pk).exists():
        raise PermissionDenied


def _require_account(actor: User, person: User) -> None:
    if not may_manage_account(actor, person):
        raise PermissionDenied


def _require_grant(actor: User, role: str, unit: Unit) -> None:
    unit.refresh_from_db(fields=["valid_until"])
    if unit.is_retired:
        raise ValidationError(
            {"unit": _("Không thể giao chức danh tại đơn vị đã giải thể hoặc sáp nhập.")}
        )
    if not may_grant(actor, role, unit):
        raise PermissionDenied


def _audit_unit(actor: User, person: User) -> int | None:
    """The unit an account-wide change is logged under: one the administrator manages."""
    positions = list(person.positions.current()) or list(person.positions.all())
    scope = set(permissions.acting_units(actor, ACTION).values_list("pk", flat=True))
    in_scope = [p.unit_id for p in positions if p.unit_id in scope]
    chosen = in_scope or [p.unit_id for p in positions]
    return chosen[0] if chosen else None


# --- checks on what people type -------------------------------------------------------------


def generate_password(user: User | None = None, length: int = 14) -> str:
    """A random password that satisfies every configured validator (shown to the admin once).

    It is at least as long as the longest configured minimum; a configuration that random
    passwords cannot meet is reported instead of looping.
    """
    validators = get_default_password_validators()
    length = max([length, *(getattr(v, "min_length", 0) for v in validators)])
    letters = string.ascii_letters.translate(str.maketrans("", "", "lIO"))
    digits = "23456789"
    everything = letters + digits + PASSWORD_SYMBOLS
    for _attempt in range(100):
        chars = [
            secrets.choice(string.ascii_lowercase),
            secrets.choice(string.ascii_uppercase),
            secrets.choice(digits),
            secrets.choice(PASSWORD_SYMBOLS),
        ] + [secrets.choice(everything) for _ in range(length - 4)]
        secrets.SystemRandom().shuffle(chars)
        password = "".join(chars)
        try:
            validate_password(password, user, validators)
        except ValidationError:
            continue
        return password
    raise ImproperlyConfigured("AUTH_PASSWORD_VALIDATORS reject every random password")


def _clean_username(value: str, errors: dict) -> str:
    username = (value or "").strip().lower()
    if not USERNAME_RE.match(username):
        errors["username"] = _(
            "Tên đăng nhập gồm 3–150 ký tự: chữ thường không dấu, chữ số và các dấu . _ -, "
            "bắt đầu bằng chữ hoặc số."
        )
    elif username.isdigit():
        errors["username"] = _(
            "Tên đăng nhập không được chỉ gồm chữ số (dễ nhầm với số điện thoại, số định danh)."
        )
    elif User.objects.filter(username__iexact=username).exists():
        errors["username"] = _("Tên đăng nhập này đã có người dùng.")
    return username


def _clean_email(value: str, errors: dict) -> str:
    email = (value or "").strip().lower()
    if not email:
        return ""
    try:
        validate_email(email)
    except ValidationError:
        errors["email"] = _("Địa chỉ e-mail không hợp lệ.")
        return email
    if User.objects.filter(email__iexact=email).exists():
        errors["email"] = _("E-mail này đã được dùng cho tài khoản khác.")
    return email


def _clean_phone(value: str, errors: dict) -> str | None:
    if not (value or "").strip():
        return None
    try:
        phone = identity.normalise_phone(value)
    except ValidationError as error:
        errors["phone"] = error.messages
        return None
    if User.objects.filter(phone=phone).exists():
        errors["phone"] = _("Số điện thoại này đã được dùng cho tài khoản khác.")
    return phone


def _check_dates(position_from: dt.date, unit: Unit) -> None:
    if position_from < unit.valid_from:
        raise ValidationError(
            {
                "valid_from": _("Ngày bắt đầu không được trước ngày đơn vị có hiệu lực (%(date)s).")
                % {"date": unit.valid_from.strftime("%d/%m/%Y")}
            }
        )


# --- changes --------------------------------------------------------------------------------


@transaction.atomic
def create_official(
    *,
    actor: User,
    username: str,
    full_name: str,
    unit: Unit,
    role: str,
    email: str = "",
    phone: str = "",
    password: str | None = None,
    title: str = "",
    valid_from: dt.date | None = None,
) -> tuple[User, str | None]:
    """Create an official with a first position; returns the user and the generated password
    (``None`` when the administrator typed one)."""
    _require_grant(actor, role, unit)
    errors: dict = {}
    full_name = " ".join((full_name or "").split())
    if not full_name:
        errors["full_name"] = _("Hãy nhập họ và tên.")
    user = User(
        username=_clean_username(username, errors),
        full_name=full_name,
        email=_clean_email(email, errors),
        phone=_clean_phone(phone, errors),
        kind=UserKind.OFFICIAL,
    )
    generated = None
    if password:
        try:
            validate_password(password, user)
        except ValidationError as error:
            errors["password"] = error.messages
    if errors:
        raise ValidationError(errors)
    if not password:
        password = generated = generate_password(user)
    valid_from = valid_from or timezone.localdate()
    _check_dates(valid_from, unit)
    user.set_password(password)
    user.must_change_password = True  # the administrator knows it: the official replaces it
    try:
        with transaction.atomic():
            user.save()
    except IntegrityError as error:
        raise ValidationError(
            _("Tên đăng nhập, e-mail hoặc số điện thoại vừa được dùng cho tài khoản khác.")
        ) from error
    position = Position.objects.create(
        user=user, unit=unit, role=role, title=title.strip(), valid_from=valid_from
    )
    audit.record(
        "accounts.official.create",
        user,
        unit_id=unit.pk,
        data={"username": user.username, "password_generated": generated is not None},
    )
    _audit_position("accounts.position.add", position)
    return user, generated


def _audit_position(action: str, position: Position, **extra) -> None:
    audit.record(
        action,
        position,
        unit_id=position.unit_id,
        data={
            "user": position.user_id,
            "role": position.role,
            "valid_from": position.valid_from,
            "valid_until": position.valid_until,
            **extra,
        },
    )


@transaction.atomic
def add_position(
    person: User,
    *,
    actor: User,
    unit: Unit,
    role: str,
    title: str = "",
    valid_from: dt.date | None = None,
) -> Position:
    """Give ``person`` a role at ``unit``; a role they held there before is opened again."""
    _require_visible(actor, person)
    _require_grant(actor, role, unit)
    valid_from = valid_from or timezone.localdate()
    _check_dates(valid_from, unit)
    earlier = Position.objects.select_for_update().filter(user=person, unit=unit, role=role).first()
    if earlier is None:
        position = Position.objects.create(
            user=person, unit=unit, role=role, title=title.strip(), valid_from=valid_from
        )
        _audit_position("accounts.position.add", position)
        return position
    if earlier.valid_until is None or earlier.valid_until >= valid_from:
        raise ValidationError(
            _("Cán bộ đang giữ vai trò này tại đơn vị này (hoặc chưa hết hạn trước ngày bắt đầu).")
        )
    previous = [earlier.valid_from, earlier.valid_until]
    earlier.valid_from, earlier.valid_until, earlier.title = valid_from, None, title.strip()
    earlier.save(update_fields=["valid_from", "valid_until", "title"])
    _audit_position("accounts.position.reopen", earlier, previous=previous)
    return earlier


@transaction.atomic
def end_position(position: Position, *, actor: User, on: dt.date | None = None) -> Position:
    """The position ends after ``on`` (today by default); the row stays as history."""
    position = Position.objects.select_for_update().select_related("unit").get(pk=position.pk)
    _require_visible(actor, position.user)
    if position.role not in grantable_roles(actor) or not permissions.may(
        actor, ACTION, position.unit
    ):
        raise PermissionDenied
    on = on or timezone.localdate()
    if position.valid_until is not None:
        raise ValidationError(
            _("Chức danh này đã có ngày kết thúc %(date)s.")
            % {"date": position.valid_until.strftime("%d/%m/%Y")}
        )
    if on < position.valid_from:
        raise ValidationError(
            {
                "on": _("Ngày kết thúc không được trước ngày bắt đầu (%(date)s).")
                % {"date": position.valid_from.strftime("%d/%m/%Y")}
            }
        )
    position.valid_until = on
    position.save(update_fields=["valid_until"])
    _audit_position("accounts.position.end", position)
    return position


def _locked_person(person: User) -> User:
    return User.objects.select_for_update().get(pk=person.pk)


@transaction.atomic
def deactivate(person: User, *, actor: User) -> User:
    """Close the account: no login, no API token (its sessions stop authenticating)."""
    _require_account(actor, person)
    person = _locked_person(person)
    if not person.is_active:
        raise ValidationError(_("Tài khoản này đã bị vô hiệu hoá."))
    person.is_active = False
    person.save(update_fields=["is_active"])
    Token.objects.filter(user=person).delete()
    audit.record("accounts.user.deactivate", person, unit_id=_audit_unit(actor, person))
    return person


@transaction.atomic
def reactivate(person: User, *, actor: User) -> User:
    _require_account(actor, person)
    person = _locked_person(person)
    if person.is_active:
        raise ValidationError(_("Tài khoản này đang hoạt động."))
    person.is_active = True
    person.save(update_fields=["is_active"])
    audit.record("accounts.user.reactivate", person, unit_id=_audit_unit(actor, person))
    return person


@transaction.atomic
def reset_lockout(person: User, *, actor: User) -> User:
    """Lift a lockout after failed logins before its time runs out."""
    _require_account(actor, person)
    person = _locked_person(person)
    if not person.lockouts.exists():
        raise ValidationError(_("Tài khoản hiện không bị tạm khoá."))
    person.lockouts.all().delete()
    audit.record("accounts.user.unlock", person, unit_id=_audit_unit(actor, person))
    return person


@transaction.atomic
def reset_totp(person: User, *, actor: User) -> User:
    """Forget the second-factor key (a lost phone): the person enrols again at next login."""
    _require_account(actor, person)
    person = _locked_person(person)
    if not person.totp_secret and not person.totp_confirmed:
        raise ValidationError(_("Tài khoản chưa đăng ký xác thực hai lớp."))
    person.totp_secret, person.totp_confirmed = "", False
    person.save(update_fields=["totp_secret", "totp_confirmed"])
    person.recovery_codes.all().delete()
    audit.record("accounts.user.reset_totp", person, unit_id=_audit_unit(actor, person))
    return person


# --- one's own account ----------------------------------------------------------------------


@transaction.atomic
def change_password(user: User, new_password: str) -> User:
    """``user`` replaces their password (already checked against the validators by the form).

    Every API token goes; every other session ends by itself, since Django checks each session
    against a hash of the password (the view keeps the current one with update_session_auth_hash).
    """
    user = _locked_person(user)
    user.set_password(new_password)
    user.must_change_password = False
    user.password_changed_at = timezone.now()
    user.save(update_fields=["password", "must_change_password", "password_changed_at"])
    Token.objects.filter(user=user).delete()
    audit.record("accounts.password.change", user)
    return user


@transaction.atomic
def confirm_totp(user: User) -> list[str]:
    """The first valid code confirms enrolment; returns the recovery codes (shown once)."""
    user = _locked_person(user)
    user.totp_confirmed = True
    user.save(update_fields=["totp_confirmed"])
    audit.record("accounts.totp.enrol", user)
    return _recovery_codes(user)


@transaction.atomic
def regenerate_recovery_codes(user: User) -> list[str]:
    """New recovery codes; the old ones stop working. Only for an enrolled second factor."""
    user = _locked_person(user)
    if not user.totp_confirmed:
        raise ValidationError(_("Tài khoản chưa bật xác thực hai lớp."))
    return _recovery_codes(user)


def _recovery_codes(user: User) -> list[str]:
    codes = totp.new_recovery_codes(user)
    audit.record("accounts.recovery_codes.generate", user, data={"count": len(codes)})
    return codes


# --- national eID ---------------------------------------------------------------------------


def _free(field: str, value, exclude_pk=None):
    """``value`` if no other account uses it for ``field`` (else nothing: never steal it)."""
    if not value:
        return None
    taken = User.objects.filter(**{field: value}).exclude(pk=exclude_pk).exists()
    return None if taken else value


def _release_declared(holder: User) -> int:
    """Clear the number ``holder`` has just proven from every account that merely typed it at
    registration; each such account is flagged in the audit log for the administrators."""
    squatters = list(
        User.objects.select_for_update()
        .filter(declared_id_number=holder.id_number)
        .exclude(pk=holder.pk)
    )
    for account in squatters:
        account.declared_id_number = ""
        account.save(update_fields=["declared_id_number"])
        audit.record(
            "accounts.id.declared_cleared",
            account,
            unit_id=account.home_unit_id,
            data={"proven_by": holder.id_proven_by, "holder": holder.pk},
        )
    return len(squatters)


def _prove(user: User, number: str, how: str, checked_by: User | None = None) -> None:
    user.id_number = number
    user.id_proven_by = how
    user.id_proven_at = timezone.now()
    user.id_checked_by = checked_by
    user.declared_id_number = ""


@transaction.atomic
def user_from_eid(eid: EidIdentity) -> tuple[User, str, int]:
    """The account behind a verified national eID identity, how it was found, and how many
    other accounts had typed its number at registration (now cleared).

    Matched by the eID subject; else by a *proven* personal ID number (an official checked the
    card: then the subject is linked to that account); else a citizen account is created with
    the number proven by the eID. A number typed at self-registration is never matched: whoever
    registers first with someone else's number must not receive that person's login and data.
    Fields the account lacks are filled in from the eID: the state does not ask again for data
    it holds.
    """
    user = User.objects.select_for_update().filter(eid_subject=eid.subject).first()
    if user is not None:
        return user, "subject", _release_declared(user)
    if not eid.id_number:
        raise ValidationError(
            _(
                "VNeID không cung cấp số định danh cá nhân nên không thể tạo hoặc liên kết tài khoản."
            )
        )
    number = identity.validate_id_number(
        eid.id_number, date_of_birth=eid.date_of_birth, sex=eid.sex or None, allow_old=False
    )
    user = User.objects.select_for_update().filter(id_number=number).first()
    if user is not None:
        if user.eid_subject:
            raise ValidationError(
                _("Số định danh này đã được liên kết với một tài khoản VNeID khác.")
            )
        user.eid_subject = eid.subject
        _fill_blanks(user, eid)
        user.save()
        audit.record("accounts.eid.link", user, unit_id=user.home_unit_id)
        return user, "id_number", _release_declared(user)
    user = User(
        username=number if not User.objects.filter(username__iexact=number).exists() else "",
        kind=UserKind.CITIZEN,
        eid_subject=eid.subject,
    )
    user.username = user.username or f"vneid-{secrets.token_hex(6)}"
    _prove(user, number, IdProof.EID)
    _fill_blanks(user, eid)
    user.set_unusable_password()
    user.save()
    audit.record("accounts.eid.create", user)
    return user, "created", _release_declared(user)


def remember_eid_session(user: User, session_key: str, *, subject: str, sid: str) -> None:
    """Note which of our sessions the eID opened, under the provider's ``sid`` and subject, so
    the provider's back-channel logout can end it."""
    EidSession.objects.update_or_create(
        session_key=session_key, defaults={"user": user, "subject": subject, "sid": sid[:200]}
    )


def forget_eid_session(session_key: str | None) -> None:
    """Our own logout ended this session: the provider's logout has nothing left to end."""
    if session_key:
        EidSession.objects.filter(session_key=session_key).delete()


@transaction.atomic
def end_eid_sessions(*, subject: str, sid: str) -> int:
    """End our sessions the provider's logout names: those of ``sid`` (checked against the
    subject when both are given), else every eID session of ``subject``. Returns how many."""
    rows = EidSession.objects.select_for_update()
    rows = rows.filter(sid=sid) if sid else rows.filter(subject=subject)
    if sid and subject:
        rows = rows.filter(subject=subject)
    store = import_module(settings.SESSION_ENGINE).SessionStore
    ended = list(rows.select_related("user"))
    for row in ended:
        store(row.session_key).delete()
        audit.record("accounts.eid.backchannel_logout", row.user, data={"sid": row.sid})
    rows.filter(pk__in=[row.pk for row in ended]).delete()
    return len(ended)


@transaction.atomic
def prove_id_at_desk(person: User, id_number: str, *, actor: User) -> User:
    """An official at the desk has checked ``person``'s citizen identity card and binds its
    number to their account: who and when are kept on the account and in the audit log."""
    if not permissions.may(actor, PROVE_ACTION):
        raise PermissionDenied(_("Chỉ cán bộ một cửa được xác minh số định danh của công dân."))
    person = _locked_person(person)
    if person.kind != UserKind.CITIZEN or not person.is_active:
        raise ValidationError(_("Chỉ xác minh số định danh cho tài khoản công dân đang hoạt động."))
    if person.id_proven:
        raise ValidationError(_("Số định danh của tài khoản này đã được xác minh."))
    try:
        number = identity.validate_id_number(
            id_number, date_of_birth=person.date_of_birth, sex=person.sex or None, allow_old=False
        )
    except ValidationError as error:
        raise ValidationError({"id_number": error.messages}) from error
    if User.objects.filter(id_number=number).exists():
        raise ValidationError(
            {"id_number": [_("Số định danh này đã gắn với một tài khoản khác đã xác minh.")]}
        )
    _prove(person, number, IdProof.DESK, checked_by=actor)
    person.save()
    desk = permissions.acting_units(actor, PROVE_ACTION).order_by("path").first()
    audit.record(
        "accounts.id.proven_at_desk",
        person,
        unit_id=desk.pk if desk else None,
        data={"checked_by": actor.get_username(), "at": person.id_proven_at},
    )
    _release_declared(person)
    return person


def _fill_blanks(user: User, eid: EidIdentity) -> None:
    user.full_name = user.full_name or eid.full_name
    user.date_of_birth = user.date_of_birth or eid.date_of_birth
    user.sex = user.sex or eid.sex
    user.address = user.address or eid.address[:255]
    if not user.phone:
        user.phone = _free("phone", eid.phone, user.pk)
    if not user.email:
        user.email = _free("email__iexact", eid.email, user.pk) or ""


# --- Reading people from other apps (they never import ``accounts.models``) -----------------


def officials():
    """Every official's account, as a queryset other apps filter (assignees, handlers)."""
    return User.objects.filter(kind=UserKind.OFFICIAL)


def current_positions(roles, **where):
    """The positions held today with a role among ``roles``, narrowed by ``where`` (lookups on
    the position, e.g. ``unit_id__in=…``), each with its user and unit."""
    return Position.objects.current().filter(role__in=roles, **where).select_related("user", "unit")


def officials_in_post(on: dt.date | None = None, **where):
    """The positions officials hold on ``on`` (today), narrowed by ``where``: whom a unit counts
    as its staff on a period's last day (the dashboard's figures)."""
    return Position.objects.current(on).filter(user__kind=UserKind.OFFICIAL, **where)


def positions(**where):
    """The positions narrowed by ``where``, past ones included (who acted for which unit on a
    given day), each with its user and unit."""
    return Position.objects.filter(**where).select_related("user", "unit")
