"""edXML packages and status messages: what we write we can read back, and bad input is refused."""

import base64
import re
from datetime import UTC, date, datetime, timedelta, timezone

import pytest
from django.core.exceptions import ValidationError
from hypothesis import given, settings
from hypothesis import strategies as st
from lxml import etree

from congso.documents import edxml
from congso.documents.edxml import (
    Attachment,
    Envelope,
    Organ,
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


def _envelope(**changes) -> Envelope:
    values = {
        "document_id": edxml.document_id_for(DISTRICT.agency_id, date(2026, 3, 5), "QĐ-UBND"),
        "sender": DISTRICT,
        "recipients": [COMMUNE, Organ("000.02.15.H40", "UBND xã Nghi Đồng")],
        "number": "125",
        "notation": "QĐ-UBND",
        "place": "Nghi Lộc",
        "issued_on": date(2026, 3, 5),
        "document_type": "Quyết định",
        "subject": "Về việc phê duyệt kế hoạch chuyển đổi số năm 2026",
        "signer_name": "Nguyễn Văn Lãnh",
        "signer_position": "Chủ tịch",
        "due_on": date(2026, 3, 20),
        "priority": 2,
        "page_count": 3,
    }
    return Envelope(**(values | changes))


def test_package_round_trip_keeps_vietnamese_text_and_files():
    files = [
        Attachment("Quyết định 125.pdf", "application/pdf", b"%PDF-1.7\n\x00\xff binary"),
        Attachment("Phụ lục.png", "image/png", b"\x89PNG\r\n\x1a\n"),
    ]
    package = parse_package(build_package(_envelope(), files))
    assert package.envelope == _envelope()
    assert package.attachments == files


def test_package_uses_the_standard_element_names():
    root = etree.fromstring(
        build_package(_envelope(business_type=3, replaces="X,2026/01/02,1"), [])
    )
    # the SDK's layout: an outer edXML element around the envelope
    assert root.tag == f"{{{edxml.NAMESPACE}}}edXML"
    root = root.find("edXML:edXMLEnvelope", NS)
    header = "edXML:edXMLHeader/edXML:MessageHeader"
    assert root.findtext(f"{header}/edXML:Code/edXML:CodeNotation", namespaces=NS) == "QĐ-UBND"
    assert root.findtext(f"{header}/edXML:DocumentId", namespaces=NS) == (
        "000.00.15.H40,2026/03/05,QĐ-UBND"
    )
    assert (
        root.findtext(f"{header}/edXML:PromulgationInfo/edXML:PromulgationDate", namespaces=NS)
        == "2026/03/05"
    )
    trace = "edXML:edXMLHeader/edXML:TraceHeaderList/edXML:Bussiness/edXML:BussinessDocType"
    assert root.findtext(trace, namespaces=NS) == "3"
    assert len(root.findall(f"{header}/edXML:To", NS)) == 2


def test_replacement_round_trips():
    envelope = _envelope(business_type=edxml.BUSINESS_REPLACE, replaces="A,2026/01/02,QĐ-UBND")
    assert parse_package(build_package(envelope, [])).envelope == envelope


def test_status_round_trip():
    message = StatusMessage(
        document_id="000.00.15.H40,2026/03/05,QĐ-UBND",
        sender=COMMUNE,
        recipient=DISTRICT,
        code=StatusCode.RECEIVED,
        at=datetime(2026, 3, 5, 14, 30, 5, tzinfo=timezone(timedelta(hours=7))),
        description="Đã vào sổ văn bản đến số 45",
        staff_name="Trần Thị Văn Thư",
    )
    assert parse_status(build_status(message)) == message


def test_status_written_by_other_systems_is_read():
    xml = f"""<edXML:edXMLEnvelope xmlns:edXML="{edxml.NAMESPACE}"><edXML:edXMLHeader>
      <edXML:Status><edXML:ResponseFor><edXML:OrganId>A</edXML:OrganId>
      <edXML:DocumentId>A,2026/03/05,1</edXML:DocumentId></edXML:ResponseFor>
      <edXML:From><edXML:OrganId>B</edXML:OrganId><edXML:OrganName>Xã B</edXML:OrganName></edXML:From>
      <edXML:StatusCode>06</edXML:StatusCode><edXML:Timestamp>05/03/2026 14:30:00</edXML:Timestamp>
      </edXML:Status></edXML:edXMLHeader></edXML:edXMLEnvelope>""".encode()
    message = parse_status(xml)
    assert message.code == StatusCode.DONE
    assert message.recipient.agency_id == "A"
    assert message.at.utcoffset() == timedelta(hours=7)
    assert (message.at.hour, message.at.day) == (14, 5)


def test_status_codes_match_the_standard():
    # Decision 28/2018/QĐ-TTg as the axis carries them (15/16: recall agreed/refused)
    assert [c.value for c in StatusCode] == ["01", "02", "03", "04", "05", "06", "13", "15", "16"]
    with pytest.raises(ValidationError):
        build_status(StatusMessage("x", COMMUNE, DISTRICT, "99", datetime.now(UTC)))


_BAD = {
    "not_xml": b"%PDF-1.7 not xml",
    "empty": b"   ",
    "wrong_root": b"<?xml version='1.0'?><html><body/></html>",
    "bomb": b"""<?xml version="1.0"?><!DOCTYPE lolz [<!ENTITY lol "lol">
<!ENTITY lol2 "&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;">]>
<edXML:edXMLEnvelope xmlns:edXML="http://www.mic.gov.vn/TBT/QCVN_102_2016">&lol2;</edXML:edXMLEnvelope>""",
    "external_entity": b"""<?xml version="1.0"?><!DOCTYPE x [<!ENTITY e SYSTEM "file:///etc/passwd">]>
<edXML:edXMLEnvelope xmlns:edXML="http://www.mic.gov.vn/TBT/QCVN_102_2016">&e;</edXML:edXMLEnvelope>""",
}


@pytest.mark.parametrize("name", sorted(_BAD))
def test_bad_input_is_refused_in_vietnamese(name):
    with pytest.raises(ValidationError) as caught:
        parse_package(_BAD[name])
    assert caught.value.messages[0].split()[0] in {"Tệp", "Gói"}


def _mutate(xml: bytes, old: bytes, new: bytes) -> bytes:
    assert old in xml
    return xml.replace(old, new, 1)


def test_missing_required_field_names_it():
    xml = build_package(_envelope(), [])
    broken = re.sub(rb"<edXML:Subject>.*?</edXML:Subject>", b"", xml, count=1)
    assert broken != xml
    with pytest.raises(ValidationError, match="Subject"):
        parse_package(broken)
    # an element the schema does not know is refused by the schema, naming it
    unknown = _mutate(xml, b"<edXML:Subject>", b"<edXML:Other/><edXML:Subject>")
    with pytest.raises(ValidationError, match="lược đồ.*Other"):
        parse_package(unknown)


def test_bad_base64_and_bad_date_are_refused():
    xml = build_package(_envelope(), [Attachment("a.pdf", "application/pdf", b"abc")])
    encoded = base64.b64encode(b"abc")
    with pytest.raises(ValidationError, match="base64"):
        parse_package(_mutate(xml, encoded, b"!!not base64!!"))
    with pytest.raises(ValidationError, match="PromulgationDate"):
        parse_package(
            _mutate(
                xml, b"2026/03/05</edXML:PromulgationDate>", b"2026/02/31</edXML:PromulgationDate>"
            )
        )


def test_a_status_is_not_a_package_and_vice_versa():
    status = build_status(
        StatusMessage("x", COMMUNE, DISTRICT, StatusCode.ARRIVED, datetime.now(UTC))
    )
    with pytest.raises(ValidationError):
        parse_package(status)
    with pytest.raises(ValidationError):
        parse_status(build_package(_envelope(), []))


def test_control_characters_cannot_be_packed():
    with pytest.raises(ValidationError):
        build_package(_envelope(subject="a\x00b"), [])


_text = st.text(
    alphabet=st.characters(blacklist_categories=("Cs", "Cc", "Cn")), min_size=1, max_size=40
).filter(str.strip)
_organs = st.builds(Organ, agency_id=_text, name=_text)
_dates = st.dates(min_value=date(1900, 1, 1), max_value=date(2200, 12, 31))


@settings(max_examples=60, deadline=None)
@given(
    envelope=st.builds(
        Envelope,
        document_id=_text,
        sender=_organs,
        recipients=st.lists(_organs, min_size=1, max_size=3),
        number=_text,
        notation=_text,
        place=_text,
        issued_on=_dates,
        document_type=_text,
        subject=_text,
        signer_name=_text,
        signer_position=_text,
        due_on=st.none() | _dates,
        priority=st.integers(0, 9),
        page_count=st.integers(0, 10_000),
        business_type=st.sampled_from(edxml.BUSINESS_TYPES),
        replaces=st.just("") | _text,
    ),
    files=st.lists(
        st.builds(
            Attachment,
            name=_text,
            content_type=st.sampled_from(["application/pdf", "image/png"]),
            data=st.binary(max_size=200),
        ),
        max_size=3,
    ),
)
def test_any_package_round_trips(envelope, files):
    package = parse_package(build_package(envelope, files))
    assert package.envelope == envelope
    assert package.attachments == files
