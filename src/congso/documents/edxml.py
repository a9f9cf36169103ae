"""edXML packages (QCVN 102:2016): how a document travels between document systems.

The national exchange axis (LGSP / VDXP) carries one *package* per document: an envelope with the
header (who sends, to whom, number/notation, dates, signer …), a trace list with the business type
(new, recall, update, replace) and a body manifest with the attached files. Receivers answer with
*status messages* (01 arrived … 06 done, 13/14 recall). This module only builds and reads those
XML texts; the documents app decides what they mean.

Element names and what was checked
----------------------------------
The standard's text itself was not available offline. The names below were checked against several
independent public implementations of QCVN 102:2016 (Java edoc services built on the MIC's
``http://www.mic.gov.vn/TBT/QCVN_102_2016`` namespace, C# ``EdXml102`` clients and status senders):

* verified in more than one implementation: the namespace and the ``edXML`` prefix;
  ``edXMLEnvelope`` / ``edXMLHeader`` / ``edXMLBody``; ``MessageHeader`` with ``From`` / ``To``
  (``OrganId``, ``OrganName``), ``DocumentId``, ``Code`` (``CodeNumber``, ``CodeNotation``),
  ``PromulgationInfo`` (``Place``, ``PromulgationDate``), ``DocumentType`` (``Type``,
  ``TypeName``), ``Subject``, ``SignerInfo`` (``Competence``, ``Position``, ``FullName``),
  ``DueDate``, ``ToPlaces``/``Place``, ``OtherInfo`` (``Priority``, ``PageAmount``),
  ``ResponseFor`` (``OrganId``, ``Code``, ``PromulgationDate``, ``DocumentId``);
  ``TraceHeaderList`` / ``TraceHeader`` (``OrganId``, ``Timestamp``) and ``Bussiness`` /
  ``BussinessDocType`` / ``BussinessDocReason`` (the standard's own spelling, with double *s*;
  one implementation writes ``Business``, so both are read); ``ReplacementInfoList`` /
  ``ReplacementInfo`` / ``DocumentId``; ``Manifest`` / ``Reference`` / ``AttachmentName`` /
  ``Description``; the status message ``Status`` with ``ResponseFor``, ``From``, ``StatusCode``,
  ``Description``, ``Timestamp``, ``StaffInfo`` (``Department``, ``Staff``).
* not verified, our choices: the standard sends attachments as MIME parts of a SOAP message
  referenced by ``cid:``; a package here is one XML file, so each ``Reference`` keeps its ``href``
  (``cid:N``) and ``ContentType`` and carries the file itself, base64, in an ``edXML:Content``
  element. The status message has an ``edXML:To`` (the organ addressed) because the transport
  headers that carry it on the axis are not part of this text. ``DocumentType/Type`` is written as
  ``1`` (an administrative document) because the code table was not available. Dates are written
  ``yyyy/MM/dd`` (the form of the document ID); timestamps ISO 8601 with the time zone. The
  parser also accepts ``dd/MM/yyyy`` dates and ``dd/MM/yyyy HH:mm:ss`` timestamps (Vietnam time),
  which the implementations above write.
* not done: the XML signature (``ds:Signature``) over the envelope.

Reading is defensive: no DTD, no entity expansion, no network, no huge trees; every failure is a
``ValidationError`` with a Vietnamese message, never an lxml exception.
"""

import base64
import binascii
import re
from dataclasses import dataclass, field
from datetime import date, datetime
from zoneinfo import ZoneInfo

from django.core.exceptions import ValidationError
from django.db import models
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from lxml import etree

NAMESPACE = "http://www.mic.gov.vn/TBT/QCVN_102_2016"
XLINK = "http://www.w3.org/1999/xlink"
_NS = {"edXML": NAMESPACE}
_VIETNAM = ZoneInfo("Asia/Ho_Chi_Minh")
_ADMINISTRATIVE_DOCUMENT = "1"

BUSINESS_NEW, BUSINESS_RECALL, BUSINESS_UPDATE, BUSINESS_REPLACE = 0, 1, 2, 3
BUSINESS_TYPES = (BUSINESS_NEW, BUSINESS_RECALL, BUSINESS_UPDATE, BUSINESS_REPLACE)


class StatusCode(models.TextChoices):
    ARRIVED = "01", gettext_lazy("Đã đến")
    REFUSED = "02", gettext_lazy("Từ chối tiếp nhận")
    RECEIVED = "03", gettext_lazy("Đã tiếp nhận")
    ASSIGNED = "04", gettext_lazy("Đã phân công")
    HANDLING = "05", gettext_lazy("Đang xử lý")
    DONE = "06", gettext_lazy("Đã hoàn thành")
    RECALL_REQUESTED = "13", gettext_lazy("Đề nghị thu hồi")
    RECALL_AGREED = "14", gettext_lazy("Đồng ý thu hồi")


