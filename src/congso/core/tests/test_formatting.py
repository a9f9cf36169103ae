import datetime as dt
from decimal import Decimal
from zoneinfo import ZoneInfo

import pytest
from django.template import Context, Template
from django.utils import translation
from django.utils.html import conditional_escape
from django.utils.safestring import mark_safe
from django.utils.translation import gettext_lazy

from congso.core import formatting


@pytest.mark.parametrize(
    ("amount", "shown"),
    [
        (1250000, "1.250.000 đ"),
        (0, "0 đ"),
        (8000, "8.000 đ"),
        (Decimal("200000.4"), "200.000 đ"),
        (-5000, "-5.000 đ"),
        (None, "—"),
    ],
)
def test_money(amount, shown):
    assert formatting.money(amount) == shown


def test_dates_are_day_month_year_in_local_time():
    utc = dt.datetime(2026, 1, 31, 20, 30, tzinfo=dt.UTC)  # 03:30 on 1 Feb in Vietnam
    assert formatting.date(utc) == "01/02/2026"
    assert formatting.datetime(utc) == "03:30 01/02/2026"
    assert formatting.date(dt.date(2026, 9, 2)) == "02/09/2026"


def test_template_filters_and_django_date_format_in_both_languages():
    when = dt.datetime(2026, 4, 30, 8, 0, tzinfo=ZoneInfo("Asia/Ho_Chi_Minh"))
    template = Template("{{ fee|vnd }} {{ when|vndate }} {{ day|date:'SHORT_DATE_FORMAT' }}")
    for language in ("vi", "en"):
        with translation.override(language):
            text = template.render(Context({"fee": 1250000, "when": when, "day": when.date()}))
        assert text == "1.250.000 đ 30/04/2026 30/04/2026"


@pytest.mark.parametrize(
    "value",
    [
        '<b title="x">A & B</b>',
        "Tổng cộng: 1.234 — 95,3%",
        mark_safe("<em>đã an toàn</em>"),
        gettext_lazy("<Chưa có số liệu>"),
        1234,
        None,
    ],
)
def test_escaped_is_conditional_escape(value):
    """The fast path for plain text draws exactly what Django's ``conditional_escape`` draws, for
    text, safe text, lazy translations and other values alike."""
    assert formatting.escaped(value) == conditional_escape(value)
