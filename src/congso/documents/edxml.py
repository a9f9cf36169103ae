"""edXML packages (QCVN 102:2016): how a document travels between document systems.

The national exchange axis (VDXP, through the provincial LGSP) carries one *package* per
document and *status messages* back. This module builds and reads both as the Government
Office's exchange SDK and the peers' systems do; the documents app decides what they mean and
``documents.exchange`` carries them.

What was checked, against several independent public implementations of QCVN 102:2016 (Java and
C# edoc clients built on the VPCP SDK, TypeScript builders tested against VDXP and provincial
LGSP axes), since the standard's text itself was not available offline:

* the **package layout of the SDK**: a root ``edXML`` (default namespace
  ``http://www.mic.gov.vn/TBT/QCVN_102_2016``) holding ``edXML:edXMLEnvelope`` (header and body,
  every element prefixed ``edXML:``) followed by ``AttachmentEncoded`` *outside* the envelope,
  one ``Attachment`` per file (``ContentType``, ``ContentId``, ``Description``,
  ``ContentTransferEncoded`` base64, ``AttachmentName``); the body's ``edXMLManifest`` lists a
  ``Reference`` per file (``xlink:href="cid:<ContentId>"``, ``Description``, ``AttachmentName``,
  ``ContentType``, ``ContentId``);
* ``MessageHeader``: ``From`` / ``To`` (``OrganId``, ``OrganizationInCharge``, ``OrganName``,
  ``OrganAdd``, ``Email``, ``Telephone``, ``Fax``, ``Website``), ``Code`` (``CodeNumber``,
  ``CodeNotation``), ``PromulgationInfo`` (``Place``, ``PromulgationDate``), ``DocumentType``
  (``Type``, ``TypeName``), ``Subject``, ``Content``, ``SignerInfo`` (``Competence``,
  ``Position``, ``FullName``), ``DueDate``, ``ToPlaces``/``Place``, ``OtherInfo``
  (``Priority``, ``SphereOfPromulgation``, ``TyperNotation``, ``PromulgationAmount``,
  ``PageAmount``, ``Appendixes``/``Appendix``), ``ResponseFor`` (``OrganId``, ``Code``,
  ``PromulgationDate``, ``DocumentId``), ``SteeringType``, ``DocumentId``;
* ``TraceHeaderList`` (attributes ``id``, ``version``, ``mustUnderstand``, ``actor``) with
  ``TraceHeader`` (``OrganId``, ``Timestamp``) and ``Bussiness`` (the standard's spelling;
  ``Business`` is read too) with ``BussinessDocType``, ``BussinessDocReason``, ``StaffInfo``
  (``Department``, ``Staff``, ``Mobile``, ``Email``), ``Paper``, ``ReplacementInfoList``;
* the **status message**: ``Status`` with ``ResponseFor`` (``OrganId``, ``Code``,
  ``PromulgationDate`` ``dd/MM/yyyy``, ``DocumentId``), ``From``, ``StatusCode``,
  ``Description``, ``Timestamp`` (``dd/MM/yyyy HH:mm:ss``, Vietnam time), ``StaffInfo``; peers
  send it bare or inside ``SOAP-ENV:Envelope/SOAP-ENV:Header`` (some with the SOAP namespace on
  the ``edXML`` prefix), so the reader matches it by local name;
* the **status codes** of Decision 28/2018/QĐ-TTg as the axis carries them: 01 arrived, 02
  refused, 03 received (registered), 04 assigned, 05 handling, 06 done, 13 recall requested, 15
  recall (or update) agreed, 16 recall refused. Older exchanges here wrote 14 for "agreed": it is
  read as 15.
* dates ``yyyy/MM/dd`` in the package (the form of the document ID), timestamps
  ``dd/MM/yyyy HH:mm:ss``; the reader also takes ISO 8601 and ``dd/MM/yyyy`` dates.

Our choices: ``DocumentType/Type`` ``1``; the XML signature (``ds:Signature``, XML-DSig enveloped,
exclusive C14N, SHA-256, RSA or ECDSA, the certificate in ``KeyInfo``) sits in ``edXMLHeader``
and covers the whole package, attachments included (``sign_package`` / ``verify_package``);
every package and status message written is validated against ``schemas/edxml-qcvn102.xsd``
kept in this repository, and every one read is validated too. Packages in this module's earlier
layout (files inside ``Reference/Content``, root ``edXMLEnvelope``) are still read.

Reading is defensive: no DTD, no entity expansion, no network, no huge trees; every failure is a
``ValidationError`` with a Vietnamese message, never an lxml exception.
"""

