"""Whose key is this? The checks a personal certificate passes before its key is enrolled.

A personal key signs in an official's name, so an administrator may not install any key they
like: the certificate must chain to a CA the platform trusts for enrolment
(``CONGSO_TRUST_ANCHORS``, plus the demo root in demo mode) and name the official.

The subject rule follows Vietnamese CA certificates (VNPT-CA, Viettel-CA, BkavCA, Ban Cơ yếu
Chính phủ): the holder's name is the ``CN``, and the personal ID number is written as
``CMND:<9 digits>`` or ``CCCD:<12 digits>`` in the ``UID`` attribute (some CAs use
``serialNumber``). The ``CN`` must equal the official's full name folded (case, diacritics and
spaces ignored); when both the certificate and the official's record carry a personal ID number,
the numbers must be equal too, so that a namesake's certificate is refused.
"""

import asyncio
import re
from pathlib import Path

from cryptography import x509
from cryptography.x509.oid import NameOID
from django.conf import settings
from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

from congso.core.text import fold

from . import pki

#: ``CMND:012345678``, ``CCCD:001234567890`` or the bare number, in UID or serialNumber.
_ID_NUMBER = re.compile(r"^(?:(?:CMND|CCCD|CMT|CC)\s*[:\-]?\s*)?(\d{9}|\d{12})$", re.IGNORECASE)


def configured_roots() -> list[x509.Certificate]:
    roots = []
    for path in settings.CONGSO_TRUST_ANCHORS:
        roots.extend(x509.load_pem_x509_certificates(Path(path).read_bytes()))
    return roots


# The demo PKI's root (``congso.demo.signing``), trusted only while demo mode is on.
DEMO_ROOT_CN = "Công Sở Demo Root CA"


def _demo_root() -> list[x509.Certificate]:
    """The demo root CA built by ``congso.demo.signing``, only while demo mode is on."""
    from .models import Certificate, CertificateKind

    if not settings.DEMO_MODE:
        return []
    rows = Certificate.objects.filter(
        kind=CertificateKind.AUTHORITY, is_trust_anchor=True, common_name=DEMO_ROOT_CN
    )
    return [pki.load_pem(row.pem) for row in rows]


def trusted_roots() -> list[x509.Certificate]:
    return configured_roots() + _demo_root()


def _chains_to_trusted_ca(certificate: x509.Certificate) -> bool:
    from pyhanko_certvalidator import CertificateValidator, ValidationContext

    from .engine import to_asn1
    from .models import Certificate, CertificateKind

    roots = [to_asn1(pki.to_pem(root)) for root in trusted_roots()]
    if not roots:
        return False
    intermediates = [
        to_asn1(row.pem)
        for row in Certificate.objects.filter(kind=CertificateKind.AUTHORITY, is_trust_anchor=False)
    ]
    context = ValidationContext(trust_roots=roots, other_certs=intermediates, allow_fetching=False)
    validator = CertificateValidator(to_asn1(pki.to_pem(certificate)), validation_context=context)
    try:
        asyncio.run(validator.async_validate_path())
    except Exception:  # noqa: BLE001 - any path failure (unknown CA, expired, bad signature)
        return False
    return True


def id_numbers(certificate: x509.Certificate) -> set[str]:
    """Personal ID numbers written in the subject (UID or serialNumber)."""
    numbers = set()
    for oid in (NameOID.USER_ID, NameOID.SERIAL_NUMBER):
        for attribute in certificate.subject.get_attributes_for_oid(oid):
            match = _ID_NUMBER.match(str(attribute.value).strip())
            if match:
                numbers.add(match.group(1))
    return numbers


def names_the_official(certificate: x509.Certificate, user) -> bool:
    common_name = pki.attribute(certificate.subject, NameOID.COMMON_NAME)
    if not common_name or fold(common_name) != fold(user.full_name):
        return False
    numbers = id_numbers(certificate)
    return not (numbers and user.id_number) or user.id_number in numbers


def check_holder(certificate: x509.Certificate, user) -> None:
    """Refuse, in Vietnamese, a certificate that may not carry ``user``'s personal key."""
    if pki.is_authority(certificate):
        raise ValidationError(
            _("Đây là chứng thư số của CA, không phải chứng thư số cá nhân."), code="not_personal"
        )
    if not _chains_to_trusted_ca(certificate):
        raise ValidationError(
            _(
                "Chứng thư số không do tổ chức cung cấp dịch vụ chứng thực tin cậy cấp (hoặc "
                "đã hết hạn); không thể dùng làm chữ ký cá nhân."
            ),
            code="untrusted_issuer",
        )
    if not names_the_official(certificate, user):
        raise ValidationError(
            _(
                "Chứng thư số không mang tên (hoặc số định danh) của cán bộ %(name)s; chỉ "
                "chứng thư số cấp cho chính cán bộ mới được gắn làm chữ ký cá nhân."
            )
            % {"name": user.get_full_name()},
            code="wrong_holder",
        )
