"""Payment gateways as plugins: ``base`` (the contract), ``registry``, ``contrib/<provider>``."""

# Importing a provider registers it.
from .contrib.vnpay import plugin  # noqa: F401
