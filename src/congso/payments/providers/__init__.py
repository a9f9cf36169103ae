"""Payment gateways as plugins: ``base`` (the contract), ``registry``, ``contrib/<provider>``."""

# Importing a provider registers it.
from .contrib.paygov import plugin as paygov  # noqa: F401
from .contrib.vnpay import plugin  # noqa: F401
