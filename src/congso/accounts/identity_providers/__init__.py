"""Identity providers (the national eID, the portal's single sign-on) as plugins: ``base.py``
the contract, ``registry.py``, ``contrib/<provider>/``; ``CONGSO_IDENTITY_PROVIDER`` names the
one in use."""

from . import contrib  # noqa: F401 - the shipped providers register on import
