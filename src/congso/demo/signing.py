"""The demo PKI: a root CA, an intermediate CA, a seal certificate for the district and each
commune, and a personal certificate for each demo official. Demo only: production imports real
certificates and the government root certificates. Idempotent; the CAs' and seals' keys are
sealed in the database like any key the server holds (``signing.keystore``). An official's key
is never the server's: it goes to the demo CA's remote-signing service (the sandbox ``make run``
starts reads ``var/remote_signing/<username>.p12``), the way a real CA keeps it, and the
official signs there, confirming in its "phone app".
"""

from pathlib import Path

from django.conf import settings
from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

from congso.accounts.models import Position
from congso.org.models import Unit
from congso.signing import pki, services
from congso.signing.engine import SIGNER
from congso.signing.enrolment import DEMO_ROOT_CN as ROOT_CN
from congso.signing.models import Certificate, CertificateKind
from congso.signing.signers.registry import REMOTE

INTERMEDIATE_CN = "Công Sở Demo Issuing CA"
DEMO_ORGANISATION = "Công Sở (demo)"


def _load_issued(certificate: Certificate) -> pki.Issued | None:
    key = getattr(certificate, "key", None)
    if key is None:
        return None
    try:
        return services.held_key(key)
    except ValidationError:
        return None


def _store(issued: pki.Issued, **kwargs) -> Certificate:
    certificate = services.import_certificate(pki.to_pem(issued.certificate), **kwargs)
    services.store_private_key(certificate, issued.key)
    return certificate


def _existing_authority(common_name: str) -> pki.Issued | None:
    for certificate in Certificate.objects.filter(
        kind=CertificateKind.AUTHORITY, common_name=common_name
    ).select_related("key"):
        issued = _load_issued(certificate)
        if issued is not None:
            return issued
    return None


def ensure_authorities() -> tuple[pki.Issued, pki.Issued]:
    """The demo root and intermediate CAs, created the first time."""
    root = _existing_authority(ROOT_CN)
    if root is None:
        root = pki.issue(
            pki.name(ROOT_CN, organisation=DEMO_ORGANISATION),
            authority=True,
            path_length=1,
            days=20 * 365,
        )
        _store(root, kind=CertificateKind.AUTHORITY, trust_anchor=True)
    intermediate = _existing_authority(INTERMEDIATE_CN)
    if intermediate is None:
        intermediate = pki.issue(
            pki.name(INTERMEDIATE_CN, organisation=DEMO_ORGANISATION),
            issuer=root,
            authority=True,
            path_length=0,
            days=10 * 365,
        )
        _store(intermediate, kind=CertificateKind.AUTHORITY)
    return root, intermediate


def issue_for_unit(unit: Unit, issuer: pki.Issued, **options) -> Certificate:
    """A seal certificate and key for ``unit`` (kept if one exists)."""
    existing = unit.certificates.filter(kind=CertificateKind.ORGANISATION, key__isnull=False)
    if not options and existing.exists():
        return existing.first()
    issued = pki.issue(
        pki.name(unit.name, organisation=unit.name), issuer=issuer, **_where_to_ask(options)
    )
    return _store(issued, kind=CertificateKind.ORGANISATION, owner_unit=unit)


def _where_to_ask(options: dict) -> dict:
    """The demo CA's certificates name the platform's OCSP responder (``CONGSO_DEMO_OCSP_URL``)
    so that pdfsig, Adobe and pyHanko can ask it, as they ask a real CA."""
    return {"ocsp_url": settings.CONGSO_DEMO_OCSP_URL, **options}


def remote_keys_dir() -> Path:
    """The demo CA's side: where its remote-signing sandbox keeps the officials' keys."""
    return Path(settings.VAR_DIR) / "remote_signing"


def issue_for_user(user, issuer: pki.Issued, **options) -> Certificate:
    """A personal certificate for ``user`` (kept if one exists), its key handed to the demo
    CA's remote-signing service, which the official then signs with."""
    existing = user.certificates.filter(kind=CertificateKind.PERSONAL).first()
    if not options and existing is not None and device_key(existing) is not None:
        return existing
    position = Position.objects.filter(user=user).select_related("unit").first()
    subject = pki.name(
        user.get_full_name(),
        organisation=position.unit.locality().name if position else "",
        title=position.title if position else "",
    )
    issued = pki.issue(subject, issuer=issuer, **_where_to_ask(options))
    certificate = services.import_certificate(
        pki.to_pem(issued.certificate), kind=CertificateKind.PERSONAL, owner_user=user
    )
    directory = remote_keys_dir()
    directory.mkdir(parents=True, exist_ok=True)
    path = directory / f"{user.username}.p12"
    path.write_bytes(pki.to_pkcs12(issued, services.passphrase()))
    path.chmod(0o600)
    return services.choose_signing_method(certificate, REMOTE, remote_user_id=user.username)


def device_key(certificate: Certificate) -> pki.Issued | None:
    """The key the demo CA keeps for ``certificate``'s official (None if it has none)."""
    path = remote_keys_dir() / f"{certificate.remote_user_id}.p12"
    if not certificate.remote_user_id or not path.is_file():
        return None
    issued = pki.from_pkcs12(path.read_bytes(), services.passphrase())
    return issued if pki.fingerprint(issued.certificate) == certificate.fingerprint else None


def confirm_on_phone(pending) -> bytes:
    """What the demo CA's service returns once the official confirms ``pending`` on the phone:
    the raw signature over the prepared attributes (the demo loader signs its documents so)."""
    issued = device_key(pending.certificate)
    if issued is None:
        raise ValidationError(_("Dịch vụ ký số từ xa mẫu không giữ khoá của chứng thư này."))
    return pki.sign_attributes(issued.key, bytes(pending.signed_attributes))


def load(loaded: dict) -> dict:
    """Called by the demo loader: certificates for the demo district's units and officials."""
    _root, intermediate = ensure_authorities()
    district = loaded["units"]["district"]
    certificates = {}
    for unit in Unit.objects.subtree(district).localities():
        certificates[unit.short_name or unit.name] = issue_for_unit(unit, intermediate)
    officials = (
        Position.objects.filter(unit__in=Unit.objects.subtree(district))
        .select_related("user")
        .order_by("user_id")
    )
    for position in officials:
        user = position.user
        if user.is_official and user.username not in certificates:
            certificates[user.username] = issue_for_user(user, intermediate)
    return certificates


def sign_on_phone(pdf_bytes: bytes, *, certificate: Certificate, user, reason: str = "") -> bytes:
    """``user`` signs ``pdf_bytes`` at the demo CA's service and confirms at once (the demo
    loader, before any service runs; the site itself asks the running service and waits)."""
    from congso.signing import external

    pending = external.prepare(
        pdf_bytes,
        certificate=certificate,
        reason=reason,
        requested_by=user,
        layout=SIGNER,
        method=REMOTE,
    )
    return external.complete(pending, confirm_on_phone(pending), signer_user=user)
