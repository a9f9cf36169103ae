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


TOOLS: list[Tool] = []


def register(section: str, action: str, label: str, url_name: str) -> None:
    TOOLS.append(Tool(section, action, label, url_name))


def tools_for(user) -> dict[str, list[tuple[str, str]]]:
    """{section: [(label, url)]} in registration order, for the actions ``user`` may do."""
    sections: dict[str, list[tuple[str, str]]] = {}
    for tool in TOOLS:
        if permissions.may(user, tool.action):
            sections.setdefault(str(tool.section), []).append(
                (str(tool.label), reverse(tool.url_name))
            )
    return sections
