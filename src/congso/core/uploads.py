"""Uploads are checked by what they contain, not by their name: size, count and magic bytes.

PDF, JPEG and PNG are the formats of digitised dossiers (regulations §7). An encrypted or broken
PDF is refused here, before anything is stored.
"""

import hashlib
import io
from dataclasses import dataclass

from django.conf import settings
from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

_SIGNATURES = [
    (b"%PDF-", "application/pdf", "pdf"),
    (b"\xff\xd8\xff", "image/jpeg", "jpg"),
    (b"\x89PNG\r\n\x1a\n", "image/png", "png"),
]


@dataclass(frozen=True)
class CheckedFile:
    name: str
    data: bytes
    content_type: str
    extension: str
    sha256: str

    @property
    def size(self) -> int:
        return len(self.data)


def sniff(data: bytes) -> tuple[str, str] | None:
    head = data[:1024]
    for magic, content_type, extension in _SIGNATURES:
        if head.startswith(magic) or (extension == "pdf" and magic in head):
            return content_type, extension
    return None


def _check_pdf(data: bytes, name: str) -> None:
    from pyhanko.pdf_utils.reader import PdfFileReader

    try:
        reader = PdfFileReader(io.BytesIO(data), strict=False)
        if reader.encrypted:
            raise ValidationError(
                _("Tệp “%(name)s” là PDF có mật khẩu; hãy nộp bản không khoá.") % {"name": name},
                code="pdf_encrypted",
            )
        if int(reader.root["/Pages"]["/Count"]) < 1:
            raise ValueError("no pages")
    except ValidationError:
        raise
    except Exception as exc:  # noqa: BLE001 - any parser failure means a broken file
        raise ValidationError(
            _("Tệp “%(name)s” không phải PDF hợp lệ hoặc đã bị hỏng.") % {"name": name},
            code="pdf_broken",
        ) from exc


def check_file(upload, *, allowed=("application/pdf", "image/jpeg", "image/png")) -> CheckedFile:
    """Read an uploaded file and return it checked, or raise ``ValidationError`` in Vietnamese."""
    name = getattr(upload, "name", "tệp") or "tệp"
    limit = settings.UPLOAD_MAX_BYTES
    if getattr(upload, "size", 0) and upload.size > limit:
        raise ValidationError(
            _("Tệp “%(name)s” quá lớn; tối đa %(limit)s MB.")
            % {"name": name, "limit": limit // (1024 * 1024)},
            code="too_big",
        )
    data = upload.read(limit + 1)
    if len(data) > limit:
        raise ValidationError(
            _("Tệp “%(name)s” quá lớn; tối đa %(limit)s MB.")
            % {"name": name, "limit": limit // (1024 * 1024)},
            code="too_big",
        )
    if not data:
        raise ValidationError(_("Tệp “%(name)s” rỗng.") % {"name": name}, code="empty")
    kind = sniff(data)
    if kind is None or kind[0] not in allowed:
        raise ValidationError(
            _(
                "Tệp “%(name)s” không đúng định dạng cho phép (PDF, JPG, PNG); hệ thống kiểm tra "
                "nội dung tệp, không dựa vào tên tệp."
            )
            % {"name": name},
            code="bad_type",
        )
    if kind[0] == "application/pdf":
        _check_pdf(data, name)
    return CheckedFile(
        name=name,
        data=data,
        content_type=kind[0],
        extension=kind[1],
        sha256=hashlib.sha256(data).hexdigest(),
    )


def check_files(uploads) -> list[CheckedFile]:
    uploads = [u for u in uploads if u]
    if len(uploads) > settings.UPLOAD_MAX_FILES:
        raise ValidationError(
            _("Chỉ được gửi tối đa %(n)s tệp mỗi lần.") % {"n": settings.UPLOAD_MAX_FILES},
            code="too_many",
        )
    return [check_file(u) for u in uploads]
