from urllib.parse import urlencode

import segno
from django.conf import settings
from django.contrib import messages
from django.contrib.auth import login, logout, update_session_auth_hash
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpResponse, JsonResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_POST

from congso.core import audit

from . import eid, lockout, permissions, services, totp
from . import workspace as workspace_tools
from .forms import LoginForm, PasswordChangeForm, TotpForm
from .identity_providers.registry import get_provider
from .middleware import SESSION_KEY

BACKEND = "congso.accounts.backends.IdentifierBackend"


def _posted(request):
    """The submitted form data; an empty POST is still a submission (and gets error messages)."""
    return request.POST if request.method == "POST" else None


def _is_safe(request, target: str) -> bool:
    return bool(target) and url_has_allowed_host_and_scheme(
        target, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    )


def _next_url(request, default: str) -> str:
    target = request.POST.get("next") or request.GET.get("next") or ""
    return target if _is_safe(request, target) else default


def _after_login(user, next_url: str):
    """Administrators and signers go through the second factor first, an official with a
    password set by an administrator through the password change; others where they were going."""
    query = f"?{urlencode({'next': next_url})}" if next_url else ""
    if user.needs_second_factor:
        return redirect(reverse("accounts:totp") + query)
    if user.must_change_password:
        return redirect(reverse("accounts:password_change") + query)
    default = "accounts:workspace" if user.is_official else "portal:home"
    return redirect(next_url or default)


def login_view(request):
    form = LoginForm(request, data=_posted(request))
    if request.method == "POST" and form.is_valid():
        login(request, form.user, backend=BACKEND)
        audit.record("accounts.login", form.user, data={"method": "password"})
        return _after_login(form.user, _next_url(request, ""))
    context = {
        "form": form,
        "next": _next_url(request, ""),
        "eid_enabled": get_provider().enabled(),
    }
    return render(request, "accounts/login.html", context)


def eid_start(request):
    """Send the browser to the national eID with a fresh state, nonce and PKCE challenge."""
    provider = get_provider()
    if not provider.enabled():
        return _eid_failed(request, eid.EidError("disabled"))
    try:
        url = provider.begin(
            request,
            redirect_uri=request.build_absolute_uri(reverse("accounts:eid_callback")),
            next_url=_next_url(request, ""),
        )
    except eid.EidError as error:
        return _eid_failed(request, error)
    return redirect(url)


def eid_callback(request):
    """The provider sends the browser back here with a code; verify everything, then log in."""
    try:
        provider = get_provider()
        if not provider.enabled():
            raise eid.EidError("disabled")
        verified = provider.complete(request)
        identity = verified.identity
        try:
            user, matched_by, released = services.user_from_eid(identity)
        except ValidationError as error:
            message = " ".join(error.messages)
            raise eid.EidError("account", message, message) from error
        if not user.is_active:
            raise eid.EidError("inactive", user.get_username())
        if user.is_demo and not settings.DEMO_MODE:
            raise eid.EidError("demo", user.get_username())
    except eid.EidError as error:
        return _eid_failed(request, error)
    login(request, user, backend=BACKEND)
    request.session[eid.LOGIN_METHOD_KEY] = "eid"
    request.session[eid.LEVEL_KEY] = identity.level
    request.session[eid.ID_TOKEN_KEY] = verified.id_token
    request.session[eid.SID_KEY] = verified.sid
    request.session.save()
    services.remember_eid_session(
        user, request.session.session_key, subject=identity.subject, sid=verified.sid
    )
    if released:
        messages.info(
            request,
            _(
                "Một tài khoản khác đã tự khai số định danh của bạn khi đăng ký. Số đó đã được gỡ "
                "khỏi tài khoản kia; tài khoản đó không xem được hồ sơ hay dữ liệu của bạn."
            ),
        )
    audit.record("accounts.login", user, data={"method": "eid", "matched_by": matched_by})
    safe_next = verified.next_url if _is_safe(request, verified.next_url) else ""
    return _after_login(user, safe_next)


def _audit_eid_failure(error) -> None:
    audit.record(
        "accounts.eid.failure",
        object_type="accounts.eid",
        object_id="-",
        object_repr="VNeID",
        data={"reason": error.reason, "detail": error.detail},
    )


def _eid_failed(request, error):
    """Every eID failure: audited, explained in Vietnamese on the login page, never a 500."""
    _audit_eid_failure(error)
    messages.error(request, error.message)
    return redirect("accounts:login")


