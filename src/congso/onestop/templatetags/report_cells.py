"""``{% number_cells row.cells %}``: the period report's figures as table cells, drawn in Python
— 18 columns × one row per unit or procedure, which the template engine drew one variable at a
time. The same HTML as ``{% for n in cells %}<td class="num">{{ n }}</td>{% endfor %}``
(``test_report_cells``)."""

from django import template
from django.conf import settings
from django.template.base import render_value_in_context
from django.utils.safestring import SafeString, mark_safe

register = template.Library()


@register.simple_tag(takes_context=True)
def number_cells(context, numbers, strong=False) -> SafeString:
    """One ``<td class="num">`` per number (in ``<strong>`` when ``strong``). A plain ``int`` is
    written as ``{{ n }}`` writes it without thousands separators; anything else goes through
    the template engine's own rendering."""
    plain = not settings.USE_THOUSAND_SEPARATOR
    cells = []
    for number in numbers:
        if plain and type(number) is int:
            shown = str(number)
        else:
            shown = render_value_in_context(number, context)
        cells.append(
            f'<td class="num"><strong>{shown}</strong></td>'
            if strong
            else f'<td class="num">{shown}</td>'
        )
    return mark_safe("".join(cells))  # noqa: S308 — numbers, or escaped by the engine
