"""SMS gateways as plugins: ``base`` (the contract), ``registry``, ``contrib/<provider>``."""

# Importing a provider registers it.
from .contrib.http_gateway import plugin as http_gateway  # noqa: F401
from .contrib.local_sink import plugin as local_sink  # noqa: F401
