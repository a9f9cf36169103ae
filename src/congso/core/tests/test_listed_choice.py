"""``ListedChoiceField`` and ``ListedSelect`` (``core.forms``): Django's model choice field and
select box, with the same answers and the same HTML, the list read once."""

import pytest
from django import forms
from django.db import connection
from django.test.utils import CaptureQueriesContext

from congso.core.forms import ListedChoiceField, UnitPeriodForm
from congso.org.models import Unit
from congso.org.services import create_unit


def _pair(units, **options):
    """The same field twice: Django's own, and the listed one."""
    django = forms.ModelChoiceField(queryset=units, **options)
    listed = ListedChoiceField(queryset=units, **options)
    return django, listed


@pytest.fixture
def units(tree):
    # names a template must escape
    create_unit(parent=tree["district"], name='Xã "Ả" <b> & Cô\'s', kind="commune")
    return Unit.objects.order_by("path")


@pytest.mark.parametrize("empty_label", ["---------", None])
@pytest.mark.parametrize(
    "value, attrs",
    [
        (None, {}),
        ("", {"required": True}),
        ("selected", {"required": True, "aria-describedby": 'id_unit_helptext "x"'}),
        ("selected", {"aria-invalid": "true", "hidden": False, "data-n": 3}),
        ("nonsense", {}),
    ],
)
def test_the_select_box_is_djangos_own(units, empty_label, value, attrs):
    django, listed = _pair(units, empty_label=empty_label)
    if value == "selected":
        value = units[2].pk
    ours = listed.widget.render("unit", value, attrs=dict(attrs))
    theirs = django.widget.render("unit", value, attrs=dict(attrs))
    assert ours == theirs
    assert "&quot;Ả&quot; &lt;b&gt; &amp; Cô&#x27;s" in ours


def test_a_bound_form_draws_the_same_field_and_errors(units):
    class Django(forms.Form):
        unit = forms.ModelChoiceField(queryset=units)

    class Listed(forms.Form):
        unit = ListedChoiceField(queryset=units)

    for data in ({"unit": units[1].pk}, {"unit": "abc"}, {"unit": ""}, {"unit": "999999"}, {}):
        django, listed = Django(data), Listed(data)
        assert django.is_valid() == listed.is_valid()
        assert str(django["unit"]) == str(listed["unit"])
        assert django.errors == listed.errors
        assert django.cleaned_data.get("unit") == listed.cleaned_data.get("unit")


@pytest.mark.parametrize(
    "value",
    ["2", " 2", "2.0", "2.5", "abc", "", None, "9999999", 2, "２"],
)
def test_the_choice_is_checked_as_django_checks_it(units, value):
    if value in ("2", " 2", 2):
        value = type(value)(units[1].pk) if value != " 2" else f" {units[1].pk}"
    django, listed = _pair(units)
    try:
        expected = ("ok", django.clean(value))
    except forms.ValidationError as error:
        expected = ("error", error.messages)
    try:
        got = ("ok", listed.clean(value))
    except forms.ValidationError as error:
        got = ("error", error.messages)
    assert got == expected


def test_an_instance_is_a_choice_when_it_is_in_the_list(units, tree):
    django, listed = _pair(units.exclude(pk=tree["province"].pk))
    assert listed.clean(tree["district"]) == django.clean(tree["district"])
    with pytest.raises(forms.ValidationError):
        listed.clean(tree["province"])


def test_the_list_is_read_once_per_form_by_one_plain_query(units, tree):
    count = units.count()
    form = UnitPeriodForm(
        {"unit": tree["district"].pk, "start": "01/01/2026", "end": "31/01/2026"}, units=units
    )
    with CaptureQueriesContext(connection) as captured:
        assert form.is_valid()
        str(form["unit"])
        str(form["unit"])
        assert len(form.fields["unit"].choices) == count + 1
    assert len(captured.captured_queries) == 1
    assert "CURSOR" not in captured.captured_queries[0]["sql"].upper()


def test_each_form_reads_its_own_list(units, tree):
    first = UnitPeriodForm({}, units=units)
    assert len(first.fields["unit"].rows()) == units.count()
    create_unit(parent=tree["district"], name="Xã mới", kind="commune")
    second = UnitPeriodForm({}, units=Unit.objects.order_by("path"))
    assert len(second.fields["unit"].rows()) == len(first.fields["unit"].rows()) + 1
