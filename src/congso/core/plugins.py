"""One way to plug in an outside system (payment gateway, SMS carrier, video bridge...).

Each kind of outside system is a package ``base.py`` (the contract) + ``registry.py`` (one
``Registry``) + ``contrib/<provider>/`` (one package per provider, registered under a short
identifier). Settings name the provider by that identifier, so switching gateway is a setting,
never a code change, and an identifier nobody registered is caught by ``check --deploy``
(``congso.E010``) and by a clear ``UnknownPlugin`` at the first use, not by an ``ImportError``
deep inside a request.
"""

from collections.abc import Callable, Iterator
from typing import Generic, TypeVar

from django.core.checks import Error

T = TypeVar("T", bound=type)


class UnknownPlugin(LookupError):
    """No plugin of this kind is registered under the identifier asked for."""


class DuplicatePlugin(ValueError):
    """Two plugins of one kind claimed the same identifier: the second would silently win."""


class Registry(Generic[T]):  # noqa: UP046 - the project targets Python 3.11
    """The plugins of one kind, by identifier, in registration order.

    A plugin is a class with ``identifier`` (set by ``register``) and a Vietnamese
    ``verbose_name`` (for listings and the admin).
    """

    def __init__(self, kind: str):
        self.kind = kind
        self._plugins: dict[str, T] = {}

    def register(self, identifier: str) -> Callable[[T], T]:
        """Class decorator: file the class under ``identifier``."""

        def decorate(plugin: T) -> T:
            if identifier in self._plugins:
                raise DuplicatePlugin(f"{self.kind}: identifier {identifier!r} already registered")
            plugin.identifier = identifier
            self._plugins[identifier] = plugin
            return plugin

        return decorate

    def get(self, identifier: str) -> T:
        try:
            return self._plugins[identifier]
        except KeyError:
            raise UnknownPlugin(
                f"{self.kind}: no plugin {identifier!r}; known: {', '.join(self._plugins)}"
            ) from None

    def __iter__(self) -> Iterator[T]:
        return iter(self._plugins.values())

    def __contains__(self, identifier: str) -> bool:
        return identifier in self._plugins

    def choices(self) -> list[tuple[str, str]]:
        """(identifier, verbose name) pairs, for a form field or an admin filter."""
        return [(plugin.identifier, plugin.verbose_name) for plugin in self]

    def check_setting(self, setting: str, identifier: str) -> list[Error]:
        """The system-check error for a setting naming an unregistered plugin (none if known)."""
        if identifier in self._plugins:
            return []
        return [
            Error(
                f"{setting}={identifier!r} names no registered {self.kind}.",
                hint=f"Use one of: {', '.join(self._plugins)}.",
                id="congso.E010",
            )
        ]
