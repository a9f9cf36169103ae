"""External signer flow: the server prepares, a token on the official's desk signs, the server
embeds (pyHanko's interrupted signing).

1. ``prepare(pdf, certificate=...)`` reserves the signature field, hashes the document and builds
   the CMS signed attributes; it returns a ``PendingSignature`` and the request for the agent
   (``request_for_agent``: JSON with the bytes to sign, base64).
2. The agent (``python -m congso signing_agent``) signs those bytes with SHA-256 + RSA PKCS#1 v1.5
   on the PKCS#11 token and answers ``{"id": ..., "signature": base64}``.
3. ``complete(pending, signature)`` checks the signature against the certificate's public key
   (a wrong token or key is refused, nothing embedded), builds the CMS and fills it in.
"""

import asyncio
import base64
import io
from dataclasses import replace

from asn1crypto import cms
from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.asymmetric.padding import PKCS1v15
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from pyhanko.sign import fields, signers
from pyhanko.sign.signers.pdf_byterange import PreparedByteRangeDigest
from pyhanko.sign.signers.pdf_signer import PdfTBSDocument
from pyhanko_certvalidator.registry import SimpleCertificateStore

from congso.core import audit

from . import pki
from .engine import (
    STAMP,
    Appearance,
    SigningFailure,
    chain_for,
    open_for_signing,
    place,
    stamp_style,
    to_asn1,
)
from .models import Certificate, PendingSignature, SignatureLevel
from .services import _record, check_certificate_usable, default_appearance

RESERVED = 16384


def _external_signer(certificate: Certificate, signature_value: bytes | None = None):
    return signers.ExternalSigner(
        signing_cert=to_asn1(certificate.pem),
        cert_registry=SimpleCertificateStore.from_certs(
            [to_asn1(pem) for pem in chain_for(certificate)]
        ),
        signature_value=signature_value or bytes(256),
    )


async def _prepare(writer, signer, field_name, reason, appearance, page_count):
    style, params, spec = None, None, None
    if appearance is not None:
        style, params = stamp_style(appearance)
        field_name, spec = place(writer, appearance, field_name, page_count)
    pdf_signer = signers.PdfSigner(
        signers.PdfSignatureMetadata(
            field_name=field_name,
            md_algorithm="sha256",
            subfilter=fields.SigSeedSubFilter.PADES,
            reason=reason or None,
        ),
        signer=signer,
        stamp_style=style,
        new_field_spec=spec,
    )
    digest, _tbs, output = await pdf_signer.async_digest_doc_for_signing(
        writer, bytes_reserved=RESERVED, appearance_text_params=params
    )
    attributes = await signer.signed_attrs(digest.document_digest, "sha256", use_pades=True)
    return digest, attributes, output, field_name


def prepare(
    pdf_bytes: bytes,
    *,
    certificate: Certificate,
    reason: str = "",
    appearance: Appearance | None | bool = True,
    requested_by=None,
    layout: str = STAMP,
    method: str = "",
    purpose: str = "",
) -> PendingSignature:
    """Prepare ``pdf_bytes`` for ``certificate``'s external signer (B-B).

    ``layout="signer"``: the signature image in the signer block a composed draft leaves."""
    check_certificate_usable(certificate)
    if appearance is True:
        appearance = default_appearance(_KeyView(certificate))
    if isinstance(appearance, Appearance) and layout != STAMP:
        appearance = replace(appearance, layout=layout)
    try:
        writer = open_for_signing(pdf_bytes)
        count = len(list(fields.enumerate_sig_fields(writer.prev)))
        page_count = int(writer.prev.root["/Pages"]["/Count"])
    except SigningFailure as exc:
        raise ValidationError(str(exc), code=exc.code) from exc
    except Exception as exc:  # noqa: BLE001 - a PDF without a page tree
        raise ValidationError(
            _("Tệp không phải PDF hợp lệ hoặc đã bị hỏng."), "pdf_broken"
        ) from exc
    field_name = f"ChuKySo{count + 1}"
    digest, attributes, output, field_name = asyncio.run(
        _prepare(
            writer,
            _external_signer(certificate),
            field_name,
            reason,
            appearance or None,
            page_count,
        )
    )
    with transaction.atomic():
        pending = PendingSignature.objects.create(
            certificate=certificate,
            requested_by=requested_by,
            prepared_pdf=output.getvalue(),
            signed_attributes=attributes.dump(),
            document_digest=digest.document_digest,
            region_start=digest.reserved_region_start,
            region_end=digest.reserved_region_end,
            field_name=field_name,
            reason=reason[:255],
            level=SignatureLevel.B_B,
            method=method,
            purpose=purpose[:100],
        )
        audit.record("signing.external_prepared", pending, unit_id=certificate.owner_unit_id)
    return pending


class _KeyView:
    """What ``default_appearance`` reads from a key: its certificate."""

    def __init__(self, certificate):
        self.certificate = certificate


def request_for_agent(pending: PendingSignature) -> dict:
    return {
        "id": pending.pk,
        "digest_algorithm": "sha256",
        "certificate_sha256": pending.certificate.fingerprint,
        "data_to_sign": base64.b64encode(bytes(pending.signed_attributes)).decode(),
    }


def _check_signature(certificate: Certificate, data: bytes, signature: bytes) -> None:
    public_key = pki.load_pem(certificate.pem).public_key()
    try:
        public_key.verify(signature, data, PKCS1v15(), hashes.SHA256())
    except (InvalidSignature, ValueError, TypeError) as exc:
        raise ValidationError(
            _("Chữ ký trả về không khớp với chứng thư số; tệp không được ký."),
            code="bad_signature",
        ) from exc


def complete(pending: PendingSignature, signature: bytes, *, signer_user=None) -> bytes:
    """Embed the agent's ``signature`` and return the signed PDF (once per request)."""
    if pending.completed_at is not None:
        raise ValidationError(_("Yêu cầu ký này đã hoàn tất."), code="already_done")
    certificate = pending.certificate
    check_certificate_usable(certificate)
    attributes_der = bytes(pending.signed_attributes)
    _check_signature(certificate, attributes_der, signature)
    signer = _external_signer(certificate, signature)
    attributes = cms.CMSAttributes.load(attributes_der)
    signed_cms = asyncio.run(
        signer.async_sign_prescribed_attributes("sha256", signed_attrs=attributes)
    )
    output = io.BytesIO(bytes(pending.prepared_pdf))
    digest = PreparedByteRangeDigest(
        document_digest=bytes(pending.document_digest),
        reserved_region_start=pending.region_start,
        reserved_region_end=pending.region_end,
    )
    PdfTBSDocument.finish_signing(output, prepared_digest=digest, signature_cms=signed_cms)
    signed = output.getvalue()
    with transaction.atomic():
        pending.completed_at = timezone.now()
        pending.save(update_fields=["completed_at"])
        _record(
            certificate,
            signed,
            level=pending.level,
            field_name=pending.field_name,
            reason=pending.reason,
            user=signer_user,
        )
    return signed
