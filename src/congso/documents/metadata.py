"""Metadata of electronic documents (Decree 30/2020, appendix VI) as a dict, JSON and XML, per
document and per work file. The file code is organ ID + year + work-file notation."""

import json
from xml.etree import ElementTree

from django.utils import timezone

from .models import Document, Urgency, WorkFile


def _date(value) -> str:
    if value is None:
        return ""
    if hasattr(value, "hour"):
        value = timezone.localtime(value).date()
    return value.strftime("%d/%m/%Y")


def file_code(document: Document) -> str:
    work_file = document.work_file
    if work_file is None:
        return ""
    return f"{document.unit.agency_id or ''}.{work_file.year}.{work_file.code}"


def document_fields(document: Document, ordinal: int = 1) -> dict:
    fields = {
        "FileCode": file_code(document),
        "DocOrdinal": ordinal,
        "TypeName": document.get_doc_type_display(),
        "CodeNumber": f"{document.number:02d}"
        if document.number
        else document.notation.split("/")[0],
        "CodeNotation": document.notation.split("/", 1)[-1] if document.notation else "",
        "IssuedDate": _date(document.issued_on),
        "OrganName": document.unit.name if document.is_outgoing else document.author,
        "Subject": document.subject,
        "Language": "Tiếng Việt",
        "PageAmount": document.page_count,
        "Description": "",
        "SignerPosition": document.signer_position,
        "SignerName": str(document.signer or ""),
        "To": document.recipients_text,
        "Priority": Urgency(document.urgency).label,
        "Secrecy": "Thường",
        "IssuedAmount": document.recipients.count() if document.is_outgoing else 0,
        "DueDate": _date(document.due_on),
    }
    if not document.is_outgoing:
        fields.update(
            {
                "ArrivalDate": _date(document.received_at),
                "ArrivalNumber": document.arrival_number or "",
                "ToPlaces": document.unit.name,
                "TraceList": [
                    f"{_date(c.created_at)} {c.author or ''}: {c.text}"
                    for c in document.comments.all()
                ],
            }
        )
    return {
        k: str(v) if v is not None and not isinstance(v, list) else v for k, v in fields.items()
    }


def work_file_fields(work_file: WorkFile) -> dict:
    return {
        "FileCode": f"{work_file.unit.agency_id or ''}.{work_file.year}.{work_file.code}",
        "Title": work_file.title,
        "Year": str(work_file.year),
        "Maintenance": str(work_file.retention_years) if work_file.retention_years else "Vĩnh viễn",
        "Documents": [
            document_fields(d, i) for i, d in enumerate(work_file.documents.order_by("pk"), 1)
        ],
    }


def to_json(fields: dict) -> bytes:
    return json.dumps(fields, ensure_ascii=False, indent=2).encode()


def _fill(element, fields: dict) -> None:
    for key, value in fields.items():
        if isinstance(value, list):
            holder = ElementTree.SubElement(element, key)
            for item in value:
                if isinstance(item, dict):
                    _fill(ElementTree.SubElement(holder, "Document"), item)
                else:
                    ElementTree.SubElement(holder, "Item").text = str(item)
        else:
            ElementTree.SubElement(element, key).text = str(value)


def to_xml(fields: dict, root: str = "Document") -> bytes:
    element = ElementTree.Element(root)
    _fill(element, fields)
    return ElementTree.tostring(element, encoding="utf-8", xml_declaration=True)
