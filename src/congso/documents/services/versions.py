"""A document's files (versions checked by content) and its search text."""

from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.db import transaction

from congso.core import audit
from congso.core.text import fold
from congso.core.uploads import DOCX, JPEG, PDF, PNG, check_content

from ..models import Document, Version

#: edXML status codes (QCVN 102:2016) sent back for each incoming transition.
#: What a document's version may be: the scans and PDFs of the register, a Word source.
VERSION_TYPES = (PDF, JPEG, PNG, DOCX)


def _index(document: Document) -> None:
    document.search_text = fold(
        " ".join(
            [
                document.notation,
                document.get_doc_type_display(),
                document.subject,
                document.author,
                document.recipients_text,
                document.body,
                document.text,
            ]
        )
    )


def _page_count(data: bytes) -> int:
    import io

    from pyhanko.pdf_utils.reader import PdfFileReader

    try:
        return int(PdfFileReader(io.BytesIO(data), strict=False).root["/Pages"]["/Count"])
    except Exception:  # noqa: BLE001 - an image or a broken count simply has no page count
        return 0


def _add_version(document, data: bytes, *, name, kind, user, signed_file=None) -> Version:
    """A new version of ``document``: checked by content like every stored file (the type a
    sender declared is never kept) and stored under a name of its checked type."""
    checked = check_content(data, name, allowed=VERSION_TYPES)
    number = document.versions.order_by("-number").values_list("number", flat=True).first() or 0
    version = Version(
        document=document,
        number=number + 1,
        kind=kind,
        name=name[:255],
        content_type=checked.content_type,
        sha256=checked.sha256,
        size=checked.size,
        signed_file=signed_file,
        created_by=user,
    )
    version.file.save(
        f"{checked.sha256[:16]}.{checked.extension}", ContentFile(checked.data), save=False
    )
    version.save()
    if checked.content_type == PDF:
        document.page_count = _page_count(data) or document.page_count
    return version


def _schedule_text_extraction(version: Version) -> None:
    from .. import tasks

    transaction.on_commit(lambda: tasks.extract_text.delay(version.pk))


def store_text(version_id: int, text: str) -> None:
    """OCR result: a ``.txt`` beside the original file and the document's search text."""
    with transaction.atomic():
        version = Version.objects.select_related("document").get(pk=version_id)
        path = f"{version.file.name}.txt"
        if default_storage.exists(path):
            default_storage.delete(path)
        default_storage.save(path, ContentFile(text.encode()))
        document = Document.objects.select_for_update().get(pk=version.document_id)
        document.text = "\n".join(t for t in (document.text, text) if t)
        _index(document)
        document.save(update_fields=["text", "search_text"])
        audit.record(
            "documents.text_extracted",
            document,
            unit_id=document.unit_id,
            data={"version": version.number, "chars": len(text)},
        )
