"""The one plugin registry: register by identifier, look up, refuse duplicates and unknowns."""

import pytest

from congso.core.plugins import DuplicatePlugin, Registry, UnknownPlugin


@pytest.fixture
def registry():
    return Registry("test gateway")


def test_register_files_the_class_under_its_identifier(registry):
    @registry.register("alpha")
    class Alpha:
        verbose_name = "Cổng Alpha"

    assert Alpha.identifier == "alpha"
    assert registry.get("alpha") is Alpha
    assert "alpha" in registry
    assert list(registry) == [Alpha]
    assert registry.choices() == [("alpha", "Cổng Alpha")]


def test_unknown_identifier_is_a_clear_error(registry):
    registry.register("alpha")(type("Alpha", (), {"verbose_name": "Alpha"}))
    with pytest.raises(UnknownPlugin, match="test gateway: no plugin 'beta'; known: alpha"):
        registry.get("beta")


def test_duplicate_identifier_is_refused(registry):
    first = registry.register("alpha")(type("First", (), {}))
    with pytest.raises(DuplicatePlugin, match="'alpha' already registered"):
        registry.register("alpha")(type("Second", (), {}))
    assert registry.get("alpha") is first


def test_setting_check_reports_an_unknown_identifier(registry):
    registry.register("alpha")(type("Alpha", (), {}))
    assert registry.check_setting("CONGSO_X", "alpha") == []
    errors = registry.check_setting("CONGSO_X", "beta")
    assert [e.id for e in errors] == ["congso.E010"]
    assert "CONGSO_X='beta'" in errors[0].msg
