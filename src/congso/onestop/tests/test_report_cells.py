"""``{% number_cells %}`` (``templatetags/report_cells``) is the loop the period report's
template wrote: the same HTML for every kind of number it may be given."""

from decimal import Decimal

import pytest
from django.template import engines
from django.utils import translation

LOOP = '{% for n in cells %}<td class="num">{{ n }}</td>{% endfor %}'
STRONG_LOOP = '{% for n in cells %}<td class="num"><strong>{{ n }}</strong></td>{% endfor %}'
TAG = "{% load report_cells %}{% number_cells cells %}"
STRONG_TAG = "{% load report_cells %}{% number_cells cells strong=True %}"
CELLS = [0, 7, -3, 1234567, 10**12, Decimal("5"), Decimal("1234.50"), 2.5, None, True, "<b>"]


def _render(source: str, cells) -> str:
    return engines["django"].from_string(source).render({"cells": cells})


@pytest.mark.parametrize("language", ["vi", "en"])
@pytest.mark.parametrize("grouping", [False, True])
def test_the_tag_is_the_loop(settings, language, grouping):
    settings.USE_THOUSAND_SEPARATOR = grouping
    with translation.override(language):
        assert _render(TAG, CELLS) == _render(LOOP, CELLS)
        assert _render(STRONG_TAG, CELLS) == _render(STRONG_LOOP, CELLS)
        assert _render(TAG, []) == _render(LOOP, []) == ""


def test_the_report_writes_plain_integers():
    assert _render(TAG, [1234, 0]) == '<td class="num">1234</td><td class="num">0</td>'