@login_required
def totp_view(request):
    """Enrol (first time: show the QR code) or confirm the second factor for this session.

    Wrong codes are limited (``lockout``); the first valid code of an enrolment shows the
    recovery codes, once."""
    user = request.user
    if not user.totp_secret:
        user.totp_secret = totp.new_secret()
        user.save(update_fields=["totp_secret"])
    form = TotpForm(_posted(request))
    if request.method == "POST" and form.is_valid():
        try:
            accepted = totp.check(user, form.cleaned_data["code"])
        except lockout.LockedOut as locked:
            form.add_error("code", locked.message)
        else:
            if accepted:
                return _second_factor_passed(request, user)
            form.add_error("code", _("Mã xác thực không đúng hoặc đã được dùng. Hãy nhập mã mới."))
    context = {"form": form, "enrolled": user.totp_confirmed, "next": _next_url(request, "")}
    if not user.totp_confirmed:
        uri = totp.provisioning_uri(user)
        context.update(qr_svg=segno.make(uri).svg_inline(scale=4), secret=user.totp_secret)
    return render(request, "accounts/totp.html", context)


def _second_factor_passed(request, user):
    next_url = _next_url(request, "") or reverse("accounts:workspace")
    codes = None if user.totp_confirmed else services.confirm_totp(user)
    request.session[SESSION_KEY] = True
    request.session.cycle_key()
    audit.record("accounts.totp.verify", user)
    if codes:
        return _show_recovery_codes(request, codes, next_url)
    return redirect(next_url)


def _show_recovery_codes(request, codes: list[str], next_url: str):
    response = render(request, "accounts/recovery_codes.html", {"codes": codes, "next": next_url})
    response["Cache-Control"] = "no-store"
    return response


@login_required
def recovery_codes(request):
    """How many recovery codes are left; a new set on request (the old ones stop working)."""
    user = request.user
    if request.method == "POST":
        try:
            codes = services.regenerate_recovery_codes(user)
        except ValidationError as error:
            messages.error(request, " ".join(error.messages))
            return redirect("accounts:recovery_codes")
        return _show_recovery_codes(request, codes, reverse("accounts:recovery_codes"))
    left = user.recovery_codes.filter(used_at__isnull=True).count()
    return render(
        request,
        "accounts/recovery_codes.html",
        {"left": left, "enrolled": user.totp_confirmed},
    )


@login_required
def password_change(request):
    """An official replaces their password (the old one required, the validators applied);
    their other sessions and API tokens end, this session stays."""
    form = PasswordChangeForm(request.user, _posted(request))
    if request.method == "POST" and form.is_valid():
        user = services.change_password(request.user, form.cleaned_data["new_password1"])
        update_session_auth_hash(request, user)
        messages.success(request, _("Đã đổi mật khẩu. Các phiên đăng nhập khác đã kết thúc."))
        default = "accounts:workspace" if user.is_official else "portal:home"
        return redirect(_next_url(request, "") or default)
    context = {
        "form": form,
        "forced": request.user.must_change_password,
        "next": _next_url(request, ""),
    }
    return render(request, "accounts/password_change.html", context)


@require_POST
def logout_view(request):
    """End our session; a session opened through the eID also ends the provider's (RP-initiated
    logout: the browser goes to the provider with the ID token, and comes back to
    ``eid_logged_out``)."""
    if request.user.is_authenticated:
        audit.record("accounts.logout", request.user)
    id_token = request.session.get(eid.ID_TOKEN_KEY, "")
    if id_token:
        services.forget_eid_session(request.session.session_key)
    logout(request)
    messages.success(request, _("Bạn đã đăng xuất."))
    if id_token:
        provider_logout = get_provider().logout_url(
            id_token=id_token,
            post_logout_redirect_uri=request.build_absolute_uri(reverse("accounts:eid_logged_out")),
        )
        if provider_logout:
            return redirect(provider_logout)
    return redirect("portal:home")


def eid_logged_out(request):
    """Where the provider sends the browser back after ending its session too."""
    return redirect("portal:home")


@csrf_exempt
@never_cache
@require_POST
def eid_backchannel_logout(request):
    """The provider ends our sessions server to server (OpenID Connect Back-Channel Logout 1.0):
    a signed logout token names the provider's session (``sid``) or the person (``sub``); every
    session of ours it opened ends. The token is the authentication (hence no CSRF token)."""
    try:
        notice = get_provider().read_logout_token(request.POST.get("logout_token", ""))
    except eid.EidError as error:
        _audit_eid_failure(error)
        return JsonResponse(
            {"error": "invalid_request", "error_description": error.message}, status=400
        )
    services.end_eid_sessions(subject=notice.subject, sid=notice.sid)
    return HttpResponse(status=200)


@login_required
def workspace(request):
    """An official's landing page: their positions and the tools their roles open."""
    user = request.user
    if not permissions.may(user, "workspace.enter"):
        raise PermissionDenied
    return render(
        request,
        "accounts/workspace.html",
        {"positions": user.active_positions(), "sections": workspace_tools.tools_for(user)},
    )
