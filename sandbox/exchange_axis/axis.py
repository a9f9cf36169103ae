"""A local stand-in for the national document-exchange axis (VDXP / a provincial LGSP).

A plain WSGI application (standard library only), written from the operations the Government
Office's SDK calls, independently of ``congso.documents.exchange``:

* ``POST /api/edoc/send`` (body: the edXML text; headers ``X-Organ-Id``, ``X-Message-Id``,
  ``Authorization: Bearer``) — the axis reads the message and routes it: a package to every
  ``MessageHeader/To/OrganId``, a status message to the organ it answers
  (``Status/To/OrganId``, else ``Status/ResponseFor/OrganId``). The same message ID from the
  same organ is one message. Answers ``{"status": "OK", "docId": ...}``;
* ``GET /api/edoc/received?type=edoc|status`` — what waits for the caller's organ;
* ``GET /api/edoc/<docId>`` — its text (only for an organ it was routed to);
* ``POST /api/edoc/<docId>/done`` — the organ took it: it is not offered again.

``agents``: organs outside any platform instance simulated by the axis itself. When a package
reaches one, it answers like the agency's clerk would, with SOAP-wrapped status messages in
the SDK's own shape: 01 arrived, 03 received, 04 assigned, 06 done (a recall, business type 1,
gets 15 agreed).
"""

import html
import itertools
import json
import threading
import xml.etree.ElementTree as ET  # noqa: S405 - a local sandbox reading its own test traffic
from dataclasses import dataclass, field
from datetime import datetime
from zoneinfo import ZoneInfo

GMT7 = ZoneInfo("Asia/Ho_Chi_Minh")


def _local(tag: str) -> str:
    return tag.rsplit("}", 1)[-1]


def _find_all(node, name: str):
    return [child for child in node.iter() if _local(child.tag) == name]


def _child_text(node, *path: str) -> str:
    for name in path:
        node = next((c for c in node if _local(c.tag) == name), None)
        if node is None:
            return ""
    return (node.text or "").strip()


@dataclass
class Delivery:
    doc_id: str
    kind: str
    sender: str
    to: str
    content: bytes
    done: bool = False


