"""Signing services: the only code that changes signing state, plus ``sign_pdf``/``verify_pdf``.

Every signature is checked before it is made (validity period, revocation, key usage), written in
one go (nothing half-signed: the PDF bytes are returned only when pyHanko has finished) and
recorded as a ``SignatureRecord`` plus an audit entry.
"""

import base64
import binascii
import hashlib
import json
from dataclasses import dataclass, replace
from pathlib import Path

from cryptography import x509
from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from congso.core import audit
from congso.core.uploads import PDF, inert

from . import enrolment, keystore, pki
from .engine import (
    ANNEX,
    LAYOUTS,
    SEAL,
    SIGNER,
    STAMP,
    Appearance,
    SigningFailure,
    annex_appearance,
    chain_for,
    load_database_signer,
    load_pkcs11_signer,
    make_validation_context,
    passphrase,
    sign_bytes,
)
from .layout import DATE_FIELD, NUMBER_FIELD, finish_draft_form
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
    "DATE_FIELD",
    "NUMBER_FIELD",
    "Appearance",
    "SignatureReport",
    "check_certificate_usable",
    "check_enrolment",
    "finish_draft_form",
    "import_authority",
    "import_certificate",
    "import_personal_certificate",
    "import_pkcs12",
    "open_pkcs12",
    "organisation_key",
    "passphrase",
    "refuse_personal_key",
    "register_pkcs11_key",
    "revoke_certificate",
    "set_stamp_image",
    "set_trust_anchor",
    "sign_pdf",
    "store_pkcs12_key",
    "store_private_key",
    "held_key",
    "store_signed_file",
    "save_derived_copy",
    "verify_pdf",
]


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


def open_pkcs12(pkcs12_bytes: bytes, password: str | None = None) -> pki.Issued:
    """Open a PKCS#12 archive with ``password`` (by default the server's passphrase)."""
    try:
        issued = pki.from_pkcs12(pkcs12_bytes, passphrase() if password is None else password)
    except (ValueError, TypeError) as exc:
        message = (
            _("Không mở được tệp PKCS#12 bằng mật khẩu đã cấu hình.")
            if password is None
            else _("Không mở được tệp PKCS#12: sai mật khẩu hoặc tệp hỏng.")
        )
        raise ValidationError(message, code="bad_pkcs12") from exc
    if issued.key is None or issued.certificate is None:
        raise ValidationError(
            _("Tệp PKCS#12 phải chứa cả chứng thư số và khoá bí mật."), code="bad_pkcs12"
        )
    return issued


@transaction.atomic
def store_pkcs12_key(
    certificate: Certificate, pkcs12_bytes: bytes, *, password: str | None = None
) -> SigningKey:
    """Keep the key in a PKCS#12 archive for ``certificate``, encrypted in the database.

    The archive must hold the key of this certificate. Without ``password`` it must open with
    ``CONGSO_SIGNING_PASSPHRASE`` (a file the platform wrote); with one (an archive from a
    certificate provider) the provider's password is not kept. Nothing is written to a disk:
    every node signs with the same row (``signing.keystore``).
    """
    issued = open_pkcs12(pkcs12_bytes, password)
    if pki.fingerprint(issued.certificate) != certificate.fingerprint:
        raise ValidationError(_("Tệp PKCS#12 không chứa khoá của chứng thư số này."))
    return store_private_key(certificate, issued.key)


@transaction.atomic
def store_private_key(certificate: Certificate, private_key) -> SigningKey:
    """Seal ``private_key`` (a ``cryptography`` key) into ``certificate``'s key row (an
    organisation's or a CA's; never a person's)."""
    refuse_personal_key(certificate)
    key, _created = SigningKey.objects.update_or_create(
        certificate=certificate,
        defaults={
            "backend": KeyBackend.DATABASE,
            "encrypted_key": keystore.seal_private_key(
                private_key, context=certificate.fingerprint
            ),
            "key_file": "",
            "module_path": "",
            "token_label": "",
            "key_label": "",
        },
    )
    audit.record("signing.key_stored", key, data={"backend": KeyBackend.DATABASE})
    return key


