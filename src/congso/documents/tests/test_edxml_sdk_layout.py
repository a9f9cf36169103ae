"""edXML as the Government Office's exchange SDK and the peers write it: the outer ``edXML``
element with ``AttachmentEncoded`` outside the envelope, every envelope element prefixed
``edXML:``, ``ResponseFor`` with ``Code`` and ``PromulgationDate``, ``SteeringType``,
``StaffInfo`` and ``Paper`` in ``Bussiness``, timestamps ``dd/MM/yyyy HH:mm:ss``; every status
code both ways, bare and SOAP-wrapped; the repository's XSD checks what is written and read;
the earlier layout is still read."""

import base64
import re
from datetime import date, datetime, timedelta, timezone

import pytest
from django.core.exceptions import ValidationError
from lxml import etree

from congso.documents import edxml
from congso.documents.edxml import (
    Attachment,
    Envelope,
    Organ,
    ResponseFor,
    StatusCode,
    StatusMessage,
    build_package,
    build_status,
    parse_package,
    parse_status,
)

NS = {"edXML": edxml.NAMESPACE}
DISTRICT = Organ("000.00.15.H40", "UBND huyện Nghi Lộc")
COMMUNE = Organ("000.01.15.H40", "UBND xã Nghi Phong")
GMT7 = timezone(timedelta(hours=7))


def envelope(**changes) -> Envelope:
    values = {
        "document_id": "000.00.15.H40,2026/03/05,QĐ-UBND",
        "sender": DISTRICT,
        "recipients": [COMMUNE],
        "number": "125",
        "notation": "QĐ-UBND",
        "place": "Nghi Lộc",
        "issued_on": date(2026, 3, 5),
        "document_type": "Quyết định",
        "subject": "Về việc giao chỉ tiêu",
        "signer_name": "Nguyễn Văn Lãnh",
        "signer_position": "Chủ tịch",
        "steering_type": 1,
        "response_for": ResponseFor(
            "000.01.15.H40", "45/BC-UBND", date(2026, 2, 27), "000.01.15.H40,2026/02/27,BC-UBND"
        ),
        "staff_name": "Trần Thị Văn Thư",
        "department": "Văn phòng",
        "paper": 2,
    }
    return Envelope(**(values | changes))


def test_the_sdk_layout():
    files = [Attachment("QĐ 125.pdf", "application/pdf", b"%PDF-1.7 \x00\xff")]
    xml = build_package(envelope(), files)
    text = xml.decode()
    assert re.search(r'^<edXML xmlns="http://www.mic.gov.vn/TBT/QCVN_102_2016">', text, re.M)
    # every element of the envelope carries the edXML: prefix the peers' parsers look for
    inside = text[text.index("<edXML:edXMLEnvelope") : text.index("</edXML:edXMLEnvelope>")]
    assert not re.search(r"<(?!edXML:|/edXML:)[A-Za-z]", inside)
    root = etree.fromstring(xml)
    reference = root.find(".//edXML:edXMLBody/edXML:edXMLManifest/edXML:Reference", NS)
    content_id = reference.findtext("edXML:ContentId", namespaces=NS).removeprefix("cid:")
    attachment = root.find("edXML:AttachmentEncoded/edXML:Attachment", NS)
    assert attachment.findtext("edXML:ContentId", namespaces=NS) == content_id
    encoded = attachment.findtext("edXML:ContentTransferEncoded", namespaces=NS)
    assert base64.b64decode(encoded) == files[0].data
    assert reference.find("edXML:Content", NS) is None  # the file is not inside the envelope
    header = root.find("edXML:edXMLEnvelope/edXML:edXMLHeader", NS)
    message = header.find("edXML:MessageHeader", NS)
    assert message.findtext("edXML:ResponseFor/edXML:Code", namespaces=NS) == "45/BC-UBND"
    assert message.findtext("edXML:ResponseFor/edXML:PromulgationDate", namespaces=NS) == (
        "27/02/2026"
    )
    assert message.findtext("edXML:SteeringType", namespaces=NS) == "1"
    traces = header.find("edXML:TraceHeaderList", NS)
    assert traces.get("mustUnderstand") == "1" and traces.get("actor")
    stamp = traces.findtext("edXML:TraceHeader/edXML:Timestamp", namespaces=NS)
    assert re.fullmatch(r"\d{2}/\d{2}/\d{4} \d{2}:\d{2}:\d{2}", stamp)
    business = traces.find("edXML:Bussiness", NS)
    assert business.findtext("edXML:StaffInfo/edXML:Staff", namespaces=NS) == "Trần Thị Văn Thư"
    assert business.findtext("edXML:Paper", namespaces=NS) == "2"
    package = parse_package(xml)
    assert package.envelope == envelope() and package.attachments == files


