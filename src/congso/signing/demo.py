"""The demo PKI: a root CA, an intermediate CA, a seal certificate for the district and each
commune, and a personal certificate for each demo official. Demo only: production imports real
certificates and the government root certificates. Idempotent; the keys are sealed in the
database like any key the server holds (``signing.keystore``).
"""

from django.core.exceptions import ValidationError

from congso.accounts.models import Position
from congso.org.models import Unit

from . import pki, services
from .models import Certificate, CertificateKind

ROOT_CN = "Công Sở Demo Root CA"
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
    issued = pki.issue(pki.name(unit.name, organisation=unit.name), issuer=issuer, **options)
    return _store(issued, kind=CertificateKind.ORGANISATION, owner_unit=unit)


def issue_for_user(user, issuer: pki.Issued, **options) -> Certificate:
    """A personal certificate and key for ``user`` (kept if one exists)."""
    existing = user.certificates.filter(kind=CertificateKind.PERSONAL, key__isnull=False)
    if not options and existing.exists():
        return existing.first()
    position = Position.objects.filter(user=user).select_related("unit").first()
    subject = pki.name(
        user.get_full_name(),
        organisation=position.unit.locality().name if position else "",
        title=position.title if position else "",
    )
    issued = pki.issue(subject, issuer=issuer, **options)
    return _store(issued, kind=CertificateKind.PERSONAL, owner_user=user)


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
