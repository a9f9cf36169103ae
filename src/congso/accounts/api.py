from django.conf import settings
from django.contrib.auth import authenticate
from django.urls import path
from django.utils.translation import gettext as _
from drf_spectacular.utils import extend_schema, inline_serializer
from rest_framework import serializers
from rest_framework.authtoken.models import Token
from rest_framework.permissions import IsAuthenticated
from rest_framework.response import Response
from rest_framework.views import APIView

from congso.api.errors import error_response
from congso.core import audit, ratelimit
from congso.core.context import acting_as, actor_for
from congso.core.middleware import client_ip

from . import lockout, totp
from .authentication import ExpiringTokenAuthentication, token_is_valid


class TokenRequest(serializers.Serializer):
    username = serializers.CharField(label=_("Tên đăng nhập, số điện thoại hoặc e-mail"))
    password = serializers.CharField(label=_("Mật khẩu"), style={"input_type": "password"})
    otp = serializers.CharField(label=_("Mã xác thực hai lớp"), required=False, allow_blank=True)


def _issue(user) -> Token:
    """The user's token, replaced by a fresh one when it has expired."""
    token = Token.objects.filter(user=user).first()
    if token is not None and not token_is_valid(token):
        token.delete()
        token = None
    return token or Token.objects.create(user=user)


LoginThrottle = ratelimit.throttle("login", lambda: settings.CONGSO_LOGIN_RATE)


class TokenView(APIView):
    """Exchange credentials for an API token (``Authorization: Token …``), valid for
    ``CONGSO_API_TOKEN_HOURS`` hours.

    Administrators and officials who sign must add the current TOTP code (or a recovery code)
    as ``otp``. An account whose password an administrator set must change it on the web first.
    """

    authentication_classes = []
    throttle_classes = [LoginThrottle]

    @extend_schema(
        request=TokenRequest,
        responses=inline_serializer("TokenResponse", {"token": serializers.CharField()}),
    )
    def post(self, request):
        data = TokenRequest(data=request.data)
        data.is_valid(raise_exception=True)
        user = authenticate(
            request,
            username=data.validated_data["username"],
            password=data.validated_data["password"],
        )
        if user is None:
            return error_response(
                _("Tên đăng nhập hoặc mật khẩu không đúng, hoặc tài khoản đang bị tạm khoá."),
                code="authentication_failed",
                status_code=401,
            )
        with acting_as(actor_for(user, client_ip(request))):
            refused = self._second_factor(user, data.validated_data.get("otp", ""))
            if refused is not None:
                return refused
            if user.must_change_password:
                return error_response(
                    _(
                        "Bạn cần đổi mật khẩu do quản trị viên cấp trên trang web trước khi dùng API."
                    ),
                    code="password_change_required",
                    status_code=403,
                )
            token = _issue(user)
            audit.record("accounts.token.issue", user)
        return Response({"token": token.key})

    def _second_factor(self, user, otp: str):
        if not user.needs_second_factor:
            return None
        try:
            if otp.strip() and totp.check(user, otp):
                return None
        except lockout.LockedOut as locked:
            return error_response(locked.message, code="otp_locked", status_code=429)
        return error_response(
            _("Tài khoản này cần mã xác thực hai lớp (otp) hợp lệ."),
            code="otp_required",
            fields={"otp": [_("Mã không đúng.")]},
            status_code=401,
        )


class LogoutView(APIView):
    """Revoke the token this request was made with (log out of the API)."""

    authentication_classes = [ExpiringTokenAuthentication]
    permission_classes = [IsAuthenticated]

    @extend_schema(request=None, responses={204: None})
    def post(self, request):
        Token.objects.filter(key=request.auth.key).delete()
        audit.record("accounts.token.revoke", request.user)
        return Response(status=204)


urlpatterns = [
    path("auth/token/", TokenView.as_view(), name="api-token"),
    path("auth/logout/", LogoutView.as_view(), name="api-logout"),
]