def held_key(key: SigningKey) -> pki.Issued:
    """The certificate and private key of a key the database holds (a CA issuing a CRL or an
    OCSP answer, the demo PKI); a Vietnamese error when it does not open."""
    if key.backend != KeyBackend.DATABASE:
        raise ValidationError(_("Khoá này không được lưu trong cơ sở dữ liệu."), code="not_held")
    try:
        private_key = keystore.open_private_key(
            key.encrypted_key, context=key.certificate.fingerprint
        )
    except keystore.KeystoreError as exc:
        raise ValidationError(str(exc), code="bad_key") from exc
    return pki.Issued(pki.load_pem(key.certificate.pem), private_key)


def refuse_personal_key(certificate: Certificate) -> None:
    """A person's key is never held by the server — no file, no database row, no token plugged
    into it: Decree 130/2018 art. 9 and Decree 23/2025 give a signature legal effect only when
    its creation data is under the signer's sole control. The official signs with their own
    USB token (the local agent) or the CA's remote-signing service (``signing.signers``)."""
    if certificate.kind == CertificateKind.PERSONAL or certificate.owner_user_id:
        raise _personal_key_refused()


def _personal_key_refused() -> ValidationError:
    return ValidationError(
        _(
            "Khoá của chữ ký số cá nhân không được giữ trên máy chủ: người ký dùng token USB "
            "của mình (qua phần mềm ký số) hoặc dịch vụ ký số từ xa."
        ),
        code="personal_key_on_server",
    )


