"""The tools an official's workspace offers. Each app registers its own in ``AppConfig.ready``;
the workspace shows those whose action the official may do somewhere."""

from dataclasses import dataclass

from django.urls import reverse

from . import permissions


@dataclass(frozen=True)
class Tool:
    section: str
    action: str
    label: str
    url_name: str
    #: The page works only from a position granting the action (a desk to receive at), so the
    #: superuser's blanket permission does not show it.
    by_position: bool = False

    def shown_to(self, user) -> bool:
        if self.by_position:
            return bool(permissions.roles_for(user, self.action) & permissions.held_roles(user))
        return permissions.may(user, self.action)


TOOLS: list[Tool] = []


def register(section: str, action: str, label: str, url_name: str, *, by_position=False) -> None:
    TOOLS.append(Tool(section, action, label, url_name, by_position))


def tools_for(user) -> dict[str, list[tuple[str, str]]]:
    """{section: [(label, url)]} in registration order, for the actions ``user`` may do."""
    sections: dict[str, list[tuple[str, str]]] = {}
    for tool in TOOLS:
        if tool.shown_to(user):
            sections.setdefault(str(tool.section), []).append(
                (str(tool.label), reverse(tool.url_name))
            )
    return sections
