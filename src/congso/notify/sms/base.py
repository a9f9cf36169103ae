"""The SMS provider contract.

A province plugs in its own carrier or brandname gateway by writing a subclass of
``SmsProvider``, registering it in ``sms.registry`` under an identifier and naming that
identifier in ``CONGSO_SMS_PROVIDER``. The outbox worker calls ``send`` once per attempt; raising
``SmsError`` schedules a retry, raising ``SmsRejected`` gives up at once (retrying cannot fix a
refused number).
"""

import abc


class SmsError(Exception):
    """The message could not be handed over now; try again later."""


class SmsRejected(SmsError):
    """The provider refused this message for good (bad number, blocked content...)."""


class SmsProvider(abc.ABC):
    """The contract of an SMS provider: hand one text to a carrier."""

    identifier: str
    verbose_name: str

    @abc.abstractmethod
    def send(self, phone: str, text: str, *, reference: str = "") -> str:
        """Send ``text`` to ``phone``; return the provider's message id (may be empty)."""
