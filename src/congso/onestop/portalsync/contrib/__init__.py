"""National-portal sync plugins that ship with Công Sở, one package each."""

from .lgsp import plugin as _lgsp  # noqa: F401
