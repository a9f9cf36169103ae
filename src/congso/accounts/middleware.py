"""Until a login is complete, an official reaches nothing but the pages that complete it.

Administrators and officials who sign must enter a TOTP code (or a recovery code) in each new
session; an official whose password an administrator set must then replace it. Pages redirect
there; the API (a session used from scripts or the browser's own calls) answers 403 in the one
error format. Requests authenticated by an API token are not seen here: a token is only issued
after the same checks (``api.TokenView``).
"""

from django.http import JsonResponse
from django.shortcuts import redirect
from django.urls import reverse
from django.utils.translation import gettext as _

from congso.api.errors import error_body

SESSION_KEY = "congso_otp_verified"
_OPEN_PREFIXES = ("/static/", "/media/", "/i18n/")


class SecondFactorMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        user = getattr(request, "user", None)
        if user is None or not user.is_authenticated or request.path.startswith(_OPEN_PREFIXES):
            return self.get_response(request)
        if not request.session.get(SESSION_KEY) and user.needs_second_factor:
            return self._hold(request, "accounts:totp", "otp_required")
        if user.must_change_password:
            return self._hold(request, "accounts:password_change", "password_change_required")
        return self.get_response(request)

    def _hold(self, request, page: str, code: str):
        allowed = {reverse(page), reverse("accounts:logout")}
        if request.path in allowed or request.path in _api_open():
            return self.get_response(request)
        if request.path.startswith("/api/"):
            messages = {
                "otp_required": _(
                    "Phiên đăng nhập này chưa qua xác thực hai lớp: hãy nhập mã xác thực trên "
                    "trang web hoặc dùng mã truy cập API lấy kèm mã otp."
                ),
                "password_change_required": _(
                    "Bạn cần đổi mật khẩu do quản trị viên cấp trước khi tiếp tục."
                ),
            }
            return JsonResponse(error_body(code, messages[code]), status=403)
        return redirect(f"{reverse(page)}?next={request.get_full_path()}")


def _api_open() -> set[str]:
    """The API endpoints that log in and out, reachable before the login is complete."""
    return {reverse("api-token"), reverse("api-logout")}
