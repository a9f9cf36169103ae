"""Verification of the signatures in a PDF, told in Vietnamese.

pyHanko's ``valid`` only says the CMS signature matches its signed attributes: after a byte of the
signed range changes it may stay true while ``intact`` turns false. The bottom line here therefore
requires intact, trusted, not revoked and the whole document covered (or only later signatures
and their validation data appended).

Each signature's report also says what a court asks (Decree 23/2025 on e-signatures, art. 22 on
validation data): the chain to a trusted root, the revocation status and where it came from (the
file's own DSS, the platform's OCSP responder, the CA online), the PAdES level the file reaches
for it, and what was changed after it was made.
"""

import contextlib
import io
import itertools
from dataclasses import asdict, dataclass

from asn1crypto import pem
from django.conf import settings
from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy as _lazy
from pyhanko.pdf_utils.reader import PdfFileReader
from pyhanko.sign.diff_analysis import ModificationLevel
from pyhanko.sign.fields import enumerate_sig_fields
from pyhanko.sign.validation import validate_pdf_signature
from pyhanko.sign.validation.settings import KeyUsageConstraints
from pyhanko.sign.validation.status import SignatureCoverageLevel

#: What may follow a signature: validation data (B-LT) and further signatures.
ACCEPTED_LATER_CHANGES = {
    ModificationLevel.NONE,
    ModificationLevel.LTA_UPDATES,
    ModificationLevel.FORM_FILLING,
}


@dataclass
class SignatureReport:
    field_name: str
    signer: str
    organisation: str
    serial: str
    issuer: str
    signing_time: str | None
    timestamp: str | None
    signing_time_text: str
    timestamp_text: str
    intact: bool
    trusted: bool
    revoked: bool
    covers_whole_document: bool
    ok: bool
    bottom_line: str
    #: Common names from the signer up to the trusted root (empty when no path was found).
    chain: list[str]
    trust_anchor: str
    expired: bool
    #: ``good``, ``revoked`` or ``unknown`` (no revocation data about the signer's certificate).
    revocation: str
    #: ``dss`` (embedded in the file), ``platform`` (our OCSP responder and CRLs), ``online``
    #: (fetched from the CA's AIA/CRL addresses) or ``""``.
    revocation_source: str
    revocation_source_text: str
    #: ``B-B``, ``B-T``, ``B-LT`` or ``B-LTA``: what the file holds for this signature.
    level: str
    modified_after_signing: bool
    #: pyHanko's modification level: ``NONE``, ``LTA_UPDATES``, ``FORM_FILLING``,
    #: ``ANNOTATIONS``, ``OTHER``.
    modifications: str
    modifications_text: str

    def as_dict(self) -> dict:
        return asdict(self)


def _name_part(name, key: str) -> str:
    return str(name.native.get(key, "") or "")


def _known_revocation(signing_cert, signed_at):
    """A revocation recorded in the database for this certificate (issuer and serial)."""
    from .models import Certificate

    serial = format(signing_cert.serial_number, "x")
    certificate = Certificate.objects.filter(serial=serial, revoked_at__isnull=False).first()
    if certificate is None:
        return None
    digest = pem.armor("CERTIFICATE", signing_cert.dump()).decode()
    if certificate.pem.strip() != digest.strip():
        return None
    if signed_at is not None and certificate.revoked_at > signed_at:
        return None
    return certificate.revoked_at


def _iso(moment) -> str | None:
    return moment.isoformat() if moment is not None else None


def _shown(moment) -> str:
    from .engine import stamp_time

    return stamp_time(moment) if moment is not None else ""


