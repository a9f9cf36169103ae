"""Signing services: the only code that changes signing state, plus ``sign_pdf``/``verify_pdf``.

Every signature is checked before it is made (validity period, revocation, key usage), written in
one go (nothing half-signed: the PDF bytes are returned only when pyHanko has finished) and
recorded as a ``SignatureRecord`` plus an audit entry.
"""

import hashlib
from dataclasses import dataclass
from pathlib import Path

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from congso.core import audit

from . import pki
from .engine import (
    Appearance,
    SigningFailure,
    chain_for,
    load_pkcs11_signer,
    load_pkcs12_signer,
    make_validation_context,
    passphrase,
    sign_bytes,
)
from .models import (
    Certificate,
    CertificateKind,
    KeyBackend,
    SignatureLevel,
    SignatureRecord,
    SignedFile,
    SigningKey,
)
from .verification import SignatureReport, verify_bytes

__all__ = [
    "Appearance",
    "SignatureReport",
    "check_certificate_usable",
    "import_certificate",
    "passphrase",
    "register_pkcs11_key",
    "revoke_certificate",
    "set_stamp_image",
    "sign_pdf",
    "store_pkcs12_key",
    "store_signed_file",
    "save_derived_copy",
    "verify_pdf",
]


def keys_dir() -> Path:
    return Path(settings.VAR_DIR) / "signing" / "keys"


# ---------------------------------------------------------------- certificates and keys


@transaction.atomic
def import_certificate(
    pem: str,
    *,
    kind: str,
    owner_unit=None,
    owner_user=None,
    trust_anchor: bool = False,
) -> Certificate:
    """Store a certificate (idempotent by fingerprint); a bad PEM is a Vietnamese error."""
    try:
        parsed = pki.load_pem(pem)
    except ValueError as exc:
        raise ValidationError(_("Chứng thư số không đúng định dạng PEM."), code="bad_pem") from exc
    fields = pki.describe(parsed)
    existing = Certificate.objects.filter(fingerprint=fields["fingerprint"]).first()
    if existing is not None:
        return existing
    if kind == CertificateKind.ORGANISATION and owner_unit is None:
        raise ValidationError(_("Chứng thư số của cơ quan phải gắn với một đơn vị."))
    if kind == CertificateKind.PERSONAL and owner_user is None:
        raise ValidationError(_("Chứng thư số cá nhân phải gắn với một người dùng."))
    certificate = Certificate.objects.create(
        **fields,
        kind=kind,
        owner_unit=owner_unit,
        owner_user=owner_user,
        is_trust_anchor=trust_anchor,
    )
    audit.record(
        "signing.certificate_imported",
        certificate,
        unit_id=owner_unit.pk if owner_unit else None,
        data={"fingerprint": certificate.fingerprint, "kind": kind, "trust_anchor": trust_anchor},
    )
    return certificate


@transaction.atomic
def store_pkcs12_key(certificate: Certificate, pkcs12_bytes: bytes) -> SigningKey:
    """Keep an encrypted PKCS#12 file for ``certificate`` under the var directory.

    The archive must open with ``CONGSO_SIGNING_PASSPHRASE`` and hold the key of this certificate.
    """
    try:
        issued = pki.from_pkcs12(pkcs12_bytes, passphrase())
    except ValueError as exc:
        raise ValidationError(
            _("Không mở được tệp PKCS#12 bằng mật khẩu đã cấu hình."), code="bad_pkcs12"
        ) from exc
    if pki.fingerprint(issued.certificate) != certificate.fingerprint:
        raise ValidationError(_("Tệp PKCS#12 không chứa khoá của chứng thư số này."))
    directory = keys_dir()
    directory.mkdir(parents=True, exist_ok=True)
    relative = f"signing/keys/{certificate.fingerprint}.p12"
    target = Path(settings.VAR_DIR) / relative
    target.write_bytes(pkcs12_bytes)
    target.chmod(0o600)
    key, _created = SigningKey.objects.update_or_create(
        certificate=certificate,
        defaults={"backend": KeyBackend.PKCS12, "key_file": relative},
    )
    audit.record("signing.key_stored", key, data={"backend": KeyBackend.PKCS12})
    return key