import base64
import binascii
import re
import secrets
from dataclasses import dataclass, field
from datetime import date, datetime
from functools import cache
from pathlib import Path
from zoneinfo import ZoneInfo

from django.core.exceptions import ValidationError
from django.db import models
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from lxml import etree

NAMESPACE = "http://www.mic.gov.vn/TBT/QCVN_102_2016"
XLINK = "http://www.w3.org/1999/xlink"
SOAP = "http://schemas.xmlsoap.org/soap/envelope/"
SOAP_ACTOR = "http://schemas.xmlsoap.org/soap/actor/next"
_NS = {"edXML": NAMESPACE}
_VIETNAM = ZoneInfo("Asia/Ho_Chi_Minh")
_ADMINISTRATIVE_DOCUMENT = "1"
SCHEMA_PATH = Path(__file__).parent / "schemas" / "edxml-qcvn102.xsd"
TIMESTAMP_FORMAT = "%d/%m/%Y %H:%M:%S"

BUSINESS_NEW, BUSINESS_RECALL, BUSINESS_UPDATE, BUSINESS_REPLACE = 0, 1, 2, 3
BUSINESS_TYPES = (BUSINESS_NEW, BUSINESS_RECALL, BUSINESS_UPDATE, BUSINESS_REPLACE)
BUSINESS_REASONS = {
    BUSINESS_NEW: "Văn bản điện tử mới",
    BUSINESS_RECALL: "Thu hồi văn bản",
    BUSINESS_UPDATE: "Cập nhật văn bản",
    BUSINESS_REPLACE: "Thay thế văn bản",
}


class StatusCode(models.TextChoices):
    ARRIVED = "01", gettext_lazy("Đã đến")
    REFUSED = "02", gettext_lazy("Từ chối tiếp nhận")
    RECEIVED = "03", gettext_lazy("Đã tiếp nhận")
    ASSIGNED = "04", gettext_lazy("Đã phân công")
    HANDLING = "05", gettext_lazy("Đang xử lý")
    DONE = "06", gettext_lazy("Đã hoàn thành")
    RECALL_REQUESTED = "13", gettext_lazy("Đề nghị lấy lại")
    RECALL_AGREED = "15", gettext_lazy("Đồng ý lấy lại, cập nhật")
    RECALL_REFUSED = "16", gettext_lazy("Từ chối lấy lại, cập nhật")


#: Codes other systems wrote for the same thing: read as ours.
LEGACY_CODES = {"14": StatusCode.RECALL_AGREED}


@dataclass
class Organ:
    agency_id: str
    name: str


@dataclass
class ResponseFor:
    """The document a package or a status message answers: its organ, number/notation,
    promulgation date and document ID."""

    organ_id: str
    code: str
    promulgated_on: date | None
    document_id: str


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
    steering_type: int = 0
    response_for: ResponseFor | None = None
    staff_name: str = ""
    department: str = ""
    paper: int = 0


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
    department: str = ""
    #: the document's ``number/notation`` and promulgation date, as the peers' SDK sends them
    document_code: str = ""
    promulgated_on: date | None = None


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


def _plain(parent, name: str, text: str | None):
    """An element of the SDK's ``AttachmentEncoded`` part (default namespace, no prefix)."""
    tag = f"{{{NAMESPACE}}}{name}"
    node = (
        etree.Element(tag, nsmap={None: NAMESPACE})
        if parent is None
        else etree.SubElement(parent, tag)
    )
    node.text = text
    return node


def _format_date(value: date) -> str:
    return f"{value.year:04d}/{value.month:02d}/{value.day:02d}"


def _format_dmy(value: date | None) -> str:
    return f"{value.day:02d}/{value.month:02d}/{value.year:04d}" if value else ""


def format_timestamp(moment: datetime) -> str:
    """``dd/MM/yyyy HH:mm:ss`` in Vietnam time, as the peers write it."""
    return moment.astimezone(_VIETNAM).strftime(TIMESTAMP_FORMAT)


def _organ(parent, name: str, organ: Organ) -> None:
    node = _el(parent, name)
    _el(node, "OrganId", organ.agency_id)
    _el(node, "OrganizationInCharge", organ.name)
    _el(node, "OrganName", organ.name)
    for empty in ("OrganAdd", "Email", "Telephone", "Fax", "Website"):
        _el(node, empty, "")