@dataclass
class Axis:
    tokens: set = field(default_factory=set)
    agents: dict = field(default_factory=dict)  # organ ID → agency name
    deliveries: list = field(default_factory=list)
    sent: dict = field(default_factory=dict)  # (organ, message id) → doc IDs

    def __post_init__(self):
        self._lock = threading.Lock()
        self._numbers = itertools.count(1)

    def __call__(self, environ, start_response):
        status, body, content_type = self.handle(environ)
        start_response(status, [("Content-Type", content_type), ("Content-Length", str(len(body)))])
        return [body]

    # --- routing -----------------------------------------------------------------------

    def handle(self, environ):
        token = environ.get("HTTP_AUTHORIZATION", "").removeprefix("Bearer ")
        organ = environ.get("HTTP_X_ORGAN_ID", "")
        if token not in self.tokens or not organ:
            return (
                "401 Unauthorized",
                b'{"status": "ERROR", "message": "unauthorized"}',
                "application/json",
            )
        path, method = environ.get("PATH_INFO", ""), environ.get("REQUEST_METHOD")
        if path == "/api/edoc/send" and method == "POST":
            length = int(environ.get("CONTENT_LENGTH") or 0)
            content = environ["wsgi.input"].read(length)
            return self._json(self.send(organ, environ.get("HTTP_X_MESSAGE_ID", ""), content))
        if path == "/api/edoc/received" and method == "GET":
            kind = environ.get("QUERY_STRING", "").partition("type=")[2] or "edoc"
            return self._json(
                [
                    {"docId": d.doc_id, "from": d.sender, "type": d.kind}
                    for d in self.waiting(organ, kind)
                ]
            )
        if path.startswith("/api/edoc/"):
            doc_id, _slash, action = path.removeprefix("/api/edoc/").partition("/")
            delivery = next(
                (d for d in self.deliveries if d.doc_id == doc_id and d.to == organ), None
            )
            if delivery is None:
                return "404 Not Found", b'{"status": "ERROR"}', "application/json"
            if action == "done" and method == "POST":
                delivery.done = True
                return self._json({"status": "OK"})
            if not action and method == "GET":
                return "200 OK", delivery.content, "application/xml"
        return "404 Not Found", b'{"status": "ERROR"}', "application/json"

    @staticmethod
    def _json(value):
        return "200 OK", json.dumps(value).encode(), "application/json"

    def waiting(self, organ: str, kind: str) -> list[Delivery]:
        with self._lock:
            return [d for d in self.deliveries if d.to == organ and d.kind == kind and not d.done]

    def send(self, organ: str, message_id: str, content: bytes) -> dict:
        try:
            root = ET.fromstring(content)  # noqa: S314 - see the import
        except ET.ParseError:
            return {"status": "ERROR", "message": "not XML"}
        status = next(iter(_find_all(root, "Status")), None)
        if status is not None:
            kind = "status"
            targets = [
                _child_text(status, "To", "OrganId")
                or _child_text(status, "ResponseFor", "OrganId")
            ]
        else:
            kind = "edoc"
            header = next(iter(_find_all(root, "MessageHeader")), None)
            targets = (
                []
                if header is None
                else [_child_text(to, "OrganId") for to in header if _local(to.tag) == "To"]
            )
        targets = [t for t in targets if t]
        if not targets:
            return {"status": "ERROR", "message": "no recipient organ"}
        with self._lock:
            key = (organ, message_id)
            if message_id and key in self.sent:
                return {"status": "OK", "docId": self.sent[key][0], "duplicate": True}
            doc_ids = []
            for target in targets:
                doc_id = f"AX{next(self._numbers):08d}"
                self.deliveries.append(Delivery(doc_id, kind, organ, target, content))
                doc_ids.append(doc_id)
            if message_id:
                self.sent[key] = doc_ids
        for target in targets:
            if kind == "edoc" and target in self.agents:
                self._agency_answers(target, organ, root)
        return {"status": "OK", "docId": doc_ids[0]}

    # --- an agency outside any instance ------------------------------------------------

    def _agency_answers(self, agency: str, sender: str, package) -> None:
        header = next(iter(_find_all(package, "MessageHeader")))
        document_id = _child_text(header, "DocumentId")
        code = "/".join(
            x
            for x in (
                _child_text(header, "Code", "CodeNumber"),
                _child_text(header, "Code", "CodeNotation"),
            )
            if x
        )
        day = _child_text(header, "PromulgationInfo", "PromulgationDate")
        if "/" in day and len(day.split("/")[0]) == 4:
            y, m, d = day.split("/")
            day = f"{d}/{m}/{y}"
        business = next(iter(_find_all(package, "BussinessDocType")), None)
        codes = (
            ["15"]
            if business is not None and (business.text or "").strip() == "1"
            else ["01", "03", "04", "06"]
        )
        for status_code in codes:
            content = _soap_status(
                agency, self.agents[agency], sender, document_id, code, day, status_code
            )
            with self._lock:
                doc_id = f"AX{next(self._numbers):08d}"
                self.deliveries.append(Delivery(doc_id, "status", agency, sender, content))


def _soap_status(agency, name, to, document_id, code, day, status_code) -> bytes:
    """A status message as the SDK users write it (SOAP-wrapped, ``dd/MM/yyyy HH:mm:ss``)."""
    e = html.escape
    now = datetime.now(GMT7).strftime("%d/%m/%Y %H:%M:%S")
    return (
        '<SOAP-ENV:Envelope xmlns:SOAP-ENV="http://schemas.xmlsoap.org/soap/envelope/">'
        "<SOAP-ENV:Header>"
        '<edXML:Status xmlns:edXML="http://www.mic.gov.vn/TBT/QCVN_102_2016">'
        f"<edXML:ResponseFor><edXML:OrganId>{e(to)}</edXML:OrganId><edXML:Code>{e(code)}</edXML:Code>"
        f"<edXML:PromulgationDate>{e(day)}</edXML:PromulgationDate>"
        f"<edXML:DocumentId>{e(document_id)}</edXML:DocumentId></edXML:ResponseFor>"
        f"<edXML:From><edXML:OrganId>{e(agency)}</edXML:OrganId><edXML:OrganName>{e(name)}</edXML:OrganName>"
        "<edXML:OrganizationInCharge /></edXML:From>"
        f"<edXML:StatusCode>{status_code}</edXML:StatusCode><edXML:Description />"
        f"<edXML:Timestamp>{now}</edXML:Timestamp>"
        "<edXML:StaffInfo><edXML:Department>Văn phòng</edXML:Department>"
        "<edXML:Staff>Văn thư</edXML:Staff></edXML:StaffInfo>"
        "</edXML:Status></SOAP-ENV:Header><SOAP-ENV:Body /></SOAP-ENV:Envelope>"
    ).encode()
