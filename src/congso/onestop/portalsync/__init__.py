"""Synchronising dossiers with the national public-service portal (DVCQG) as plugins:
``base.py`` the contract, ``registry.py``, ``contrib/<provider>/``; ``services`` is the outbox,
the reconciliation and the catalogue pull that use them. ``CONGSO_PORTAL_SYNC`` names the
plugin in use (empty: no sync; the export command still works)."""

from . import contrib  # noqa: F401 - the shipped plugins register on import