def _serialise(root) -> bytes:
    return etree.tostring(root, xml_declaration=True, encoding="UTF-8")


def _new_envelope():
    """The envelope, declaring the ``edXML`` prefix so every element inside is written
    ``edXML:…`` as the peers' parsers expect."""
    return etree.Element(
        f"{{{NAMESPACE}}}edXMLEnvelope", nsmap={"edXML": NAMESPACE, "xlink": XLINK}
    )


def _compose(envelope, encoded=None):
    """The SDK's outer element ``edXML`` (default namespace) around the envelope and, after it,
    the unprefixed ``AttachmentEncoded``. Put together as text and read back, because lxml
    would otherwise rewrite the envelope's prefix into the outer default namespace."""
    parts = [etree.tostring(envelope)]
    if encoded is not None:
        parts.append(etree.tostring(encoded))
    text = f'<edXML xmlns="{NAMESPACE}">'.encode() + b"".join(parts) + b"</edXML>"
    return etree.fromstring(text, etree.XMLParser(**SAFE_PARSER_OPTIONS))


def _response_for(parent, response: ResponseFor) -> None:
    node = _el(parent, "ResponseFor")
    _el(node, "OrganId", response.organ_id)
    _el(node, "Code", response.code)
    _el(node, "PromulgationDate", _format_dmy(response.promulgated_on))
    _el(node, "DocumentId", response.document_id)


def _message_header(header, envelope: Envelope) -> None:
    message = _el(header, "MessageHeader")
    _organ(message, "From", envelope.sender)
    for recipient in envelope.recipients:
        _organ(message, "To", recipient)
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
    _el(message, "Content", envelope.subject)
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
    _el(other, "SphereOfPromulgation", "Liên thông văn bản")
    _el(other, "TyperNotation", "")
    _el(other, "PromulgationAmount", 1)
    _el(other, "PageAmount", envelope.page_count)
    _el(_el(other, "Appendixes"), "Appendix", "")
    response = envelope.response_for
    if response is None and envelope.replaces:
        response = ResponseFor("", "", None, envelope.replaces)
    if response is not None:
        _response_for(message, response)
    _el(message, "SteeringType", envelope.steering_type)
    _el(message, "DocumentId", envelope.document_id)


def _trace_list(header, envelope: Envelope) -> None:
    traces = _el(
        header,
        "TraceHeaderList",
        id=secrets.token_hex(4),
        version="1.0",
        mustUnderstand="1",
        actor=SOAP_ACTOR,
    )
    trace = _el(traces, "TraceHeader")
    _el(trace, "OrganId", envelope.sender.agency_id)
    _el(trace, "Timestamp", format_timestamp(datetime.now(_VIETNAM)))
    business = _el(traces, "Bussiness")
    _el(business, "BussinessDocType", envelope.business_type)
    _el(business, "BussinessDocReason", BUSINESS_REASONS[envelope.business_type])
    staff = _el(business, "StaffInfo")
    _el(staff, "Department", envelope.department)
    _el(staff, "Staff", envelope.staff_name)
    _el(staff, "Mobile", "")
    _el(staff, "Email", "")
    _el(business, "Paper", envelope.paper)
    if envelope.replaces:
        replacements = _el(business, "ReplacementInfoList")
        replacement = _el(replacements, "ReplacementInfo")
        _el(replacement, "DocumentId", envelope.replaces)


def build_package(envelope: Envelope, attachments: list[Attachment], *, signer=None) -> bytes:
    """The edXML text of one document with its files, in the SDK's layout; signed when a
    ``signer`` (``Signer``: key and certificate) is given. Validated before it is returned."""
    if envelope.business_type not in BUSINESS_TYPES:
        raise ValidationError(_("Loại nghiệp vụ edXML không hợp lệ."), code="edxml_business")
    envelope_node = _new_envelope()
    header = _el(envelope_node, "edXMLHeader")
    _message_header(header, envelope)
    _trace_list(header, envelope)
    manifest = _el(_el(envelope_node, "edXMLBody"), "edXMLManifest", version="1.0")
    encoded = _plain(None, "AttachmentEncoded", None) if attachments else None
    for index, attachment in enumerate(attachments, start=1):
        content_id = f"{index}-{secrets.token_hex(8)}"
        description = f"Tệp đính kèm {index}"
        reference = _el(
            manifest,
            "Reference",
            **{f"{{{XLINK}}}href": f"cid:{content_id}", f"{{{XLINK}}}type": "simple"},
        )
        _el(reference, "Description", description)
        _el(reference, "AttachmentName", attachment.name)
        _el(reference, "ContentType", attachment.content_type)
        _el(reference, "ContentId", f"cid:{content_id}")
        item = _plain(encoded, "Attachment", None)
        _plain(item, "ContentType", attachment.content_type)
        _plain(item, "ContentId", content_id)
        _plain(item, "Description", description)
        _plain(item, "ContentTransferEncoded", base64.b64encode(attachment.data).decode())
        _plain(item, "AttachmentName", attachment.name)
    root = _compose(envelope_node, encoded)
    if signer is not None:
        from .xmlsig import sign

        sign(root, root.find("edXML:edXMLEnvelope/edXML:edXMLHeader", _NS), signer)
    validate(root)
    return _serialise(root)


