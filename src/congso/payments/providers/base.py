"""The payment provider contract: what the services ask a gateway to do, and what they get back."""

import datetime as dt
from abc import ABC, abstractmethod
from dataclasses import dataclass, field
from typing import Self


class InvalidSignature(Exception):
    """The gateway's parameters are not signed with our secret (or not signed at all)."""


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

    @property
    def succeeded(self) -> bool:
        return self.response_code == "00" and self.transaction_status == "00"

    @property
    def cancelled(self) -> bool:
        return self.response_code == "24"


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