@dataclass
class Organ:
    agency_id: str
    name: str


@dataclass
class Envelope:
    document_id: str
    sender: Organ
    recipients: list[Organ]
    number: str
    notation: str
    place: str
    issued_on: date
    document_type: str
    subject: str
    signer_name: str
    signer_position: str
    due_on: date | None = None
    priority: int = 0
    page_count: int = 0
    business_type: int = BUSINESS_NEW
    replaces: str = ""


@dataclass
class Attachment:
    name: str
    content_type: str
    data: bytes


@dataclass
class Package:
    envelope: Envelope
    attachments: list[Attachment] = field(default_factory=list)


@dataclass
class StatusMessage:
    document_id: str
    sender: Organ
    recipient: Organ
    code: str
    at: datetime
    description: str = ""
    staff_name: str = ""


def document_id_for(agency_id: str, issued_on: date, notation: str) -> str:
    """The standard's document ID: ``OrganId,yyyy/MM/dd,Notation``."""
    return f"{agency_id},{_format_date(issued_on)},{notation}"


# --- writing -----------------------------------------------------------------------------------


def _el(parent, name: str, text=None, **attrs):
    node = etree.SubElement(parent, f"{{{NAMESPACE}}}{name}", attrs)
    if text is not None:
        try:
            node.text = str(text)
        except ValueError as exc:  # control characters cannot be written in XML 1.0
            raise ValidationError(
                _("Dữ liệu văn bản có ký tự không hợp lệ, không thể đóng gói edXML."),
                code="edxml_invalid_text",
            ) from exc
    return node


def _format_date(value: date) -> str:
    return f"{value.year:04d}/{value.month:02d}/{value.day:02d}"


def _organ(parent, name: str, organ: Organ) -> None:
    node = _el(parent, name)
    _el(node, "OrganId", organ.agency_id)
    _el(node, "OrganName", organ.name)


def _serialise(root) -> bytes:
    return etree.tostring(root, xml_declaration=True, encoding="UTF-8")


def _new_root():
    return etree.Element(
        f"{{{NAMESPACE}}}edXMLEnvelope", nsmap={"edXML": NAMESPACE, "xlink": XLINK}
    )


def _message_header(header, envelope: Envelope) -> None:
    message = _el(header, "MessageHeader")
    _organ(message, "From", envelope.sender)
    for recipient in envelope.recipients:
        _organ(message, "To", recipient)
    _el(message, "DocumentId", envelope.document_id)
    code = _el(message, "Code")
    _el(code, "CodeNumber", envelope.number)
    _el(code, "CodeNotation", envelope.notation)
    promulgation = _el(message, "PromulgationInfo")
    _el(promulgation, "Place", envelope.place)
    _el(promulgation, "PromulgationDate", _format_date(envelope.issued_on))
    document_type = _el(message, "DocumentType")
    _el(document_type, "Type", _ADMINISTRATIVE_DOCUMENT)
    _el(document_type, "TypeName", envelope.document_type)
    _el(message, "Subject", envelope.subject)
    signer = _el(message, "SignerInfo")
    _el(signer, "Competence", "")
    _el(signer, "Position", envelope.signer_position)
    _el(signer, "FullName", envelope.signer_name)
    _el(message, "DueDate", _format_date(envelope.due_on) if envelope.due_on else "")
    places = _el(message, "ToPlaces")
    for recipient in envelope.recipients:
        _el(places, "Place", recipient.name)
    other = _el(message, "OtherInfo")
    _el(other, "Priority", envelope.priority)
    _el(other, "PageAmount", envelope.page_count)
    if envelope.replaces:
        response_for = _el(message, "ResponseFor")
        _el(response_for, "DocumentId", envelope.replaces)


def _trace_list(header, envelope: Envelope) -> None:
    traces = _el(header, "TraceHeaderList")
    trace = _el(traces, "TraceHeader")
    _el(trace, "OrganId", envelope.sender.agency_id)
    _el(trace, "Timestamp", datetime.now(_VIETNAM).isoformat(timespec="seconds"))
    business = _el(traces, "Bussiness")
    _el(business, "BussinessDocType", envelope.business_type)
    _el(business, "BussinessDocReason", "")
    if envelope.replaces:
        replacements = _el(business, "ReplacementInfoList")
        replacement = _el(replacements, "ReplacementInfo")
        _el(replacement, "DocumentId", envelope.replaces)


