"""Video bridges as plugins: ``base`` (the contract), ``registry``, ``contrib/<provider>``."""

# Importing a provider registers it.
from .contrib.bbb import plugin as bbb  # noqa: F401
from .contrib.jitsi import plugin as jitsi  # noqa: F401