def _bottom_line(*, intact, trusted, revoked, whole, expired=False) -> tuple[bool, str]:
    if not intact:
        return False, _("Tệp đã bị thay đổi sau khi ký: chữ ký không còn toàn vẹn.")
    if revoked:
        return False, _("Chứng thư số của người ký đã bị thu hồi trước thời điểm ký.")
    if expired:
        return False, _(
            "Chứng thư số của người ký đã hết hạn và chữ ký không có dấu thời gian chứng minh "
            "được ký khi chứng thư còn hiệu lực."
        )
    if not trusted:
        return False, _(
            "Chữ ký toàn vẹn nhưng chứng thư số không được một tổ chức tin cậy chứng thực."
        )
    if not whole:
        return False, _("Chữ ký hợp lệ nhưng tệp có nội dung được thêm vào sau khi ký.")
    return True, _("Chữ ký số hợp lệ: tệp toàn vẹn, chứng thư số tin cậy.")


def _report(embedded, context, evidence: "FileEvidence") -> SignatureReport:
    status = validate_pdf_signature(
        embedded,
        signer_validation_context=context,
        key_usage_settings=KeyUsageConstraints(
            key_usage={"digital_signature", "non_repudiation"}, match_all_key_usages=False
        ),
    )
    cert = status.signing_cert
    timestamp = status.timestamp_validity.timestamp if status.timestamp_validity else None
    signed_at = timestamp or status.signer_reported_dt
    revoked = bool(status.revoked or _known_revocation(cert, signed_at))
    whole = status.coverage == SignatureCoverageLevel.ENTIRE_FILE or (
        status.coverage == SignatureCoverageLevel.ENTIRE_REVISION
        and status.modification_level in ACCEPTED_LATER_CHANGES
        and status.docmdp_ok is not False
    )
    trusted = bool(status.trusted and not revoked)
    expired = _expired(status)
    ok, line = _bottom_line(
        intact=status.intact, trusted=trusted, revoked=revoked, whole=whole, expired=expired
    )
    source = evidence.revocation_source(cert)
    changes = _modifications(status)
    return SignatureReport(
        field_name=embedded.field_name,
        signer=_name_part(cert.subject, "common_name"),
        organisation=_name_part(cert.subject, "organization_name"),
        serial=format(cert.serial_number, "x"),
        issuer=_name_part(cert.issuer, "common_name"),
        signing_time=_iso(status.signer_reported_dt),
        timestamp=_iso(timestamp),
        signing_time_text=_shown(status.signer_reported_dt),
        timestamp_text=_shown(timestamp),
        intact=bool(status.intact),
        trusted=trusted,
        revoked=revoked,
        covers_whole_document=bool(whole),
        ok=ok,
        bottom_line=line,
        chain=_chain(status),
        trust_anchor=_anchor(status),
        expired=expired,
        revocation="revoked" if revoked else ("good" if source else "unknown"),
        revocation_source=source,
        revocation_source_text=str(REVOCATION_SOURCES.get(source, _("Không có dữ liệu thu hồi"))),
        level=evidence.level(embedded, has_timestamp=timestamp is not None),
        modified_after_signing=changes != "NONE",
        modifications=changes,
        modifications_text=str(MODIFICATIONS[changes]),
    )


def _chain(status) -> list[str]:
    path = status.validation_path
    if path is None:
        return []
    certificates = list(path.iter_certs(include_root=True))
    return [_name_part(c.subject, "common_name") for c in reversed(certificates)]


def _anchor(status) -> str:
    chain = _chain(status)
    return chain[-1] if chain and status.trusted else ""


def _expired(status) -> bool:
    """The signer's certificate was out of its validity at the time it was checked for."""
    indication = getattr(status.trust_problem_indic, "name", "")
    return indication in ("EXPIRED", "OUT_OF_BOUNDS_NO_POE", "OUT_OF_BOUNDS_NOT_REVOKED")


def _modifications(status) -> str:
    if status.coverage == SignatureCoverageLevel.ENTIRE_FILE:
        return "NONE"
    level = status.modification_level
    return level.name if level is not None else "OTHER"


