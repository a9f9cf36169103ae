"""A local RFC 3161 time-stamp authority over HTTP (``application/timestamp-query`` in,
``application/timestamp-reply`` out), for development and tests.

``python -m sandbox.tsa --port 8004 --key tsa.p12`` serves it; tests call
``start_in_thread(tsa_pkcs12=..., passphrase=...)`` with a TSA certificate their CA issued.
The tokens are made by pyHanko's ``DummyTimeStamper``, which builds real RFC 3161 responses
(the name says it keeps no serial log, not that the tokens are fake)."""

from .server import Running, build, start_in_thread

__all__ = ["Running", "build", "start_in_thread"]
