"""Officials with administrative rights reach nothing but the second-factor pages until they
have entered a TOTP code in this session."""

from django.shortcuts import redirect
from django.urls import reverse

SESSION_KEY = "congso_otp_verified"
_OPEN_PREFIXES = ("/static/", "/media/", "/api/", "/i18n/")


class SecondFactorMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        user = getattr(request, "user", None)
        if (
            user is not None
            and user.is_authenticated
            and not request.session.get(SESSION_KEY)
            and not request.path.startswith(_OPEN_PREFIXES)
            and user.needs_second_factor
        ):
            allowed = {reverse("accounts:totp"), reverse("accounts:logout")}
            if request.path not in allowed:
                return redirect(f"{reverse('accounts:totp')}?next={request.get_full_path()}")
        return self.get_response(request)
