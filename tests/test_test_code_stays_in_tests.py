"""Non-domain code stays out of the domain apps (issue 13, item 6): factories and test helpers
live under the tests, and factory_boy is a test dependency, so no module the server runs
imports ``factory`` or any app's ``tests`` package. (The demo is kept apart by the layers
contract in ``pyproject.toml``: ``congso.demo`` sits on top and no app imports it.)"""

import ast
from pathlib import Path

import congso

SOURCE = Path(congso.__file__).resolve().parent


def _served_modules():
    for path in sorted(SOURCE.rglob("*.py")):
        parts = path.relative_to(SOURCE).parts
        if "tests" in parts or "migrations" in parts:
            continue
        yield path


def _imported(tree: ast.AST):
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            yield from (alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            yield node.module


def _is_test_code(name: str) -> bool:
    parts = name.split(".")
    return parts[0] == "factory" or (parts[0] == "congso" and "tests" in parts)


def test_served_code_imports_no_factory_and_no_tests():
    found = [
        f"{path.relative_to(SOURCE)}: {name}"
        for path in _served_modules()
        for name in _imported(ast.parse(path.read_text(encoding="utf-8")))
        if _is_test_code(name)
    ]
    assert found == []


def test_the_scan_sees_the_apps():
    names = {path.relative_to(SOURCE).as_posix() for path in _served_modules()}
    assert "onestop/services.py" in names
    assert "documents/services/gate.py" in names
    assert not any("/tests/" in name for name in names)
