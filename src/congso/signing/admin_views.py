"""Certificate administration for administrators (who pass TOTP like on every admin page):
certificates and keys in their units, import, PKCS#11 keys, seal and signature images,
revocation, and the trusted root certificates. Pages only read; every change is a ``services``
call, audited there. A certificate outside the administrator's reach answers 404.
"""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.db.models import Q
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import pgettext
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods, require_POST

from congso.accounts import permissions
from congso.accounts.services import officials, officials_in_post, second_factor_verified

from . import pki, services
from .forms import AuthorityForm, CertificateImportForm, Pkcs11KeyForm, StampImageForm
from .models import Certificate, CertificateKind

MANAGE = "signing.manage"
MANAGE_TRUST = "signing.manage_trust"
#: Organisation certificates and keys (a unit's seal): system administrators only.
MANAGE_SEALS = "signing.manage_seals"


def _require(request, action: str) -> None:
    if not permissions.may(request.user, action):
        raise PermissionDenied


def _require_seal_rights(request, unit) -> None:
    """A seal signs for a whole unit: only a system administrator over ``unit`` changes it, and
    only in a session that has passed the second factor."""
    if not (permissions.may(request.user, MANAGE_SEALS, unit) and second_factor_verified(request)):
        raise PermissionDenied


def _require_change(request, certificate: Certificate) -> None:
    if certificate.kind == CertificateKind.ORGANISATION:
        _require_seal_rights(request, certificate.owner_unit)


def _people(user):
    units = permissions.acting_units(user, MANAGE)
    holders = officials_in_post(unit__in=units).values("user")
    return officials().filter(pk__in=holders)


def visible_certificates(user):
    """Seal certificates of the administrator's units, personal ones of their officials, and
    the CA certificates for those who manage trust."""
    units = permissions.acting_units(user, MANAGE)
    condition = Q(kind=CertificateKind.ORGANISATION, owner_unit__in=units) | Q(
        kind=CertificateKind.PERSONAL, owner_user__in=_people(user)
    )
    if permissions.may(user, MANAGE_TRUST):
        condition |= Q(kind=CertificateKind.AUTHORITY)
    return Certificate.objects.filter(condition).select_related("key", "owner_unit", "owner_user")


def status_of(certificate: Certificate, now=None) -> str:
    now = now or timezone.now()
    if certificate.revoked_at is not None and certificate.revoked_at <= now:
        return pgettext("chứng thư số", "Đã thu hồi")
    if now > certificate.not_after:
        return _("Hết hạn")
    if now < certificate.not_before:
        return _("Chưa đến hạn")
    return _("Còn hiệu lực")


def _annotate(certificates):
    now = timezone.now()
    for certificate in certificates:
        certificate.status_text = status_of(certificate, now)
    return certificates


def _service_errors(form, error: ValidationError, field: str | None = None) -> None:
    for message in error.messages:
        form.add_error(field, message)


@login_required
def certificates(request):
    _require(request, MANAGE)
    listed = visible_certificates(request.user).exclude(kind=CertificateKind.AUTHORITY)
    query = request.GET.get("q", "").replace("\x00", "").strip()[:100]
    if query:
        listed = listed.filter(
            Q(common_name__icontains=query)
            | Q(owner_unit__name__icontains=query)
            | Q(owner_user__full_name__icontains=query)
        )
    page = Paginator(listed.order_by("common_name", "pk"), 25).get_page(request.GET.get("page"))
    _annotate(page.object_list)
    context = {
        "page": page,
        "q": query,
        "can_manage_trust": permissions.may(request.user, MANAGE_TRUST),
    }
    return render(request, "signing/certificates.html", context)


def _import(form) -> Certificate:
    data = form.cleaned_data
    owner = {"owner_unit": None, "owner_user": None}
    personal = data["kind"] == CertificateKind.PERSONAL
    if personal:
        owner["owner_user"] = data["owner_username"]
    else:
        owner["owner_unit"] = data["owner_unit"]
    if data.get("pkcs12_bytes"):
        return services.import_pkcs12(
            data["pkcs12_bytes"], password=data["password"], kind=data["kind"], **owner
        )
    try:
        parsed = pki.load_any(data["certificate_bytes"])
    except ValueError as exc:
        raise ValidationError(_("Tệp không phải chứng thư số (PEM hoặc DER).")) from exc
    if pki.is_authority(parsed):
        raise ValidationError(_("Đây là chứng thư số của CA; hãy nạp ở trang chứng thư gốc."))
    if personal:
        return services.import_personal_certificate(parsed, owner_user=owner["owner_user"])
    return services.import_certificate(pki.to_pem(parsed), kind=data["kind"], **owner)