def build_status(message: StatusMessage, *, soap: bool = False) -> bytes:
    """A status message back to the organ that sent the document: bare (``edXML`` root) or
    inside a SOAP envelope's header, as some peers send it."""
    if message.code not in StatusCode.values:
        raise ValidationError(_("Mã trạng thái edXML không hợp lệ."), code="edxml_status_code")
    if message.at.tzinfo is None:
        raise ValidationError(_("Thời điểm trạng thái phải có múi giờ."), code="edxml_naive_time")
    envelope = _new_envelope()
    status = _el(_el(envelope, "edXMLHeader"), "Status")
    _response_for(
        status,
        ResponseFor(
            message.recipient.agency_id,
            message.document_code,
            message.promulgated_on,
            message.document_id,
        ),
    )
    _organ(status, "From", message.sender)
    _organ(status, "To", message.recipient)
    _el(status, "StatusCode", message.code)
    _el(status, "Description", message.description)
    _el(status, "Timestamp", format_timestamp(message.at))
    staff = _el(status, "StaffInfo")
    _el(staff, "Department", message.department)
    _el(staff, "Staff", message.staff_name)
    _el(envelope, "edXMLBody")
    root = _compose(envelope)
    validate(root)
    if not soap:
        return _serialise(root)
    text = (
        f'<SOAP-ENV:Envelope xmlns:SOAP-ENV="{SOAP}"><SOAP-ENV:Header>'.encode()
        + etree.tostring(status)
        + b"</SOAP-ENV:Header><SOAP-ENV:Body/></SOAP-ENV:Envelope>"
    )
    return _serialise(etree.fromstring(text, etree.XMLParser(**SAFE_PARSER_OPTIONS)))


# --- the schema --------------------------------------------------------------------------------


@cache
def _schema() -> etree.XMLSchema:
    parser = etree.XMLParser(resolve_entities=False, no_network=True)
    return etree.XMLSchema(etree.parse(str(SCHEMA_PATH), parser))


def validate(root) -> None:
    """Check a package or status message against the repository's XSD; a ``ValidationError``
    in Vietnamese names the first problem."""
    schema = _schema()
    if not schema.validate(root):
        error = schema.error_log.filter_from_errors()[0]
        raise _invalid(
            _("Gói edXML không đúng lược đồ QCVN 102:2016 (dòng %(line)s): %(message)s")
            % {"line": error.line, "message": error.message[:200]},
            "edxml_schema",
        )


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


def _parse_xml(data: bytes):
    if not isinstance(data, bytes | bytearray) or not data.strip():
        raise _invalid(_("Gói edXML rỗng."), "edxml_empty")
    try:
        root = etree.fromstring(bytes(data), etree.XMLParser(**SAFE_PARSER_OPTIONS))
    except etree.XMLSyntaxError as exc:
        raise _invalid(_("Tệp không phải XML hợp lệ."), "edxml_not_xml") from exc
    if root.getroottree().docinfo.doctype:
        raise _invalid(_("Gói edXML không được chứa khai báo DOCTYPE."), "edxml_doctype")
    return root


def _parse_root(data: bytes):
    """The ``edXMLEnvelope`` of a package (SDK layout or the earlier one) and the root."""
    root = _parse_xml(data)
    if root.tag == f"{{{NAMESPACE}}}edXML":
        validate(root)
        envelope = root.find("edXML:edXMLEnvelope", _NS)
        if envelope is not None:
            return envelope, root
    if root.tag == f"{{{NAMESPACE}}}edXMLEnvelope":
        return root, root
    raise _invalid(_("Tệp XML không phải gói edXML (QCVN 102:2016)."), "edxml_root")


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


