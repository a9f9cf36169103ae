import segno
from django.contrib import messages
from django.contrib.auth import login, logout
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.shortcuts import redirect, render
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from congso.core import audit

from . import permissions, totp
from .forms import LoginForm, TotpForm
from .middleware import SESSION_KEY


def _next_url(request, default: str) -> str:
    target = request.POST.get("next") or request.GET.get("next") or ""
    if url_has_allowed_host_and_scheme(
        target, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return target
    return default


def login_view(request):
    form = LoginForm(request, data=request.POST or None)
    if request.method == "POST" and form.is_valid():
        login(request, form.user, backend="congso.accounts.backends.IdentifierBackend")
        audit.record("accounts.login", form.user)
        default = "accounts:workspace" if form.user.is_official else "portal:home"
        if form.user.needs_second_factor:
            return redirect(f"{_totp_url()}?next={_next_url(request, '')}")
        return redirect(_next_url(request, default) or default)
    return render(request, "accounts/login.html", {"form": form, "next": _next_url(request, "")})


def _totp_url():
    from django.urls import reverse

    return reverse("accounts:totp")


@login_required
def totp_view(request):
    """Enrol (first time: show the QR code) or confirm the second factor for this session."""
    user = request.user
    if not user.totp_secret:
        user.totp_secret = totp.new_secret()
        user.save(update_fields=["totp_secret"])
    form = TotpForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        if totp.verify(user, form.cleaned_data["code"]):
            if not user.totp_confirmed:
                user.totp_confirmed = True
                user.save(update_fields=["totp_confirmed"])
                audit.record("accounts.totp.enrol", user)
            request.session[SESSION_KEY] = True
            request.session.cycle_key()
            audit.record("accounts.totp.verify", user)
            return redirect(_next_url(request, "") or "accounts:workspace")
        form.add_error("code", _("Mã xác thực không đúng hoặc đã được dùng. Hãy nhập mã mới."))
    context = {"form": form, "enrolled": user.totp_confirmed, "next": _next_url(request, "")}
    if not user.totp_confirmed:
        uri = totp.provisioning_uri(user)
        context.update(qr_svg=segno.make(uri).svg_inline(scale=4), secret=user.totp_secret)
    return render(request, "accounts/totp.html", context)


@require_POST
def logout_view(request):
    if request.user.is_authenticated:
        audit.record("accounts.logout", request.user)
    logout(request)
    messages.success(request, _("Bạn đã đăng xuất."))
    return redirect("portal:home")


@login_required
def workspace(request):
    """An official's landing page: their positions and the tools their roles open."""
    user = request.user
    if not permissions.can(user, "workspace.enter"):
        raise PermissionDenied
    tools = [
        (action, label, url)
        for action, label, url in (
            ("accounts.manage_people", _("Quản lý cán bộ và vai trò"), "accounts:people"),
            ("org.manage_units", _("Quản lý đơn vị hành chính"), "org:tree"),
            ("catalog.manage", _("Quản lý danh mục thủ tục"), "catalog:manage"),
            ("worktime.manage", _("Lịch làm việc, ngày nghỉ"), "worktime:manage"),
            ("core.read_audit", _("Nhật ký hệ thống"), "core:audit_log"),
        )
        if permissions.can(user, action)
    ]
    return render(
        request, "accounts/workspace.html", {"positions": user.active_positions(), "tools": tools}
    )
