"""The dashboard's table rows drawn in Python (``templatetags/board_tables``) are the HTML the
template loops drew: each tag against the loop it replaced, on values of every kind — not
available, no value, with and without a target, each status — and labels to escape."""

import datetime as dt
from types import SimpleNamespace

import pytest
from django.template import engines
from django.utils import translation

from congso.core.periods import Period
from congso.dashboard import board, index766, indicators

#: The loops as the templates wrote them before the tags (``_breakdown.html``, ``overview.html``).
BREAKDOWN_LOOP = """{% load i18n %}{% for row in rows %}<tr>
    <th scope="row">{% if link and row.unit %}<a href="?unit={{ row.unit.pk }}&amp;kind={{ board.period.kind }}&amp;day={{ board.period.start|date:'d/m/Y' }}{% if board.period.kind == 'custom' %}&amp;start={{ board.period.start|date:'d/m/Y' }}&amp;end={{ board.period.end|date:'d/m/Y' }}{% endif %}">{{ row.label }}</a>{% else %}{{ row.label }}{% endif %}</th>
    {% for value in row.values.values %}<td class="num">{% if value.available %}{{ value.display }}{% else %}<span class="na">{{ value.display }}</span>{% endif %}</td>{% endfor %}
  </tr>{% empty %}<tr><td colspan="6">{% translate "Không có số liệu trong kỳ." %}</td></tr>{% endfor %}"""  # noqa: E501
BREAKDOWN_TAG = """{% load i18n board_tables %}{% if rows %}{% breakdown_rows rows link board.period %}{% else %}<tr><td colspan="6">{% translate "Không có số liệu trong kỳ." %}</td></tr>{% endif %}"""  # noqa: E501
SECTION_LOOP = """{% for value in values %}<tr data-key="{{ value.key }}">
    <th scope="row">{{ value.indicator.label }}</th>
    <td class="num">{% if value.available %}{{ value.display }}{% else %}<span class="na">{{ value.display }}</span>{% endif %}</td>
    <td>{% if value.indicator.target %}{{ value.target_display }} ({{ value.indicator.target.label }}){% endif %}</td>
    <td>{% if value.status != "none" %}<span class="light light--{{ value.status }}">{{ value.status_label }}</span>{% endif %}</td>
  </tr>{% endfor %}"""  # noqa: E501
SECTION_TAG = "{% load board_tables %}{% indicator_rows values %}"
HEADLINE_LOOP = """{% load i18n %}{% for value in values %}
  <li class="kpi status--{{ value.status }}" data-key="{{ value.key }}">
    <span>{{ value.indicator.label }}</span>
    <span class="kpi__value">{% if value.available %}{{ value.display }}{% else %}<span class="na">{{ value.display }}</span>{% endif %}</span>
    {% if value.indicator.target %}<span class="kpi__target">{% translate "Mục tiêu" %}: {{ value.target_display }} — {{ value.indicator.target.label }}</span>{% endif %}
    {% if value.status != "none" %}<span class="light light--{{ value.status }}">{{ value.status_label }}</span>{% endif %}
  </li>
{% endfor %}"""  # noqa: E501
HEADLINE_TAG = "{% load board_tables %}{% headline_items values %}"
INDEX_LOOP = """{% load i18n %}{% url 'dashboard:index766' as index_url %}{% for group in index.groups %}{% for c in group.criteria %}<tr>
    {% if forloop.first %}<th scope="rowgroup" rowspan="{{ group.criteria|length }}">{{ group.label }} ({{ group.score }}/{{ group.points }})</th>{% endif %}
    <td><a href="{{ index_url }}?{{ query }}&amp;criterion={{ c.key }}">{{ c.label }}</a></td>
    <td class="num">{% if c.available %}{{ c.value }}%{% else %}<span class="na">{% translate "không có số liệu" %}</span>{% endif %}</td>
    <td class="num">{{ c.score }}/{{ c.points }}</td>
  </tr>{% endfor %}{% endfor %}"""  # noqa: E501
INDEX_TAG = "{% load board_tables %}{% index_rows index query %}"


def _render(source: str, context: dict) -> str:
    return engines["django"].from_string(source).render(context)


def _figures(**onestop) -> dict:
    base = dict.fromkeys(
        [
            "received",
            "received_online",
            "received_desk",
            "received_fully_online",
            "finished",
            "finished_early",
            "finished_on_time",
            "finished_late",
            "open_within_time",
            "open_overdue",
            "open_waiting",
            "open_waiting_late",
        ],
        0,
    )
    return {"onestop": {**base, **onestop}}


