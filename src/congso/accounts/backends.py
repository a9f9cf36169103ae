"""Log in with a username, a phone number or an e-mail address; lock out after failures."""

import datetime as dt

from django.conf import settings
from django.contrib.auth.backends import ModelBackend
from django.core.exceptions import ValidationError
from django.db.models import F
from django.utils import timezone

from .identity import normalise_phone
from .models import User


def find_user(identifier: str) -> User | None:
    identifier = (identifier or "").strip()
    if not identifier:
        return None
    if identifier.isdigit() and len(identifier) in (9, 12):
        # a proven ID number first: an older account named after a number it merely typed
        # must not answer for the number's real holder
        user = User.objects.filter(id_number=identifier).first()
        if user is not None:
            return user
    user = User.objects.filter(username__iexact=identifier).first()
    if user is None and "@" in identifier:
        user = User.objects.filter(email__iexact=identifier).first()
    if user is None:
        try:
            user = User.objects.filter(phone=normalise_phone(identifier)).first()
        except ValidationError:
            user = None
    return user


def register_failure(user: User) -> None:
    User.objects.filter(pk=user.pk).update(failed_logins=F("failed_logins") + 1)
    user.refresh_from_db(fields=["failed_logins"])
    if user.failed_logins >= settings.LOGIN_MAX_FAILURES:
        until = timezone.now() + dt.timedelta(minutes=settings.LOGIN_LOCKOUT_MINUTES)
        User.objects.filter(pk=user.pk).update(locked_until=until, failed_logins=0)
        user.locked_until = until


def register_success(user: User) -> None:
    if user.failed_logins or user.locked_until:
        User.objects.filter(pk=user.pk).update(failed_logins=0, locked_until=None)


class IdentifierBackend(ModelBackend):
    def authenticate(self, request, username=None, password=None, **kwargs):
        user = find_user(username)
        if user is None:
            User().set_password(password or "")  # same work as a real check: no timing oracle
            return None
        if user.is_locked:
            return None
        if user.is_demo and not settings.DEMO_MODE:
            return None
        if user.check_password(password or "") and self.user_can_authenticate(user):
            register_success(user)
            return user
        register_failure(user)
        return None
