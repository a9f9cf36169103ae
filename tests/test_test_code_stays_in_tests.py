"""Non-domain code stays out of the domain apps (issue 13, item 6): factories and test helpers
live under the tests (``congso/<app>/tests/``: ``factories.py``, ``support.py``), and
factory_boy and pytest are test dependencies, so no module the server runs imports ``factory``,
``pytest`` or any app's ``tests`` package, and no served module is a ``testing.py`` helper beside
the code. (The demo is kept apart by the layers contract in ``pyproject.toml``: ``congso.demo``
sits on top and no app imports it.)"""

import ast
from pathlib import Path

import congso

SOURCE = Path(congso.__file__).resolve().parent
TEST_LIBRARIES = {"factory", "pytest", "pytest_django"}


def _served_modules(root: Path = SOURCE):
    for path in sorted(root.rglob("*.py")):
        parts = path.relative_to(root).parts
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
    return parts[0] in TEST_LIBRARIES or (parts[0] == "congso" and "tests" in parts)


def _misplaced(root: Path = SOURCE) -> list[str]:
    """Each served module that imports test code or is named like a test helper, as
    ``path: why``."""
    found = []
    for path in _served_modules(root):
        where = path.relative_to(root).as_posix()
        if path.name == "testing.py":
            found.append(f"{where}: a test helper beside served code")
        tree = ast.parse(path.read_text(encoding="utf-8"))
        found.extend(f"{where}: {name}" for name in _imported(tree) if _is_test_code(name))
    return found


def test_served_code_imports_no_test_code_and_holds_no_test_helper():
    assert _misplaced() == []


def test_the_scan_sees_the_apps():
    names = {path.relative_to(SOURCE).as_posix() for path in _served_modules()}
    assert "onestop/services.py" in names
    assert "documents/services/gate.py" in names
    assert not any("/tests/" in name for name in names)


def test_the_scan_flags_a_helper_or_a_test_import_outside_the_tests(tmp_path):
    app = tmp_path / "app"
    (app / "tests").mkdir(parents=True)
    (app / "testing.py").write_text("X = 1\n")
    (app / "models.py").write_text("import pytest\nfrom factory import Faker\n")
    (app / "views.py").write_text("from congso.accounts.tests.support import log_in\n")
    (app / "tests" / "support.py").write_text("import factory\nimport pytest\n")
    assert _misplaced(tmp_path) == [
        "app/models.py: pytest",
        "app/models.py: factory",
        "app/testing.py: a test helper beside served code",
        "app/views.py: congso.accounts.tests.support",
    ]