def _values() -> list[list]:
    """Indicator values of every kind: all sources missing, a district's busy year (targets met,
    nearly met, missed), an empty period (no value), money and ratios."""
    busy = _figures(
        received=1234,
        received_online=1200,
        received_fully_online=300,
        finished=1000,
        finished_early=400,
        finished_on_time=450,
        open_within_time=30,
        open_overdue=4,
    )
    busy["ict"] = {
        "computers": 90,
        "officials_at_units": 100,
        "units_ipv6_ready": 3,
        "units": 7,
        "it_staff": 2,
        "training_hours": 1500,
        "investment_spent": 1_250_000_000,
        "investment_planned": 2_000_000_000,
    }
    return [
        indicators.evaluate({}),
        indicators.evaluate(busy),
        indicators.evaluate(_figures()),
        indicators.evaluate(_figures(received=10, received_online=9, received_fully_online=5)),
    ]


def _rows(values: list) -> list[board.Row]:
    keyed = {v.key: v for v in values if v.key in board.BREAKDOWN}
    return [
        board.Row("Xã Nghi Long", keyed, SimpleNamespace(pk=7)),
        board.Row('Xã "Ả" <b> & Cô\'s', keyed, SimpleNamespace(pk=12)),
        board.Row("11/2026", keyed, None),
    ]


PERIODS = [
    Period.of("month", dt.date(2026, 11, 15)),
    Period.of("year", dt.date(2026, 3, 1)),
    Period(dt.date(2025, 12, 4), dt.date(2026, 12, 3), "custom"),
]


@pytest.mark.parametrize("language", ["vi", "en"])
@pytest.mark.parametrize("period", PERIODS, ids=lambda p: p.kind)
@pytest.mark.parametrize("link", [True, False, None])
def test_breakdown_rows_are_the_loop(language, period, link):
    with translation.override(language):
        for values in _values():
            for rows in (_rows(values), [], None):
                context = {"rows": rows, "link": link, "board": SimpleNamespace(period=period)}
                assert _render(BREAKDOWN_TAG, context) == _render(BREAKDOWN_LOOP, context)


def test_breakdown_rows_without_a_board_are_the_loop():
    """The per-procedure page includes the table with neither a board nor links."""
    for values in _values():
        context = {"rows": _rows(values)}
        drawn = _render(BREAKDOWN_TAG, context)
        assert drawn == _render(BREAKDOWN_LOOP, context)
        assert "&quot;Ả&quot; &lt;b&gt; &amp; Cô&#x27;s" in drawn and "<a " not in drawn


@pytest.mark.parametrize("language", ["vi", "en"])
def test_indicator_rows_are_the_loop(language):
    with translation.override(language):
        seen = set()
        for values in _values():
            for _key, section in board.Board(None, None, {}, values, None).sections:
                context = {"values": section}
                assert _render(SECTION_TAG, context) == _render(SECTION_LOOP, context)
            seen |= {(v.available, v.status, v.indicator.target is None) for v in values}
        # every kind of value was drawn: not available; each light; with and without a target
        assert {(False, "none", True), (True, "none", True), (True, "none", False)} <= seen
        assert {status for _available, status, _no_target in seen} >= {"green", "amber", "red"}


@pytest.mark.parametrize("language", ["vi", "en"])
def test_headline_items_are_the_loop(language):
    with translation.override(language):
        for values in _values():
            context = {"values": board.Board(None, None, {}, values, None).headline}
            assert _render(HEADLINE_TAG, context) == _render(HEADLINE_LOOP, context)


@pytest.mark.parametrize("language", ["vi", "en"])
def test_index_rows_are_the_loop(language):
    query = "unit=3&kind=month&day=15/11/2026&x=<b>"
    with translation.override(language):
        drawn = set()
        for values in _values():
            context = {"index": index766.compute(values), "query": query}
            assert _render(INDEX_TAG, context) == _render(INDEX_LOOP, context)
            drawn |= {c.available for c in context["index"].criteria}
        assert drawn == {True, False}  # with a value (a decimal comma in Vietnamese) and without


def test_the_trend_sums_every_figure_its_columns_read():
    """``board.TREND_FIGURES`` (the flows the monthly trend sums) is what its columns read: the
    columns evaluated on random flows give the same values with only those flows kept."""
    import random

    from congso.onestop import facts

    assert set(indicators.figures_read(["on_time_rate"], "onestop")) >= {
        "finished",
        "finished_early",
        "open_waiting_late",
    }
    rng = random.Random(16)
    for _ in range(50):
        flows = {key: rng.randint(0, 40) for key in facts.FLOW_KEYS}
        full = _figures(**flows)
        kept = _figures(**{k: v for k, v in flows.items() if k in board.TREND_FIGURES})
        columns = indicators.evaluate(full, board.BREAKDOWN)
        assert [v.value for v in columns] == [
            v.value for v in indicators.evaluate(kept, board.BREAKDOWN)
        ]