def register_pkcs11_key(
    certificate: Certificate, *, module_path: str, token_label: str, key_label: str
) -> SigningKey:
    """Point an organisation's ``certificate`` at a key in the HSM; the PIN is never stored."""
    refuse_personal_key(certificate)
    with transaction.atomic():
        key, _created = SigningKey.objects.update_or_create(
            certificate=certificate,
            defaults={
                "backend": KeyBackend.PKCS11,
                "encrypted_key": b"",
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


def import_pkcs12(
    pkcs12_bytes: bytes, *, password: str, kind: str, owner_unit=None, owner_user=None
) -> Certificate:
    """Import an organisation's certificate and its key from one PKCS#12 archive (the
    certificate provider's file). A person's archive is refused: their key stays with them."""
    if kind == CertificateKind.PERSONAL or owner_user is not None:
        raise _personal_key_refused()
    issued = open_pkcs12(pkcs12_bytes, password)
    with transaction.atomic():
        certificate = import_certificate(
            pki.to_pem(issued.certificate), kind=kind, owner_unit=owner_unit, owner_user=owner_user
        )
        store_pkcs12_key(certificate, pkcs12_bytes, password=password)
    return certificate


def import_personal_certificate(certificate: x509.Certificate, *, owner_user) -> Certificate:
    """An official's certificate (its key on their token or at the CA's remote service): only
    for its holder (``check_enrolment``), audited and told to the official."""
    check_enrolment(certificate, owner_user, backend="")
    with transaction.atomic():
        imported = import_certificate(
            pki.to_pem(certificate), kind=CertificateKind.PERSONAL, owner_user=owner_user
        )
        _personal_certificate_enrolled(imported)
    return imported


def check_enrolment(certificate: x509.Certificate, user, *, backend: str) -> None:
    """``enrolment.check_holder``, with a refusal audited (outside any transaction that the
    refusal rolls back) so that attempts to plant a key in someone's name leave a trace."""
    try:
        enrolment.check_holder(certificate, user)
    except ValidationError as error:
        audit.record(
            "signing.enrolment_refused",
            user,
            data={
                "reason": error.code,
                "backend": backend,
                "subject": certificate.subject.rfc4514_string()[:500],
                "issuer": certificate.issuer.rfc4514_string()[:500],
                "fingerprint": pki.fingerprint(certificate),
            },
        )
        raise


def _personal_certificate_enrolled(certificate: Certificate) -> None:
    """Audit the enrolment and tell the official, who may not have asked for it."""
    from congso.notify.services import notify

    method, method_name = signing_method(certificate)
    audit.record(
        "signing.personal_key_enrolled",
        certificate,
        data={
            "user": certificate.owner_user_id,
            "fingerprint": certificate.fingerprint,
            "method": method,
        },
    )
    notify(
        certificate.owner_user,
        "signing.personal_key_enrolled",
        {
            "name": certificate.owner_user.get_full_name(),
            "certificate": certificate.common_name,
            "issuer": certificate.issuer,
            "serial": certificate.serial,
            "backend": method_name,
            "at": timezone.now(),
        },
        dedup_key=f"signing.certificate:{certificate.owner_user_id}:{certificate.pk}",
    )


@transaction.atomic
def set_trust_anchor(certificate: Certificate, trusted: bool) -> Certificate:
    """Trust (or stop trusting) a root CA certificate for verification and B-LT signing."""
    if trusted and certificate.issuer != certificate.subject:
        raise ValidationError(
            _("Chỉ chứng thư gốc (tự ký) mới được đặt làm chứng thư gốc tin cậy."),
            code="not_a_root",
        )
    certificate.is_trust_anchor = trusted
    certificate.save(update_fields=["is_trust_anchor"])
    audit.record(
        "signing.trust_anchor_set",
        certificate,
        data={"trusted": trusted, "subject": certificate.subject},
    )
    return certificate


@transaction.atomic
def import_authority(data: bytes, *, trust_anchor: bool = False) -> Certificate:
    """A CA certificate (PEM or DER): a government root or an intermediate CA."""
    try:
        parsed = pki.load_any(data)
    except ValueError as exc:
        raise ValidationError(
            _("Tệp không phải chứng thư số (PEM hoặc DER)."), code="bad_certificate"
        ) from exc
    if not pki.is_authority(parsed):
        raise ValidationError(
            _("Chứng thư số này không phải của tổ chức cung cấp dịch vụ chứng thực (CA)."),
            code="not_an_authority",
        )
    if trust_anchor and parsed.issuer != parsed.subject:
        raise ValidationError(
            _("Chỉ chứng thư gốc (tự ký) mới được đặt làm chứng thư gốc tin cậy."),
            code="not_a_root",
        )
    certificate = import_certificate(
        pki.to_pem(parsed), kind=CertificateKind.AUTHORITY, trust_anchor=trust_anchor
    )
    if trust_anchor and not certificate.is_trust_anchor:
        set_trust_anchor(certificate, True)
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


def _usable_keys(now=None):
    now = now or timezone.now()
    return SigningKey.objects.filter(
        certificate__revoked_at__isnull=True,
        certificate__not_after__gt=now,
        certificate__not_before__lte=now,
    ).select_related("certificate", "certificate__owner_unit")


def organisation_key(unit, *, now=None) -> SigningKey | None:
    """The key of ``unit``'s organisation certificate (its seal), or of its locality's — a
    department signs with its people's committee's seal. None when neither has a valid one."""
    keys = _usable_keys(now).filter(
        certificate__kind=CertificateKind.ORGANISATION,
        certificate__owner_unit__in=[unit, unit.locality()],
    )
    own = keys.filter(certificate__owner_unit=unit).order_by("-certificate__not_after").first()
    return own or keys.order_by("-certificate__not_after").first()


def _signer_for(key: SigningKey, pin: str | None):
    certificate = key.certificate
    chain = chain_for(certificate)
    if key.backend == KeyBackend.DATABASE:
        return load_database_signer(key, chain)
    if key.backend == KeyBackend.PKCS12:
        raise ValidationError(
            _(
                "Khoá ký vẫn là tệp trên đĩa của một máy chủ; hãy chạy "
                "“python -m congso signing_keys --import-files” trên máy đó."
            ),
            code="key_on_disk",
        )
    pin = pin or settings.CONGSO_HSM_PIN
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
    layout: str = STAMP,
    notation: str = "",
    fill: dict[str, str] | None = None,
) -> bytes:
    """Sign ``pdf_bytes`` with PAdES at ``level`` and return the new bytes.

    ``appearance``: ``True`` for the Decree 30 stamp from the certificate owner, an
    ``Appearance`` to choose the text and box, ``False``/``None`` for an invisible signature.
    ``layout="annex"`` with ``notation`` (``"12/QĐ-UBND"``): the organisation's signature on an
    annex in a separate file — top right of page 1, number/notation and signing time, no image.
    ``layout="signer"``: the signer's image alone in the space between title and name that a
    composed draft leaves (the stamp at the bottom right otherwise); ``layout="seal"``: the
    organisation's seal over the left third of the signer's image, with ``notation``.
    ``fill``: form fields written just before signing (number and date in the header at issue).
    ``timestamper``: a pyHanko ``TimeStamper``; by default an HTTP client of ``CONGSO_TSA_URL``.
    """
    if level not in SignatureLevel.values:
        raise ValidationError(_("Mức chữ ký không hợp lệ."), code="bad_level")
    if layout not in LAYOUTS:
        raise ValidationError(_("Kiểu hiển thị chữ ký không hợp lệ."), code="bad_layout")
    if layout == ANNEX and not notation.strip():
        raise ValidationError(
            _("Chữ ký trên phụ lục cần số, ký hiệu của văn bản."), code="notation_required"
        )
    certificate = key.certificate
    refuse_personal_key(certificate)
    check_certificate_usable(certificate)
    if layout == ANNEX:
        appearance = annex_appearance(notation.strip(), name=str(certificate))
    elif appearance is True:
        appearance = default_appearance(key)
    if layout in (SIGNER, SEAL) and isinstance(appearance, Appearance):
        appearance = replace(appearance, layout=layout, notation=notation or appearance.notation)
    validation_context = (
        make_validation_context(ocsp_for=[certificate])
        if level in (SignatureLevel.B_LT, SignatureLevel.B_LTA)
        else None
    )
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
            fill=fill,
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
    signed_file.file.save(
        f"{digest[:16]}-{Path(name).name}", inert(data, name, allowed=(PDF,)), save=False
    )
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


# ---------------------------------------------------------------- signers (desk token, remote)


def key_signer(key: SigningKey, pin: str | None = None):
    """A pyHanko signer for a key the server holds (the organisation's seal in the HSM)."""
    return _signer_for(key, pin)


def personal_certificate(user, *, now=None) -> Certificate | None:
    """The certificate ``user`` signs with: a valid personal one, those with a chosen way to
    sign (token, remote service) first, then the one that lasts longest."""
    now = now or timezone.now()
    candidates = Certificate.objects.filter(
        kind=CertificateKind.PERSONAL,
        owner_user=user,
        revoked_at__isnull=True,
        not_after__gt=now,
        not_before__lte=now,
    )
    chosen = candidates.exclude(signing_method="").order_by("-not_after").first()
    return chosen or candidates.order_by("-not_after").first()


def signing_method(certificate: Certificate) -> tuple[str, str]:
    """(identifier, Vietnamese name) of the way ``certificate`` signs, shown before signing."""
    from .signers.registry import method_for, registry

    identifier = method_for(certificate)
    plugin = registry.get(identifier) if identifier in registry else None
    return identifier, str(plugin.verbose_name) if plugin else identifier


@transaction.atomic
def choose_signing_method(certificate: Certificate, method: str, *, remote_user_id: str = ""):
    """Record how ``certificate``'s owner signs (a person never with a server key)."""
    from .signers.registry import REMOTE, registry, signer_for

    if method not in registry:
        raise ValidationError(_("Cách ký không hợp lệ."), code="bad_method")
    if method == REMOTE and not remote_user_id.strip():
        raise ValidationError(
            _("Cần nhập tài khoản ký số từ xa của người ký."), code="remote_user_required"
        )
    certificate.signing_method = method
    certificate.remote_user_id = remote_user_id.strip()[:100]
    signer_for(certificate)  # refuses a method its owner may not use
    certificate.save(update_fields=["signing_method", "remote_user_id"])
    audit.record(
        "signing.method_chosen",
        certificate,
        unit_id=certificate.owner_unit_id,
        data={"method": method, "remote_user_id": certificate.remote_user_id},
    )
    return certificate


def start_signature(
    pdf_bytes: bytes,
    *,
    actor,
    certificate: Certificate,
    reason: str = "",
    layout: str = SIGNER,
    purpose: str = "",
):
    """Prepare ``pdf_bytes`` and ask the certificate's signer for the signature value.

    Returns ``(pending, step)``: ``step.kind`` says what happens next — ``agent`` (the browser
    hands ``step.request`` to the local signing agent), ``confirm`` (the official confirms on
    the phone; call ``collect_signature`` until it answers), ``done`` (the value is there).
    """
    from . import external
    from .signers.base import SignerUnavailable
    from .signers.registry import signer_for

    signer = signer_for(certificate)
    pending = external.prepare(
        pdf_bytes,
        certificate=certificate,
        reason=reason,
        requested_by=actor,
        layout=layout,
        method=signer.identifier,
        purpose=purpose,
    )
    try:
        step = signer.start(pending)
    except SignerUnavailable as exc:
        raise ValidationError(str(exc), code="signer_unavailable") from exc
    if step.kind == "confirm":
        pending.transaction_id = step.request.get("transaction_id", "")[:100]
        pending.save(update_fields=["transaction_id"])
    return pending, step


def collect_signature(pending, *, actor, signature: bytes | None = None) -> bytes | None:
    """The signed PDF once the signer has answered, else None (still waiting).

    ``signature``: the value the local agent returned (desk token); without it the signer is
    asked (remote service). Only the official who asked may collect; a refusal, an expired
    request or a value that does not match the certificate changes nothing.
    """
    from . import external
    from .signers.base import SignerUnavailable
    from .signers.registry import signer_for

    if pending.requested_by_id != getattr(actor, "pk", None):
        raise ValidationError(_("Yêu cầu ký này không phải của bạn."), code="not_yours")
    if pending.completed_at is not None:
        raise ValidationError(_("Yêu cầu ký này đã hoàn tất."), code="already_done")
    if signature is None:
        try:
            outcome = signer_for(pending.certificate).poll(pending)
        except SignerUnavailable as exc:
            raise ValidationError(str(exc), code="signer_unavailable") from exc
        if outcome.status == "pending":
            return None
        if outcome.status != "done":
            message = (
                _("Người ký đã từ chối yêu cầu ký.")
                if outcome.status == "rejected"
                else _("Yêu cầu ký đã hết hạn; hãy ký lại.")
            )
            raise ValidationError(message, code=outcome.status)
        signature = outcome.signature
    return external.complete(pending, signature, signer_user=actor)


def pending_signature(pk, *, user):
    """``user``'s own open signature request ``pk``, or None."""
    from .models import PendingSignature

    return (
        PendingSignature.objects.select_related("certificate")
        .filter(pk=pk, requested_by=user, completed_at__isnull=True)
        .first()
    )


# ---------------------------------------------------------------- long-term validity


def level_for(unit) -> str:
    """The PAdES level of ``unit``'s seal signatures: its own choice, else its locality's, else
    B-LT where a time-stamp server is configured (a signature that outlives its certificate,
    Decree 23/2025 art. 22 on long-term validation data), B-B otherwise."""
    from .models import SigningPolicy

    if unit is not None:
        candidates = [unit.pk, unit.locality().pk]
        policies = {p.unit_id: p.level for p in SigningPolicy.objects.filter(unit__in=candidates)}
        for pk in candidates:
            if pk in policies:
                return _reachable(policies[pk])
    return SignatureLevel.B_LT if settings.CONGSO_TSA_URL else SignatureLevel.B_B


def _reachable(level: str) -> str:
    """Without a time-stamp server only B-B can be made: say so rather than fail at issue."""
    return level if settings.CONGSO_TSA_URL or level == SignatureLevel.B_B else SignatureLevel.B_B


@transaction.atomic
def set_level(unit, level: str):
    from .models import SigningPolicy

    if level not in SignatureLevel.values:
        raise ValidationError(_("Mức chữ ký không hợp lệ."), code="bad_level")
    policy, _created = SigningPolicy.objects.update_or_create(
        unit=unit, defaults={"level": level, "updated_at": timezone.now()}
    )
    audit.record("signing.level_set", policy, unit_id=unit.pk, data={"level": level})
    return policy


def relayed_signature(body: bytes) -> bytes:
    """The desk token's answer as the browser relays it, ``{"signature": base64}``; anything else
    is refused with the Vietnamese message both signing pages show."""
    try:
        return base64.b64decode(json.loads(body)["signature"], validate=True)
    except (ValueError, KeyError, TypeError, binascii.Error):
        raise ValidationError(_("Phần mềm ký số trả về dữ liệu không hợp lệ.")) from None