@transaction.atomic
def register_pkcs11_key(
    certificate: Certificate, *, module_path: str, token_label: str, key_label: str
) -> SigningKey:
    """Point ``certificate`` at a key on a PKCS#11 token; the PIN is never stored."""
    key, _created = SigningKey.objects.update_or_create(
        certificate=certificate,
        defaults={
            "backend": KeyBackend.PKCS11,
            "key_file": "",
            "module_path": module_path,
            "token_label": token_label,
            "key_label": key_label,
        },
    )
    audit.record(
        "signing.key_registered",
        key,
        data={"backend": KeyBackend.PKCS11, "token": token_label, "key": key_label},
    )
    return key


@transaction.atomic
def set_stamp_image(certificate: Certificate, upload) -> Certificate:
    """The seal or handwritten-signature image shown on the stamp (PNG or JPEG, checked)."""
    from congso.core.uploads import check_file

    checked = check_file(upload, allowed=("image/png", "image/jpeg"))
    certificate.stamp_image.save(
        f"{certificate.fingerprint[:16]}.{checked.extension}", ContentFile(checked.data), save=False
    )
    certificate.save(update_fields=["stamp_image"])
    audit.record(
        "signing.stamp_image_set",
        certificate,
        unit_id=certificate.owner_unit_id,
        data={"sha256": checked.sha256},
    )
    return certificate


@transaction.atomic
def revoke_certificate(certificate: Certificate, *, at=None) -> Certificate:
    certificate.revoked_at = at or timezone.now()
    certificate.save(update_fields=["revoked_at"])
    audit.record(
        "signing.certificate_revoked",
        certificate,
        unit_id=certificate.owner_unit_id,
        data={"revoked_at": certificate.revoked_at},
    )
    return certificate


def check_certificate_usable(certificate: Certificate, *, now=None) -> None:
    """Refuse, in Vietnamese, a certificate that may not sign now."""
    now = now or timezone.now()
    label = str(certificate)
    if certificate.revoked_at is not None and certificate.revoked_at <= now:
        raise ValidationError(
            _("Chứng thư số “%(name)s” đã bị thu hồi; không thể ký.") % {"name": label},
            code="revoked",
        )
    if now > certificate.not_after:
        raise ValidationError(
            _("Chứng thư số “%(name)s” đã hết hạn ngày %(date)s; không thể ký.")
            % {
                "name": label,
                "date": timezone.localtime(certificate.not_after).strftime("%d/%m/%Y"),
            },
            code="expired",
        )
    if now < certificate.not_before:
        raise ValidationError(
            _("Chứng thư số “%(name)s” chưa đến thời hạn hiệu lực.") % {"name": label},
            code="not_yet_valid",
        )
    if certificate.is_authority or not (set(certificate.key_usage) & pki.SIGNING_USAGES):
        raise ValidationError(
            _("Chứng thư số “%(name)s” không dùng để ký văn bản.") % {"name": label},
            code="not_for_signing",
        )


# ---------------------------------------------------------------- signing


def _signer_for(key: SigningKey, pin: str | None):
    certificate = key.certificate
    chain = chain_for(certificate)
    if key.backend == KeyBackend.PKCS12:
        path = Path(settings.VAR_DIR) / key.key_file
        return load_pkcs12_signer(str(path), passphrase(), chain)
    pin = pin or getattr(settings, "CONGSO_HSM_PIN", None)
    if not pin:
        raise ValidationError(_("Cần nhập mã PIN của thiết bị ký số."), code="pin_required")
    return load_pkcs11_signer(key, pin, chain)


def _stamp_image(certificate: Certificate) -> bytes | None:
    if not certificate.stamp_image:
        return None
    with certificate.stamp_image.open("rb") as handle:
        return handle.read()


def default_appearance(key: SigningKey, *, title: str = "") -> Appearance:
    """Decree 30 stamp from the certificate's owner, with its seal or signature image if any."""
    certificate = key.certificate
    image = _stamp_image(certificate)
    if certificate.owner_unit_id:
        return Appearance(name=certificate.owner_unit.name, image=image)
    user = certificate.owner_user
    position = user.positions.select_related("unit").first() if user else None
    return Appearance(
        name=str(user) if user else str(certificate),
        title=title or (position.title if position else ""),
        organisation=position.unit.locality().name if position else "",
        image=image,
    )


