"""API tokens that expire: a stolen token works for hours, not for ever."""

import datetime as dt

from django.conf import settings
from django.utils import timezone
from django.utils.translation import gettext as _
from rest_framework import exceptions
from rest_framework.authentication import TokenAuthentication


def token_is_valid(token) -> bool:
    """Younger than ``CONGSO_API_TOKEN_HOURS`` and issued after the last password change."""
    changed = token.user.password_changed_at
    return token.created > timezone.now() - dt.timedelta(hours=settings.API_TOKEN_HOURS) and (
        changed is None or token.created >= changed
    )


class ExpiringTokenAuthentication(TokenAuthentication):
    """DRF's ``Authorization: Token …`` with a lifetime; an old token gets 401."""

    def authenticate_credentials(self, key):
        user, token = super().authenticate_credentials(key)
        if not token_is_valid(token):
            raise exceptions.AuthenticationFailed(
                _("Mã truy cập API đã hết hạn hoặc không còn hiệu lực. Hãy lấy mã mới."),
                code="token_expired",
            )
        return user, token