REVOCATION_SOURCES = {
    "dss": _lazy("Dữ liệu thu hồi (OCSP/CRL) nhúng trong tệp (DSS)"),
    "platform": _lazy("Dịch vụ OCSP và CRL của nền tảng (CA do nền tảng vận hành)"),
    "online": _lazy("Tải từ CA qua địa chỉ OCSP/CRL ghi trong chứng thư"),
}
MODIFICATIONS = {
    "NONE": _lazy("Không có thay đổi nào sau khi ký."),
    "LTA_UPDATES": _lazy("Chỉ thêm dữ liệu kiểm tra hoặc dấu thời gian (giá trị lâu dài)."),
    "FORM_FILLING": _lazy("Điền biểu mẫu hoặc thêm chữ ký khác (được phép)."),
    "ANNOTATIONS": _lazy("Thêm ghi chú (annotation) sau khi ký."),
    "OTHER": _lazy("Nội dung bị thay đổi sau khi ký."),
}


def open_pdf(data: bytes) -> PdfFileReader:
    try:
        reader = PdfFileReader(io.BytesIO(data), strict=False)
        encrypted = reader.encrypted
    except Exception as exc:  # noqa: BLE001 - any parser failure means a broken file
        raise ValidationError(
            _("Tệp không phải PDF hợp lệ hoặc đã bị hỏng."), code="pdf_broken"
        ) from exc
    if encrypted:
        raise ValidationError(
            _("Tệp PDF có mật khẩu; không thể kiểm tra chữ ký."), code="pdf_encrypted"
        )
    return reader


def _page_count(reader: PdfFileReader) -> int:
    try:
        return int(reader.root["/Pages"]["/Count"])
    except Exception as exc:  # noqa: BLE001 - a page tree without a count is a broken file
        raise ValidationError(
            _("Tệp không phải PDF hợp lệ hoặc đã bị hỏng."), code="pdf_broken"
        ) from exc


