"""``ListedSelect`` and ``ListedDateInput`` render in code what Django's widget templates render,
to the character, for plain choices with groups as well as a model field's
(``test_listed_choice``) and for a date typed or chosen, and ``ListedChoiceField`` offers a model
field's options in one plain query."""

import datetime as dt

import pytest
from django import forms
from django.db import connection
from django.test.utils import CaptureQueriesContext

from congso.core.forms import DATE_FORMAT, ListedChoiceField, ListedDateInput, ListedSelect

CHOICES = [
    ("", "Tất cả"),
    ("a", 'Một <b>&</b> "hai"'),
    ("Nhóm 'x'", [("b", "Ba"), ("c", "Bốn")]),
    (5, "Năm"),
]


@pytest.mark.parametrize("value", [None, "", "a", "c", 5, ["a", "b"], "<script>"])
@pytest.mark.parametrize(
    "attrs", [None, {"id": "id_f"}, {"id": "x", "required": True, "disabled": False, "data-q": '"'}]
)
def test_the_same_html_as_django_select(value, attrs):
    expected = forms.Select(choices=CHOICES).render("f", value, attrs)
    assert ListedSelect(choices=CHOICES).render("f", value, attrs) == expected


def test_the_same_html_for_a_model_field_in_one_plain_query(db):
    from congso.accounts.models import User

    for name in ("b", "a", "c<"):
        User.objects.create_user(name, password="x")
    plain = ListedChoiceField(User.objects.order_by("username"), required=False)
    django = forms.ModelChoiceField(User.objects.order_by("username"), required=False)
    with CaptureQueriesContext(connection) as captured:
        html = plain.widget.render("u", plain.prepare_value(User.objects.get(username="a")))
    assert len(captured) == 2  # the selected user above, the options
    assert html == django.widget.render("u", django.prepare_value(User.objects.get(username="a")))


@pytest.mark.parametrize("value", [None, "", dt.date(2026, 12, 4), "31/02/2026", '"><script>'])
@pytest.mark.parametrize(
    "attrs",
    [
        None,
        {"id": "id_d", "aria-describedby": "id_d_helptext"},
        {"required": True, "disabled": False},
    ],
)
def test_the_same_html_as_django_date_input(value, attrs):
    options = {"format": DATE_FORMAT, "attrs": {"inputmode": "numeric"}}
    expected = forms.DateInput(**options).render("d", value, attrs)
    assert ListedDateInput(**options).render("d", value, attrs) == expected
