"""Every setting the code reads is declared in ``congso.settings`` (from the environment).

A setting read with ``getattr(settings, NAME, default)`` and never declared silently keeps its
default whatever the operator sets (the video bridge went to public meet.jit.si that way).
"""

import ast
from pathlib import Path

from django.conf import global_settings

from congso import settings as congso_settings

SOURCE = Path(congso_settings.__file__).resolve().parent


def _read_names(tree: ast.AST) -> set[str]:
    names = set()
    for node in ast.walk(tree):
        if (
            isinstance(node, ast.Attribute)
            and isinstance(node.value, ast.Name)
            and node.value.id == "settings"
            and node.attr.isupper()
        ):
            names.add(node.attr)
        if (
            isinstance(node, ast.Call)
            and isinstance(node.func, ast.Name)
            and node.func.id in {"getattr", "hasattr"}
            and node.args
            and isinstance(node.args[0], ast.Name)
            and node.args[0].id == "settings"
        ):
            argument = node.args[1] if len(node.args) > 1 else None
            is_name = isinstance(argument, ast.Constant) and isinstance(argument.value, str)
            names.add(f"getattr:{argument.value if is_name else ast.unparse(argument)}")
    return names


def _reads() -> dict[str, list[str]]:
    found: dict[str, list[str]] = {}  # NAME, or "getattr:NAME" for a read with a default
    for path in SOURCE.rglob("*.py"):
        if "tests" in path.parts or "migrations" in path.parts:
            continue
        for name in _read_names(ast.parse(path.read_text(), str(path))):
            found.setdefault(name, []).append(str(path.relative_to(SOURCE)))
    return found


def test_no_setting_is_read_with_a_hidden_default():
    """``getattr(settings, ...)`` hides an undeclared setting behind its default."""
    hidden = {name: paths for name, paths in _reads().items() if name.startswith("getattr:")}
    assert hidden == {}


def test_every_setting_read_is_declared():
    undeclared = {
        name: paths
        for name, paths in _reads().items()
        if not hasattr(congso_settings, name.removeprefix("getattr:"))
        and not hasattr(global_settings, name.removeprefix("getattr:"))
    }
    assert undeclared == {}
