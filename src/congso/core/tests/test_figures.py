import datetime as dt

from congso.core import figures


def test_unregistered_source_is_not_available():
    assert figures.figures("no-such-source", [1], dt.date(2026, 1, 1), dt.date(2026, 1, 31)) is None


def test_registered_provider_answers_for_units_and_period(monkeypatch):
    monkeypatch.setattr(figures, "_providers", {})
    calls = []

    def provider(unit_ids, start, end):
        calls.append((unit_ids, start, end))
        return {"total": len(unit_ids)}

    figures.provide("sample", provider)
    answer = figures.figures("sample", (3, 4), dt.date(2026, 1, 1), dt.date(2026, 1, 31))
    assert answer == {"total": 2}
    assert calls == [([3, 4], dt.date(2026, 1, 1), dt.date(2026, 1, 31))]
    assert figures.sources() == ["sample"]