def test_the_earlier_layout_is_still_read():
    old = f"""<edXML:edXMLEnvelope xmlns:edXML="{edxml.NAMESPACE}"
      xmlns:xlink="http://www.w3.org/1999/xlink"><edXML:edXMLHeader><edXML:MessageHeader>
      <edXML:From><edXML:OrganId>A</edXML:OrganId><edXML:OrganName>Huyện</edXML:OrganName>
      </edXML:From><edXML:To><edXML:OrganId>B</edXML:OrganId></edXML:To>
      <edXML:DocumentId>A,2026/03/05,QĐ</edXML:DocumentId><edXML:Code>
      <edXML:CodeNotation>QĐ</edXML:CodeNotation></edXML:Code><edXML:PromulgationInfo>
      <edXML:PromulgationDate>2026/03/05</edXML:PromulgationDate></edXML:PromulgationInfo>
      <edXML:Subject>S</edXML:Subject></edXML:MessageHeader></edXML:edXMLHeader>
      <edXML:edXMLBody><edXML:Manifest><edXML:Reference xlink:href="cid:1">
      <edXML:AttachmentName>a.pdf</edXML:AttachmentName>
      <edXML:Content>{base64.b64encode(b"%PDF").decode()}</edXML:Content>
      </edXML:Reference></edXML:Manifest></edXML:edXMLBody></edXML:edXMLEnvelope>"""
    package = parse_package(old.encode())
    assert package.attachments[0].data == b"%PDF" and package.envelope.subject == "S"


def status(code: str, **changes) -> StatusMessage:
    values = {
        "document_id": "000.00.15.H40,2026/03/05,QĐ-UBND",
        "sender": COMMUNE,
        "recipient": DISTRICT,
        "code": code,
        "at": datetime(2026, 3, 5, 14, 30, 5, tzinfo=GMT7),
        "description": "Đã vào sổ",
        "staff_name": "Lê Văn Thư",
        "department": "Văn phòng",
        "document_code": "125/QĐ-UBND",
        "promulgated_on": date(2026, 3, 5),
    }
    return StatusMessage(**(values | changes))


@pytest.mark.parametrize("soap", [False, True], ids=["bare", "soap"])
@pytest.mark.parametrize("code", [c.value for c in StatusCode])
def test_every_status_code_both_ways(code, soap):
    xml = build_status(status(code), soap=soap)
    root = etree.fromstring(xml)
    assert root.tag == (f"{{{edxml.SOAP}}}Envelope" if soap else f"{{{edxml.NAMESPACE}}}edXML")
    assert "<edXML:Timestamp>05/03/2026 14:30:05</edXML:Timestamp>" in xml.decode()
    assert "<edXML:PromulgationDate>05/03/2026</edXML:PromulgationDate>" in xml.decode()
    assert parse_status(xml) == status(code)


def test_a_soap_status_as_a_peer_writes_it_is_read():
    """The peer puts the SOAP namespace on the edXML prefix and sends no ``To``."""
    xml = f"""<SOAP-ENV:Envelope xmlns:SOAP-ENV="{edxml.SOAP}"><SOAP-ENV:Header>
      <edXML:Status xmlns:edXML="{edxml.SOAP}"><edXML:ResponseFor>
      <edXML:OrganId>000.00.15.H40</edXML:OrganId><edXML:Code>125/QĐ-UBND</edXML:Code>
      <edXML:PromulgationDate>05/03/2026</edXML:PromulgationDate>
      <edXML:DocumentId>000.00.15.H40,2026/03/05,QĐ-UBND</edXML:DocumentId></edXML:ResponseFor>
      <edXML:From><edXML:OrganId>H40.99</edXML:OrganId><edXML:OrganName>Sở Tư pháp</edXML:OrganName>
      <edXML:OrganizationInCharge /></edXML:From><edXML:StatusCode>16</edXML:StatusCode>
      <edXML:Description>Không đồng ý lấy lại</edXML:Description>
      <edXML:Timestamp>05/03/2026 16:00:00</edXML:Timestamp><edXML:StaffInfo>
      <edXML:Department>VP</edXML:Department><edXML:Staff>Hà</edXML:Staff></edXML:StaffInfo>
      </edXML:Status></SOAP-ENV:Header><SOAP-ENV:Body /></SOAP-ENV:Envelope>"""
    message = parse_status(xml.encode())
    assert message.code == StatusCode.RECALL_REFUSED and message.sender.agency_id == "H40.99"
    assert message.recipient.agency_id == "000.00.15.H40"
    assert message.document_code == "125/QĐ-UBND" and message.promulgated_on == date(2026, 3, 5)
    assert message.at == datetime(2026, 3, 5, 16, 0, tzinfo=GMT7)


def test_the_legacy_code_14_reads_as_recall_agreed():
    xml = build_status(status("15")).replace(b">15<", b">14<")
    assert parse_status(xml).code == StatusCode.RECALL_AGREED


@pytest.mark.parametrize(
    "old, new",
    [
        (b"<edXML:StatusCode>03<", b"<edXML:StatusCode>ab<"),
        (b"<edXML:Timestamp>05/03/2026 14:30:05<", b"<edXML:Timestamp><"),
    ],
)
def test_the_schema_refuses_a_malformed_status(old, new):
    xml = build_status(status("03"))
    with pytest.raises(ValidationError, match="lược đồ"):
        parse_status(xml.replace(old, new))


def test_the_schema_refuses_a_bad_business_type():
    xml = build_package(envelope(), [])
    bad = xml.replace(b"<edXML:BussinessDocType>0<", b"<edXML:BussinessDocType>7<")
    with pytest.raises(ValidationError, match="lược đồ"):
        parse_package(bad)
