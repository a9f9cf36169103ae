"""CRLs issued by the CAs whose keys the platform holds (the demo PKI, or a unit's own CA).

A CRL is regenerated only when the set of revocations changes, so signing at B-LT and verifying
stay cheap. Government CAs publish their own CRLs; those are fetched only when
``CONGSO_SIGNING_FETCH_REVOCATION`` is on.
"""

from functools import lru_cache
from pathlib import Path

from asn1crypto import crl as asn1_crl
from django.conf import settings

from . import pki


def _state() -> tuple:
    from .models import Certificate, CertificateKind, KeyBackend

    authorities = tuple(
        Certificate.objects.filter(
            kind=CertificateKind.AUTHORITY, key__backend=KeyBackend.PKCS12
        ).values_list("pk", "subject", "key__key_file")
    )
    revoked = tuple(
        Certificate.objects.filter(revoked_at__isnull=False)
        .order_by("pk")
        .values_list("issuer", "serial", "revoked_at")
    )
    return authorities, revoked


def current_crls() -> list[asn1_crl.CertificateList]:
    authorities, revoked = _state()
    from .engine import passphrase

    return list(_crls(authorities, revoked, passphrase()))


@lru_cache(maxsize=8)
def _crls(authorities: tuple, revoked: tuple, passphrase: str) -> tuple:
    lists = []
    for _pk, subject, key_file in authorities:
        path = Path(settings.VAR_DIR) / key_file
        if not path.exists():
            continue
        issuer = pki.from_pkcs12(path.read_bytes(), passphrase)
        entries = [(int(serial, 16), at) for iss, serial, at in revoked if iss == subject]
        lists.append(asn1_crl.CertificateList.load(pki.crl(issuer, entries)))
    return tuple(lists)