def build_package(envelope: Envelope, attachments: list[Attachment]) -> bytes:
    """The edXML text of one document with its files."""
    if envelope.business_type not in BUSINESS_TYPES:
        raise ValidationError(_("Loại nghiệp vụ edXML không hợp lệ."), code="edxml_business")
    root = _new_root()
    header = _el(root, "edXMLHeader")
    _message_header(header, envelope)
    _trace_list(header, envelope)
    manifest = _el(_el(root, "edXMLBody"), "Manifest")
    for index, attachment in enumerate(attachments, start=1):
        reference = _el(manifest, "Reference", **{f"{{{XLINK}}}href": f"cid:{index}"})
        _el(reference, "AttachmentName", attachment.name)
        _el(reference, "Description", "")
        _el(reference, "ContentType", attachment.content_type)
        _el(reference, "Content", base64.b64encode(attachment.data).decode("ascii"))
    return _serialise(root)


def build_status(message: StatusMessage) -> bytes:
    """A status message back to the organ that sent the document."""
    if message.code not in StatusCode.values:
        raise ValidationError(_("Mã trạng thái edXML không hợp lệ."), code="edxml_status_code")
    if message.at.tzinfo is None:
        raise ValidationError(_("Thời điểm trạng thái phải có múi giờ."), code="edxml_naive_time")
    root = _new_root()
    status = _el(_el(root, "edXMLHeader"), "Status")
    response_for = _el(status, "ResponseFor")
    _el(response_for, "OrganId", message.recipient.agency_id)
    _el(response_for, "DocumentId", message.document_id)
    _organ(status, "From", message.sender)
    _organ(status, "To", message.recipient)
    _el(status, "StatusCode", message.code)
    _el(status, "Description", message.description)
    _el(status, "Timestamp", message.at.isoformat())
    staff = _el(status, "StaffInfo")
    _el(staff, "Department", "")
    _el(staff, "Staff", message.staff_name)
    _el(root, "edXMLBody")
    return _serialise(root)


# --- reading -----------------------------------------------------------------------------------

#: How XML from outside is read, here and in the Word files of ``drafts.py``.
SAFE_PARSER_OPTIONS = {
    "resolve_entities": False,
    "no_network": True,
    "huge_tree": False,
    "load_dtd": False,
    "dtd_validation": False,
    "remove_pis": True,
}
_DMY = re.compile(r"^(\d{1,2})/(\d{1,2})/(\d{4})$")
_YMD = re.compile(r"^(\d{4})[/-](\d{1,2})[/-](\d{1,2})$")


def _invalid(message: str, code: str = "edxml_invalid") -> ValidationError:
    return ValidationError(message, code=code)


def _parse_root(data: bytes):
    if not isinstance(data, bytes | bytearray) or not data.strip():
        raise _invalid(_("Gói edXML rỗng."), "edxml_empty")
    try:
        root = etree.fromstring(bytes(data), etree.XMLParser(**SAFE_PARSER_OPTIONS))
    except etree.XMLSyntaxError as exc:
        raise _invalid(_("Tệp không phải XML hợp lệ."), "edxml_not_xml") from exc
    if root.getroottree().docinfo.doctype:
        raise _invalid(_("Gói edXML không được chứa khai báo DOCTYPE."), "edxml_doctype")
    if root.tag != f"{{{NAMESPACE}}}edXMLEnvelope":
        raise _invalid(_("Tệp XML không phải gói edXML (QCVN 102:2016)."), "edxml_root")
    return root


def _find(node, path: str):
    return node.find("/".join(f"edXML:{part}" for part in path.split("/")), _NS)


def _text(node, path: str, *, required: bool = True) -> str:
    found = _find(node, path) if node is not None else None
    value = (found.text or "") if found is not None else ""
    if required and not value.strip():
        raise _invalid(
            _("Gói edXML thiếu thông tin bắt buộc: %(field)s.") % {"field": path}, "edxml_missing"
        )
    return value


def _date(value: str, path: str) -> date:
    value = value.strip()
    match = _YMD.match(value)
    try:
        if match:
            return date(int(match[1]), int(match[2]), int(match[3]))
        match = _DMY.match(value)
        if match:
            return date(int(match[3]), int(match[2]), int(match[1]))
    except ValueError:
        pass
    raise _invalid(_("Ngày không hợp lệ ở %(field)s.") % {"field": path}, "edxml_date")


def _int(value: str, path: str, default: int = 0) -> int:
    if not value.strip():
        return default
    try:
        return int(value.strip())
    except ValueError as exc:
        raise _invalid(
            _("Giá trị số không hợp lệ ở %(field)s.") % {"field": path}, "edxml_int"
        ) from exc


def _read_organ(node, path: str) -> Organ:
    return Organ(_text(node, f"{path}/OrganId"), _text(node, f"{path}/OrganName", required=False))