@never_cache
@login_required
@require_http_methods(["GET", "POST"])
def certificate_import(request):
    _require(request, MANAGE)
    form = CertificateImportForm(
        request.POST if request.method == "POST" else None,
        request.FILES or None,
        units=permissions.acting_units(request.user, MANAGE_SEALS).order_by("path"),
        people=_people(request.user),
    )
    if request.method == "POST" and form.is_valid():
        if form.cleaned_data["kind"] == CertificateKind.ORGANISATION:
            _require_seal_rights(request, form.cleaned_data["owner_unit"])
        try:
            certificate = _import(form)
        except ValidationError as error:
            _service_errors(form, error)
        else:
            messages.success(request, _("Đã nhập chứng thư số “%(name)s”.") % {"name": certificate})
            return redirect("signing:certificate", certificate.pk)
    status = 400 if form.errors else 200
    return render(request, "signing/certificate_import.html", {"form": form}, status=status)


def _certificate(request, pk: int) -> Certificate:
    _require(request, MANAGE)
    return get_object_or_404(visible_certificates(request.user), pk=pk)


def _detail(request, certificate, *, status=200, **forms):
    certificate.status_text = status_of(certificate)
    context = {
        "certificate": certificate,
        "key": getattr(certificate, "key", None),
        "pkcs11_form": forms.get("pkcs11_form") or Pkcs11KeyForm(),
        "image_form": forms.get("image_form") or StampImageForm(),
        "can_manage_trust": permissions.may(request.user, MANAGE_TRUST),
    }
    return render(request, "signing/certificate.html", context, status=status)


@never_cache
@login_required
def certificate(request, pk: int):
    return _detail(request, _certificate(request, pk))


@login_required
@require_POST
def certificate_pkcs11(request, pk: int):
    certificate = _certificate(request, pk)
    _require_change(request, certificate)
    form = Pkcs11KeyForm(request.POST)
    if form.is_valid():
        try:
            services.register_pkcs11_key(certificate, **form.cleaned_data)
        except ValidationError as error:
            _service_errors(form, error)
        else:
            messages.success(request, _("Đã đăng ký khoá trên thiết bị PKCS#11."))
            return redirect("signing:certificate", certificate.pk)
    return _detail(request, certificate, status=400, pkcs11_form=form)


@login_required
@require_POST
def certificate_image(request, pk: int):
    certificate = _certificate(request, pk)
    _require_change(request, certificate)
    form = StampImageForm(request.POST, request.FILES)
    if form.is_valid():
        try:
            services.set_stamp_image(certificate, form.cleaned_data["image"])
        except ValidationError as error:
            _service_errors(form, error, "image")
        else:
            messages.success(request, _("Đã cập nhật hình trên dấu chữ ký."))
            return redirect("signing:certificate", certificate.pk)
    return _detail(request, certificate, status=400, image_form=form)


@login_required
@require_POST
def certificate_revoke(request, pk: int):
    certificate = _certificate(request, pk)
    _require_change(request, certificate)
    if certificate.revoked_at is None:
        services.revoke_certificate(certificate)
        messages.success(request, _("Đã thu hồi chứng thư số “%(name)s”.") % {"name": certificate})
    return redirect("signing:certificate", certificate.pk)


@never_cache
@login_required
@require_http_methods(["GET", "POST"])
def roots(request):
    """CA certificates: upload the government roots (trusted) and intermediate CAs."""
    _require(request, MANAGE_TRUST)
    form = AuthorityForm(request.POST if request.method == "POST" else None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        try:
            certificate = services.import_authority(
                form.cleaned_data["certificate"], trust_anchor=form.cleaned_data["trust_anchor"]
            )
        except ValidationError as error:
            _service_errors(form, error, "certificate")
        else:
            messages.success(request, _("Đã nạp chứng thư số “%(name)s”.") % {"name": certificate})
            return redirect("signing:roots")
    authorities = _annotate(
        list(
            Certificate.objects.filter(kind=CertificateKind.AUTHORITY).order_by(
                "-is_trust_anchor", "common_name"
            )
        )
    )
    status = 400 if form.errors else 200
    return render(
        request, "signing/roots.html", {"form": form, "authorities": authorities}, status=status
    )


@login_required
@require_POST
def root_trust(request, pk: int):
    _require(request, MANAGE_TRUST)
    certificate = get_object_or_404(Certificate, pk=pk, kind=CertificateKind.AUTHORITY)
    trusted = request.POST.get("trusted") == "1"
    try:
        services.set_trust_anchor(certificate, trusted)
    except ValidationError as error:
        for message in error.messages:
            messages.error(request, message)
    else:
        messages.success(request, _("Đã cập nhật danh sách chứng thư gốc tin cậy."))
    return redirect("signing:roots")
