from django.contrib.auth import authenticate
from django.urls import path
from django.utils.translation import gettext as _
from drf_spectacular.utils import extend_schema, inline_serializer
from rest_framework import serializers
from rest_framework.authtoken.models import Token
from rest_framework.response import Response
from rest_framework.views import APIView

from congso.api.errors import error_response
from congso.api.throttling import ScopedRateThrottle
from congso.core import audit
from congso.core.context import acting_as, actor_for
from congso.core.middleware import client_ip

from . import totp


class TokenRequest(serializers.Serializer):
    username = serializers.CharField(label=_("Tên đăng nhập, số điện thoại hoặc e-mail"))
    password = serializers.CharField(label=_("Mật khẩu"), style={"input_type": "password"})
    otp = serializers.CharField(label=_("Mã xác thực hai lớp"), required=False, allow_blank=True)


class TokenView(APIView):
    """Exchange credentials for an API token (``Authorization: Token …``).

    Administrators must add the current TOTP code as ``otp``.
    """

    authentication_classes = []
    throttle_classes = [ScopedRateThrottle]
    throttle_scope = "login"

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
        if user.needs_second_factor and not totp.verify(user, data.validated_data.get("otp", "")):
            return error_response(
                _("Tài khoản quản trị cần mã xác thực hai lớp (otp) hợp lệ."),
                code="otp_required",
                fields={"otp": [_("Mã không đúng.")]},
                status_code=401,
            )
        token, _created = Token.objects.get_or_create(user=user)
        with acting_as(actor_for(user, client_ip(request))):
            audit.record("accounts.token.issue", user)
        return Response({"token": token.key})


urlpatterns = [path("auth/token/", TokenView.as_view(), name="api-token")]
