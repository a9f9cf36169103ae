"""Identity providers that ship with Công Sở, one package each."""

from .oidc import plugin as _oidc  # noqa: F401
from .vneid_portal import plugin as _vneid_portal  # noqa: F401
