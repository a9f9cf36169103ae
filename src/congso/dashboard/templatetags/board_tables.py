"""The dashboard's long tables drawn in Python, row by row, with the HTML their templates drew:
the overview shows ~50 indicators and ~70 rows of the units, months and communes, and the
template engine spent ~0.1 ms on each cell (a variable, a condition, a filter each) — most of
the page's time. ``test_board_tables`` holds each tag equal to the template it replaced."""

from django import template
from django.urls import reverse
from django.utils.dateformat import format as date_format
from django.utils.formats import localize
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext as _

from congso.core.formatting import escaped

register = template.Library()


def _number(value) -> str:
    """A number as a template variable shows it: localised (a decimal comma in Vietnamese)."""
    return escaped(localize(value))


def _value_cell(value) -> str:
    shown = escaped(value.display)
    return shown if value.available else f'<span class="na">{shown}</span>'


def _unit_link(period) -> str:
    """The query after ``?unit=<pk>`` that keeps the period when a unit's row is followed."""
    day = escaped(date_format(period.start, "d/m/Y"))
    query = f"&amp;kind={escaped(period.kind)}&amp;day={day}"
    if period.kind == "custom":
        end = escaped(date_format(period.end, "d/m/Y"))
        query += f"&amp;start={day}&amp;end={end}"
    return query


@register.simple_tag
def breakdown_rows(rows, link=False, period=None) -> SafeString:
    """The body rows of ``_breakdown.html``: a row's label (a link to its unit's own board when
    ``link``, keeping ``period``), then its indicator values."""
    query = _unit_link(period) if link and period is not None else ""
    parts = []
    for row in rows:
        label = escaped(row.label)
        if link and row.unit:
            label = f'<a href="?unit={row.unit.pk}{query}">{label}</a>'
        cells = "".join(f'<td class="num">{_value_cell(v)}</td>' for v in row.values.values())
        parts.append(f'<tr>\n    <th scope="row">{label}</th>\n    {cells}\n  </tr>')
    return mark_safe("".join(parts))  # noqa: S308 — every text is escaped above


@register.simple_tag
def indicator_rows(values) -> SafeString:
    """The rows of one section of the overview: indicator, value, target, status light."""
    parts = []
    for value in values:
        target, aim = value.indicator.target, ""
        if target:
            aim = f"{escaped(value.target_display)} ({escaped(target.label)})"
        light = ""
        if value.status != "none":
            light = (
                f'<span class="light light--{escaped(value.status)}">'
                f"{escaped(value.status_label)}</span>"
            )
        parts.append(
            f'<tr data-key="{escaped(value.key)}">\n'
            f'    <th scope="row">{escaped(value.indicator.label)}</th>\n'
            f'    <td class="num">{_value_cell(value)}</td>\n'
            f"    <td>{aim}</td>\n"
            f"    <td>{light}</td>\n  </tr>"
        )
    return mark_safe("".join(parts))  # noqa: S308 — every text is escaped above


def _light(value) -> str:
    if value.status == "none":
        return ""
    return (
        f'<span class="light light--{escaped(value.status)}">{escaped(value.status_label)}</span>'
    )


@register.simple_tag
def headline_items(values) -> SafeString:
    """The overview's headline figures: each a list item with its value, target and light."""
    parts = []
    for value in values:
        target = value.indicator.target
        aim = ""
        if target:
            aim = (
                f'<span class="kpi__target">{escaped(_("Mục tiêu"))}: '
                f"{escaped(value.target_display)} — {escaped(target.label)}</span>"
            )
        parts.append(
            f'\n  <li class="kpi status--{escaped(value.status)}" data-key="{escaped(value.key)}">\n'
            f"    <span>{escaped(value.indicator.label)}</span>\n"
            f'    <span class="kpi__value">{_value_cell(value)}</span>\n'
            f"    {aim}\n"
            f"    {_light(value)}\n  </li>\n"
        )
    return mark_safe("".join(parts))  # noqa: S308 — every text is escaped above


@register.simple_tag
def index_rows(index, query: str) -> SafeString:
    """The rows of the Decision 766 table: each group's criteria, the group's score beside its
    first, each criterion a link to its detail keeping the page's ``query``."""
    address = escaped(reverse("dashboard:index766"))
    query = escaped(query)
    missing = escaped(_("không có số liệu"))
    parts = []
    for group in index.groups:
        heading = (
            f'<th scope="rowgroup" rowspan="{_number(len(group.criteria))}">{escaped(group.label)} '
            f"({_number(group.score)}/{_number(group.points)})</th>"
        )
        for position, c in enumerate(group.criteria):
            value = f"{_number(c.value)}%" if c.available else f'<span class="na">{missing}</span>'
            parts.append(
                f"<tr>\n    {'' if position else heading}\n"
                f'    <td><a href="{address}?{query}&amp;criterion={escaped(c.key)}">'
                f"{escaped(c.label)}</a></td>\n"
                f'    <td class="num">{value}</td>\n'
                f'    <td class="num">{_number(c.score)}/{_number(c.points)}</td>\n  </tr>'
            )
    return mark_safe("".join(parts))  # noqa: S308 — every text is escaped above