def _read_envelope(header) -> Envelope:
    message = _find(header, "MessageHeader")
    if message is None:
        raise _invalid(
            _("Gói edXML thiếu thông tin bắt buộc: %(field)s.") % {"field": "MessageHeader"},
            "edxml_missing",
        )
    recipients = [
        Organ(_text(to, "OrganId"), _text(to, "OrganName", required=False))
        for to in message.findall("edXML:To", _NS)
    ]
    if not recipients:
        raise _invalid(
            _("Gói edXML thiếu thông tin bắt buộc: %(field)s.") % {"field": "MessageHeader/To"},
            "edxml_missing",
        )
    due = _text(message, "DueDate", required=False)
    business = _find(header, "TraceHeaderList/Bussiness")
    if business is None:
        business = _find(header, "TraceHeaderList/Business")
    business_type = _int(_bussiness_type(business), "BussinessDocType")
    if business_type not in BUSINESS_TYPES:
        raise _invalid(_("Loại nghiệp vụ edXML không hợp lệ."), "edxml_business")
    return Envelope(
        document_id=_text(message, "DocumentId"),
        sender=_read_organ(message, "From"),
        recipients=recipients,
        number=_text(message, "Code/CodeNumber", required=False),
        notation=_text(message, "Code/CodeNotation"),
        place=_text(message, "PromulgationInfo/Place", required=False),
        issued_on=_date(
            _text(message, "PromulgationInfo/PromulgationDate"), "PromulgationInfo/PromulgationDate"
        ),
        document_type=_text(message, "DocumentType/TypeName", required=False),
        subject=_text(message, "Subject"),
        signer_name=_text(message, "SignerInfo/FullName", required=False),
        signer_position=_text(message, "SignerInfo/Position", required=False),
        due_on=_date(due, "DueDate") if due.strip() else None,
        priority=_int(_text(message, "OtherInfo/Priority", required=False), "OtherInfo/Priority"),
        page_count=_int(
            _text(message, "OtherInfo/PageAmount", required=False), "OtherInfo/PageAmount"
        ),
        business_type=business_type,
        replaces=_text(message, "ResponseFor/DocumentId", required=False),
    )


def _bussiness_type(business) -> str:
    if business is None:
        return ""
    for name in ("BussinessDocType", "BusinessDocType"):
        value = _text(business, name, required=False)
        if value:
            return value
    return ""


def _read_attachments(root) -> list[Attachment]:
    attachments = []
    for reference in root.iterfind("edXML:edXMLBody/edXML:Manifest/edXML:Reference", _NS):
        name = _text(reference, "AttachmentName")
        try:
            data = base64.b64decode(_text(reference, "Content", required=False), validate=True)
        except (binascii.Error, ValueError) as exc:
            raise _invalid(
                _("Tệp đính kèm “%(name)s” trong gói edXML bị hỏng (base64 sai).") % {"name": name},
                "edxml_base64",
            ) from exc
        content_type = _text(reference, "ContentType", required=False)
        attachments.append(Attachment(name, content_type or "application/octet-stream", data))
    return attachments


def parse_package(data: bytes) -> Package:
    """Read a package; a ``ValidationError`` in Vietnamese says what is wrong with it."""
    root = _parse_root(data)
    header = _find(root, "edXMLHeader")
    if header is None or _find(header, "Status") is not None:
        raise _invalid(_("Tệp XML không phải gói văn bản edXML."), "edxml_root")
    return Package(_read_envelope(header), _read_attachments(root))


def _timestamp(value: str) -> datetime:
    value = value.strip()
    try:
        moment = datetime.fromisoformat(value)
    except ValueError:
        try:
            moment = datetime.strptime(value, "%d/%m/%Y %H:%M:%S")
        except ValueError as exc:
            raise _invalid(
                _("Thời điểm không hợp lệ ở %(field)s.") % {"field": "Status/Timestamp"},
                "edxml_time",
            ) from exc
    return moment if moment.tzinfo else moment.replace(tzinfo=_VIETNAM)


def parse_status(data: bytes) -> StatusMessage:
    """Read a status message (receipt, handling, recall …) sent back by a recipient."""
    root = _parse_root(data)
    status = _find(root, "edXMLHeader/Status")
    if status is None:
        raise _invalid(_("Tệp XML không phải thông điệp trạng thái edXML."), "edxml_root")
    code = _text(status, "StatusCode").strip()
    if code not in StatusCode.values:
        raise _invalid(_("Mã trạng thái edXML không hợp lệ."), "edxml_status_code")
    recipient = (
        _read_organ(status, "To")
        if _find(status, "To") is not None
        else Organ(_text(status, "ResponseFor/OrganId"), "")
    )
    return StatusMessage(
        document_id=_text(status, "ResponseFor/DocumentId"),
        sender=_read_organ(status, "From"),
        recipient=recipient,
        code=code,
        at=_timestamp(_text(status, "Timestamp")),
        description=_text(status, "Description", required=False),
        staff_name=_text(status, "StaffInfo/Staff", required=False),
    )