def sign_pdf(
    pdf_bytes: bytes,
    *,
    key: SigningKey,
    reason: str = "",
    location: str = "",
    level: str = SignatureLevel.B_B,
    appearance: Appearance | None | bool = True,
    pin: str | None = None,
    timestamper=None,
    signer_user=None,
) -> bytes:
    """Sign ``pdf_bytes`` with PAdES at ``level`` and return the new bytes.

    ``appearance``: ``True`` for the Decree 30 stamp from the certificate owner, an
    ``Appearance`` to choose the text and box, ``False``/``None`` for an invisible signature.
    ``timestamper``: a pyHanko ``TimeStamper``; by default an HTTP client of ``CONGSO_TSA_URL``.
    """
    if level not in SignatureLevel.values:
        raise ValidationError(_("Mức chữ ký không hợp lệ."), code="bad_level")
    certificate = key.certificate
    check_certificate_usable(certificate)
    if appearance is True:
        appearance = default_appearance(key)
    validation_context = make_validation_context() if level == SignatureLevel.B_LT else None
    try:
        signer = _signer_for(key, pin)
        signed, field_name = sign_bytes(
            pdf_bytes,
            signer=signer,
            reason=reason,
            location=location,
            level=level,
            appearance=appearance or None,
            timestamper=timestamper,
            validation_context=validation_context,
        )
    except SigningFailure as exc:
        raise ValidationError(str(exc), code=exc.code) from exc
    _record(
        certificate, signed, level=level, field_name=field_name, reason=reason, user=signer_user
    )
    return signed


@transaction.atomic
def _record(certificate, signed: bytes, *, level, field_name, reason, user) -> SignatureRecord:
    record = SignatureRecord.objects.create(
        certificate=certificate,
        signer=user if user is not None else certificate.owner_user,
        unit=certificate.owner_unit,
        level=level,
        field_name=field_name,
        reason=reason[:255],
        sha256=hashlib.sha256(signed).hexdigest(),
    )
    audit.record(
        "signing.signed",
        record,
        unit_id=certificate.owner_unit_id,
        data={
            "certificate": certificate.fingerprint,
            "level": level,
            "field": field_name,
            "sha256": record.sha256,
        },
    )
    return record


@transaction.atomic
def store_signed_file(data: bytes, *, name: str) -> SignedFile:
    """Store a signed original once, with its hash, and link the signatures made on it."""
    digest = hashlib.sha256(data).hexdigest()
    signed_file = SignedFile(name=name[:255], sha256=digest, size=len(data))
    signed_file.file.save(f"{digest[:16]}-{Path(name).name}", ContentFile(data), save=False)
    signed_file.save()
    SignatureRecord.objects.filter(sha256=digest, signed_file__isnull=True).update(
        signed_file=signed_file
    )
    audit.record("signing.file_stored", signed_file, data={"sha256": digest, "size": len(data)})
    return signed_file


def save_derived_copy(signed_file: SignedFile, suffix: str, data: bytes) -> str:
    """Write a derived copy (OCR text, preview) beside the original, which stays untouched."""
    path = f"{signed_file.file.name}.{suffix}"
    if default_storage.exists(path):
        default_storage.delete(path)
    return default_storage.save(path, ContentFile(data))


# ---------------------------------------------------------------- verification


@dataclass
class UploadedPdf:
    name: str
    data: bytes
    reports: list


def verify_pdf(pdf_bytes: bytes) -> list[SignatureReport]:
    """One report per signature, trusted against the database's trust anchors."""
    return verify_bytes(pdf_bytes)


def verify_upload(upload) -> UploadedPdf:
    """Check an uploaded file (a PDF, not encrypted nor broken) and verify it."""
    from congso.core.uploads import check_file

    checked = check_file(upload, allowed=("application/pdf",))
    return UploadedPdf(checked.name, checked.data, verify_bytes(checked.data))


def data_sha256(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()