def _optional_date(value: str, path: str) -> date | None:
    return _date(value, path) if value.strip() else None


def _int(value: str, path: str, default: int = 0) -> int:
    if not value.strip():
        return default
    try:
        return int(value.strip())
    except ValueError as exc:
        raise _invalid(
            _("Giá trị số không hợp lệ ở %(field)s.") % {"field": path}, "edxml_int"
        ) from exc


def _read_organ(node, path: str = "") -> Organ:
    """``From``/``To`` at ``path`` under ``node`` (``node`` itself when no path)."""
    prefix = f"{path}/" if path else ""
    name = _text(node, f"{prefix}OrganName", required=False)
    name = name or _text(node, f"{prefix}OrganizationInCharge", required=False)
    return Organ(_text(node, f"{prefix}OrganId"), name)


def _read_response_for(node) -> ResponseFor | None:
    found = _find(node, "ResponseFor")
    if found is None:
        return None
    return ResponseFor(
        organ_id=_text(found, "OrganId", required=False),
        code=_text(found, "Code", required=False),
        promulgated_on=_optional_date(
            _text(found, "PromulgationDate", required=False), "ResponseFor/PromulgationDate"
        ),
        document_id=_text(found, "DocumentId", required=False),
    )


def _read_envelope(header) -> Envelope:
    message = _find(header, "MessageHeader")
    if message is None:
        raise _invalid(
            _("Gói edXML thiếu thông tin bắt buộc: %(field)s.") % {"field": "MessageHeader"},
            "edxml_missing",
        )
    recipients = [_read_organ(to) for to in message.findall("edXML:To", _NS)]
    if not recipients:
        raise _invalid(
            _("Gói edXML thiếu thông tin bắt buộc: %(field)s.") % {"field": "MessageHeader/To"},
            "edxml_missing",
        )
    business = _find(header, "TraceHeaderList/Bussiness")
    if business is None:
        business = _find(header, "TraceHeaderList/Business")
    business_type = _int(_bussiness_type(business), "BussinessDocType")
    if business_type not in BUSINESS_TYPES:
        raise _invalid(_("Loại nghiệp vụ edXML không hợp lệ."), "edxml_business")
    response = _read_response_for(message)
    replaced = _text(business, "ReplacementInfoList/ReplacementInfo/DocumentId", required=False)
    if response and not (response.organ_id or response.code or response.promulgated_on):
        replaced, response = replaced or response.document_id, None  # only the replaced ID
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
        due_on=_optional_date(_text(message, "DueDate", required=False), "DueDate"),
        priority=_int(_text(message, "OtherInfo/Priority", required=False), "OtherInfo/Priority"),
        page_count=_int(
            _text(message, "OtherInfo/PageAmount", required=False), "OtherInfo/PageAmount"
        ),
        business_type=business_type,
        replaces=replaced,
        steering_type=_int(_text(message, "SteeringType", required=False), "SteeringType"),
        response_for=response,
        staff_name=_text(business, "StaffInfo/Staff", required=False),
        department=_text(business, "StaffInfo/Department", required=False),
        paper=_int(_text(business, "Paper", required=False), "Paper"),
    )


def _bussiness_type(business) -> str:
    if business is None:
        return ""
    for name in ("BussinessDocType", "BusinessDocType"):
        value = _text(business, name, required=False)
        if value:
            return value
    return ""


def _b64(value: str, name: str) -> bytes:
    try:
        return base64.b64decode("".join(value.split()), validate=True)
    except (binascii.Error, ValueError) as exc:
        raise _invalid(
            _("Tệp đính kèm “%(name)s” trong gói edXML bị hỏng (base64 sai).") % {"name": name},
            "edxml_base64",
        ) from exc


def _read_attachments(envelope, root) -> list[Attachment]:
    """Files in the SDK's ``AttachmentEncoded`` (matched to the manifest by content ID), or in
    the earlier layout's ``Reference/Content``."""
    encoded = {}
    for item in root.iterfind("edXML:AttachmentEncoded/edXML:Attachment", _NS):
        encoded[_text(item, "ContentId", required=False).strip().removeprefix("cid:")] = item
    attachments = []
    body = _find(envelope, "edXMLBody")
    references = [] if body is None else body.iterfind(".//edXML:Reference", _NS)
    for reference in references:
        name = _text(reference, "AttachmentName")
        content_type = _text(reference, "ContentType", required=False)
        cid = _text(reference, "ContentId", required=False) or reference.get(f"{{{XLINK}}}href", "")
        item = encoded.get(cid.strip().removeprefix("cid:"))
        if item is not None:
            data = _b64(_text(item, "ContentTransferEncoded", required=False), name)
        else:
            data = _b64(_text(reference, "Content", required=False), name)
        attachments.append(Attachment(name, content_type or "application/octet-stream", data))
    return attachments


