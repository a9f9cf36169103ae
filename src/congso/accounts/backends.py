"""Log in with a username, a phone number or an e-mail address; lock out after failures (per
account and client address, see ``lockout``)."""

from django.conf import settings
from django.contrib.auth.backends import ModelBackend
from django.core.exceptions import ValidationError

from congso.core.middleware import client_ip

from . import lockout
from .identity import normalise_phone
from .models import Factor, User


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


class IdentifierBackend(ModelBackend):
    def authenticate(self, request, username=None, password=None, **kwargs):
        user = find_user(username)
        if user is None:
            User().set_password(password or "")  # same work as a real check: no timing oracle
            lockout.unknown_account(username)
            return None
        ip = client_ip(request) if request is not None else None
        try:
            lockout.check(user, Factor.PASSWORD, ip)
        except lockout.LockedOut:
            return None
        if user.is_demo and not settings.DEMO_MODE:
            return None
        if user.check_password(password or "") and self.user_can_authenticate(user):
            lockout.succeeded(user, Factor.PASSWORD, ip)
            return user
        lockout.failed(user, Factor.PASSWORD, ip)
        return None
