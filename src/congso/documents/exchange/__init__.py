"""Document-exchange transports as plugins: ``base`` (the contract), ``registry``,
``contrib/<provider>``; ``services`` is the outbox and inbox that use them."""

# Importing a transport registers it.
from .contrib.axis import plugin  # noqa: F401