def parse_package(data: bytes, *, verify: bool = False) -> Package:
    """Read a package; a ``ValidationError`` in Vietnamese says what is wrong with it. With
    ``verify`` the package must carry a valid XML signature."""
    envelope, root = _parse_root(data)
    header = _find(envelope, "edXMLHeader")
    if header is None or _find(header, "Status") is not None:
        raise _invalid(_("Tệp XML không phải gói văn bản edXML."), "edxml_root")
    if verify:
        from .xmlsig import verify as verify_signature

        verify_signature(root)
    return Package(_read_envelope(header), _read_attachments(envelope, root))


def _timestamp(value: str) -> datetime:
    value = value.strip()
    moment = None
    for pattern in (TIMESTAMP_FORMAT, "%Y/%m/%d %H:%M:%S"):
        try:
            moment = datetime.strptime(value, pattern)
            break
        except ValueError:
            continue
    if moment is None:
        try:
            moment = datetime.fromisoformat(value)
        except ValueError as exc:
            raise _invalid(
                _("Thời điểm không hợp lệ ở %(field)s.") % {"field": "Status/Timestamp"},
                "edxml_time",
            ) from exc
    return moment if moment.tzinfo else moment.replace(tzinfo=_VIETNAM)


def _find_status(root):
    """The ``Status`` element wherever the peer put it: under our envelope's header or a SOAP
    header, with the edXML namespace or (as some SDK users write it) the SOAP one."""
    for node in root.iter("{*}Status"):
        if etree.QName(node).namespace in (NAMESPACE, SOAP):
            return node
    return None


def _local(node, name: str):
    return None if node is None else node.find(f"{{*}}{name}")


def _local_text(node, path: str) -> str:
    for part in path.split("/"):
        node = _local(node, part)
    return (node.text or "").strip() if node is not None else ""


def parse_status(data: bytes) -> StatusMessage:
    """Read a status message (receipt, handling, recall …) sent back by a recipient, bare or
    SOAP-wrapped."""
    root = _parse_xml(data)
    status = _find_status(root)
    if status is None or etree.QName(root).localname not in ("edXML", "edXMLEnvelope", "Envelope"):
        raise _invalid(_("Tệp XML không phải thông điệp trạng thái edXML."), "edxml_root")
    if etree.QName(status).namespace == NAMESPACE and root.tag == f"{{{NAMESPACE}}}edXML":
        validate(root)
    code = _local_text(status, "StatusCode")
    code = LEGACY_CODES.get(code, code)
    if code not in StatusCode.values:
        raise _invalid(_("Mã trạng thái edXML không hợp lệ."), "edxml_status_code")
    missing = [p for p in ("ResponseFor/DocumentId", "From/OrganId", "Timestamp")]
    missing = [p for p in missing if not _local_text(status, p)]
    if missing:
        raise _invalid(
            _("Gói edXML thiếu thông tin bắt buộc: %(field)s.") % {"field": missing[0]},
            "edxml_missing",
        )
    to = _local(status, "To")
    recipient = Organ(
        _local_text(to, "OrganId")
        if to is not None
        else _local_text(status, "ResponseFor/OrganId"),
        _local_text(to, "OrganName") if to is not None else "",
    )
    promulgated = _local_text(status, "ResponseFor/PromulgationDate")
    return StatusMessage(
        document_id=_local_text(status, "ResponseFor/DocumentId"),
        sender=Organ(_local_text(status, "From/OrganId"), _local_text(status, "From/OrganName")),
        recipient=recipient,
        code=code,
        at=_timestamp(_local_text(status, "Timestamp")),
        description=_local_text(status, "Description"),
        staff_name=_local_text(status, "StaffInfo/Staff"),
        department=_local_text(status, "StaffInfo/Department"),
        document_code=_local_text(status, "ResponseFor/Code"),
        promulgated_on=_optional_date(promulgated, "ResponseFor/PromulgationDate"),
    )
