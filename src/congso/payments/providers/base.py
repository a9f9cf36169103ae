"""The payment provider contract: what the services ask a gateway to do, and what they get back."""

import datetime as dt
import json
from abc import ABC, abstractmethod
from dataclasses import dataclass, field
from typing import Self
from urllib.parse import parse_qsl


class InvalidSignature(Exception):
    """The gateway's parameters are not signed with our secret (or not signed at all)."""


class GatewayError(Exception):
    """The gateway could not be reached or answered something we cannot trust (a transport
    failure, an unsigned or badly signed answer): nothing is concluded from it."""


@dataclass
class Order:
    """What the services ask a provider to collect."""

    ref: str
    amount: int
    info: str
    created_at: dt.datetime
    expires_at: dt.datetime
    client_ip: str
    return_url: str
    locale: str = "vn"
    #: our notification address, for gateways that take it with each order (VNPay's is
    #: registered with the merchant account instead)
    notify_url: str = ""


@dataclass
class Notice:
    """The gateway's verified statement about one order (from the IPN or the browser return)."""

    ref: str
    amount: int
    response_code: str
    transaction_status: str
    transaction_no: str = ""
    bank_code: str = ""
    paid_at: dt.datetime | None = None
    terminal: str = ""
    raw: dict = field(default_factory=dict)
    #: ``paid``, ``cancelled`` or ``failed`` when the provider says so in its own words; empty:
    #: read VNPay's codes (``00``/``00`` paid, ``24`` cancelled)
    status: str = ""

    @property
    def succeeded(self) -> bool:
        if self.status:
            return self.status == "paid"
        return self.response_code == "00" and self.transaction_status == "00"

    @property
    def cancelled(self) -> bool:
        if self.status:
            return self.status == "cancelled"
        return self.response_code == "24"


@dataclass
class Inquiry:
    """The gateway's answer to "what became of this order?" (VNPay ``querydr``).

    ``outcome`` is ``paid``, ``failed`` (or cancelled: final, the money was not taken),
    ``pending`` (the citizen may still be paying) or ``unknown`` (the gateway never saw the
    order: it was never opened at the gateway)."""

    outcome: str
    notice: Notice | None = None


@dataclass
class RefundRequest:
    """What the services ask the gateway to give back."""

    ref: str
    amount: int
    paid_amount: int
    transaction_no: str
    paid_at: dt.datetime | None
    created_at: dt.datetime
    reason: str
    requested_by: str
    client_ip: str = "127.0.0.1"
    request_id: str = ""


@dataclass
class RefundResult:
    """The gateway's signed answer to a refund request."""

    accepted: bool
    code: str
    message: str = ""
    transaction_no: str = ""
    raw: dict = field(default_factory=dict)


@dataclass
class SettlementLine:
    """One transaction of the gateway's daily settlement file, in whole dong."""

    ref: str
    transaction_no: str
    amount: int
    paid_at: dt.datetime | None


@dataclass
class Reply:
    """The HTTP answer a gateway expects to its notification."""

    body: bytes
    content_type: str = "application/json"
    status: int = 200


class Provider(ABC):
    """A payment gateway as the services see it (a plugin: ``identifier``, ``verbose_name``)."""

    identifier: str
    verbose_name: str
    #: How the national portal codes a fee paid through this gateway (``DuocThanhToanTrucTuyen``):
    #: "1" the national payment platform, "2" a provincial gateway (the default: a province's own
    #: contract with a gateway such as VNPay).
    portal_payment_code: str = "2"

    @classmethod
    @abstractmethod
    def from_settings(cls) -> Self:
        """The gateway set up from this deployment's settings."""

    @property
    @abstractmethod
    def configured(self) -> bool:
        """Can this gateway be used: address, merchant code and the hash secret all set?"""

    @abstractmethod
    def redirect_url(self, order: Order) -> str:
        """The address the citizen's browser is sent to, to pay ``order``."""

    @abstractmethod
    def verify(self, params: dict) -> Notice:
        """Check the signature of a return or IPN call; ``InvalidSignature`` when it fails."""

    @abstractmethod
    def ipn_answer(self, outcome: str) -> dict:
        """The body the gateway expects in answer to its notification."""

    def ipn_reply(self, outcome: str) -> Reply:
        """The whole HTTP answer to the notification (JSON of ``ipn_answer`` unless the
        gateway wants another shape)."""
        return Reply(json.dumps(self.ipn_answer(outcome)).encode())

    def notification_params(self, query: dict, body: bytes, content_type: str) -> dict:
        """The notification's parameters, from wherever this gateway puts them: the query
        string (VNPay's GET), a form body or a JSON body. Unparseable bodies give ``{}`` (the
        signature check then refuses them)."""
        if content_type == "application/json":
            try:
                data = json.loads(body or b"{}")
            except ValueError:
                return {}
            return data if isinstance(data, dict) else {}
        if content_type == "application/x-www-form-urlencoded" and body:
            return query | dict(parse_qsl(body.decode("utf-8", "replace")))
        return dict(query)

    def ref_of(self, params: dict) -> str:
        """The order reference a (possibly forged) notification names, for the audit log."""
        return ""

    @property
    def merchant_code(self) -> str:
        """Our merchant code at this gateway; a notice naming another merchant is refused."""
        return ""

    def query(self, ref: str, created_at: dt.datetime, info: str) -> Inquiry:
        """Ask the gateway what became of an order whose notification never arrived
        (``GatewayError`` when the gateway cannot answer)."""
        raise GatewayError(f"{self.identifier}: querying orders is not supported")

    def refund(self, request: RefundRequest) -> RefundResult:
        """Ask the gateway to return money to the payer's account (``GatewayError`` when the
        gateway cannot answer)."""
        raise GatewayError(f"{self.identifier}: refunds are not supported")

    def settlement(self, day: dt.date) -> list[SettlementLine] | None:
        """The successful payments the gateway settles for ``day`` (its daily settlement file);
        ``None`` when this gateway offers no such file. ``GatewayError`` if unreachable."""
        return None