def check_cost(data: bytes, reader: PdfFileReader) -> None:
    """Refuse, before any signature is validated, a file whose check would cost too much: over
    ``CONGSO_VERIFY_MAX_BYTES``, ``CONGSO_VERIFY_MAX_PAGES`` pages or
    ``CONGSO_VERIFY_MAX_SIGNATURES`` filled signature fields (counted without validating, and
    only up to one past the cap). Each signature costs a full validation: without the cap a
    44 KB file of many signature fields holds a CPU for tens of seconds."""
    max_bytes = settings.CONGSO_VERIFY_MAX_BYTES
    if len(data) > max_bytes:
        raise ValidationError(
            _("Tệp quá lớn để kiểm tra chữ ký; tối đa %(limit)s MB.")
            % {"limit": max(1, max_bytes // (1024 * 1024))},
            code="too_big",
        )
    max_pages = settings.CONGSO_VERIFY_MAX_PAGES
    if _page_count(reader) > max_pages:
        raise ValidationError(
            _("Tệp có quá nhiều trang để kiểm tra chữ ký; tối đa %(limit)s trang.")
            % {"limit": max_pages},
            code="too_many_pages",
        )
    max_signatures = settings.CONGSO_VERIFY_MAX_SIGNATURES
    try:
        fields = enumerate_sig_fields(reader, filled_status=True)
        count = sum(1 for _field in itertools.islice(fields, max_signatures + 1))
    except Exception as exc:  # noqa: BLE001 - a mangled form tree
        raise ValidationError(
            _("Tệp không phải PDF hợp lệ hoặc đã bị hỏng."), code="pdf_broken"
        ) from exc
    if count > max_signatures:
        raise ValidationError(
            _("Tệp có quá nhiều chữ ký để kiểm tra; tối đa %(limit)s chữ ký.")
            % {"limit": max_signatures},
            code="too_many_signatures",
        )


def _signers_known(signatures) -> list:
    """Rows of the signers' certificates, so that our OCSP responder can speak about them."""
    from .models import Certificate, CertificateKind

    serials = set()
    for embedded in signatures:
        with contextlib.suppress(Exception):  # a mangled signature is reported below
            serials.add(format(embedded.signer_cert.serial_number, "x"))
    return list(
        Certificate.objects.filter(serial__in=serials).exclude(kind=CertificateKind.AUTHORITY)
    )


class FileEvidence:
    """What the file itself holds for long-term validation: the DSS's OCSP responses and CRLs
    and its document time-stamps (PAdES B-LT, B-LTA)."""

    def __init__(self, reader: PdfFileReader, platform_serials: set[str]):
        self.reader = reader
        self.platform_serials = platform_serials
        self.ocsps, self.crls = _dss_revocation(reader)
        try:
            self.stamps = list(reader.embedded_timestamp_signatures)
        except Exception:  # noqa: BLE001 - a mangled time-stamp reads as none
            self.stamps = []

    def _in_dss(self, cert) -> bool:
        serial = cert.serial_number
        for response in self.ocsps:
            with contextlib.suppress(Exception):
                basic = response["response_bytes"]["response"].parsed
                for single in basic["tbs_response_data"]["responses"]:
                    if single["cert_id"]["serial_number"].native == serial:
                        return True
        return any(crl.issuer == cert.issuer for crl in self.crls)

    def revocation_source(self, cert) -> str:
        if self._in_dss(cert):
            return "dss"
        if format(cert.serial_number, "x") in self.platform_serials:
            return "platform"
        if (
            settings.CONGSO_SIGNING_FETCH_REVOCATION
            and cert.ocsp_urls + cert.crl_distribution_points
        ):
            return "online"
        return ""

    def level(self, embedded, *, has_timestamp: bool) -> str:
        """B-LTA: a document time-stamp after the signature; B-LT: its revocation data in the
        DSS; B-T: a signature time-stamp; B-B otherwise."""
        if not has_timestamp:
            return "B-B"
        if not self._in_dss(embedded.signer_cert):
            return "B-T"
        later = [s for s in self.stamps if s.signed_revision > embedded.signed_revision]
        return "B-LTA" if later else "B-LT"


def _dss_revocation(reader: PdfFileReader) -> tuple[list, list]:
    from pyhanko.sign.validation.dss import DocumentSecurityStore, NoDSSFoundError

    try:
        dss = DocumentSecurityStore.read_dss(reader)
    except NoDSSFoundError:
        return [], []
    except Exception:  # noqa: BLE001 - a mangled DSS holds nothing usable
        return [], []
    from asn1crypto import crl as asn1_crl
    from asn1crypto import ocsp as asn1_ocsp

    ocsps = [asn1_ocsp.OCSPResponse.load(ref.get_object().data) for ref in dss.ocsps]
    crls = [asn1_crl.CertificateList.load(ref.get_object().data) for ref in dss.crls]
    return ocsps, crls


def _platform_answers(rows) -> tuple[list, set[str]]:
    """Our own OCSP responder's answers about the signers' certificates, and their serials."""
    from .revocation import ocsp_responses

    answers = ocsp_responses(rows)
    serials = set()
    for answer in answers:
        for single in answer["response_bytes"]["response"].parsed["tbs_response_data"]["responses"]:
            serials.add(format(single["cert_id"]["serial_number"].native, "x"))
    return answers, serials


def verify_bytes(data: bytes) -> list[SignatureReport]:
    from .engine import make_validation_context

    reader = open_pdf(data)
    check_cost(data, reader)
    try:
        signatures = list(reader.embedded_regular_signatures)
    except Exception as exc:  # noqa: BLE001
        raise ValidationError(
            _("Tệp không phải PDF hợp lệ hoặc đã bị hỏng."), code="pdf_broken"
        ) from exc
    if not signatures:
        return []
    answers, serials = _platform_answers(_signers_known(signatures))
    evidence = FileEvidence(reader, serials)
    context = make_validation_context(crls=evidence.crls, ocsps=evidence.ocsps + answers)
    reports = []
    for embedded in signatures:
        try:
            reports.append(_report(embedded, context, evidence))
        except Exception as exc:  # noqa: BLE001 - a mangled signature dictionary
            raise ValidationError(
                _("Không đọc được chữ ký “%(field)s” trong tệp.") % {"field": embedded.field_name},
                code="signature_broken",
            ) from exc
    return reports
