"""Forms and form helpers shared by every app: a service's refusal on a form, the period form."""

from django import forms
from django.core.exceptions import PermissionDenied, ValidationError
from django.forms.models import ModelChoiceIterator
from django.utils import timezone
from django.utils.html import format_html, format_html_join
from django.utils.safestring import mark_safe
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from .periods import Period


def add_service_errors(form, error: ValidationError | PermissionDenied) -> None:
    """Show a service's refusal on the form, the one way every page does it: each message at its
    field when the form has that field, above the form otherwise. Services raise
    ``ValidationError`` keyed by field names (or without keys) and ``PermissionDenied`` with the
    reason in Vietnamese."""
    if isinstance(error, PermissionDenied):
        form.add_error(None, str(error))
    elif hasattr(error, "error_dict"):
        for field, errors in error.error_dict.items():
            form.add_error(field if field in form.fields else None, ValidationError(errors))
    else:
        form.add_error(None, error)


def _attrs(attrs: dict) -> str:
    """Django's ``attrs.html``: `` name="value"``, a bare `` name`` for True, nothing for False."""
    return format_html_join(
        "",
        "{}",
        (
            (
                format_html(' {}="{}"', name, str(value))
                if value is not True
                else format_html(" {}", name),
            )
            for name, value in attrs.items()
            if value is not False
        ),
    )


class PlainSelect(forms.Select):
    """A ``Select`` rendered in code, to the character what Django's ``select.html`` renders, but
    without one ``select_option.html`` template per option: a filter form with ~50 options spent
    ~4 ms of a ~25 ms page in those templates (issue 16)."""

    def render(self, name, value, attrs=None, renderer=None):
        widget = self.get_context(name, value, attrs)["widget"]
        parts = [format_html('<select name="{}"{}>', widget["name"], _attrs(widget["attrs"]))]
        for group_name, options, _index in widget["optgroups"]:
            if group_name:
                parts.append(format_html('\n  <optgroup label="{}">', group_name))
            parts += [
                format_html(
                    '\n  <option value="{}"{}>{}</option>\n',
                    str(option["value"]),
                    _attrs(option["attrs"]),
                    option["label"],
                )
                for option in options
            ]
            if group_name:
                parts.append("\n  </optgroup>")
        parts.append("\n</select>")
        return mark_safe("".join(parts))  # noqa: S308 — every text is escaped above


class ListedChoices(ModelChoiceIterator):
    """A model choice field's options read by one plain query: Django's iterator opens a
    server-side cursor on PostgreSQL (``DECLARE``, ``FETCH``, ``CLOSE``: three round trips for
    a few dozen rows)."""

    def __iter__(self):
        if self.field.empty_label is not None:
            yield ("", self.field.empty_label)
        for obj in self.queryset:
            yield self.choice(obj)


class ListedModelChoiceField(forms.ModelChoiceField):
    """A ``ModelChoiceField`` of a short list, drawn by ``PlainSelect`` from ``ListedChoices``."""

    iterator = ListedChoices
    widget = PlainSelect


DATE_FORMAT = "%d/%m/%Y"
#: The longest period one request may cover (a few years), so nobody asks for a century.
MAX_PERIOD_DAYS = 3 * 366


def day_field(label, *, required: bool = True) -> forms.DateField:
    """A date typed as dd/mm/yyyy (ISO also accepted), with the Vietnamese message."""
    return forms.DateField(
        label=label,
        required=required,
        input_formats=[DATE_FORMAT, "%Y-%m-%d"],
        help_text=gettext_lazy("dd/mm/yyyy"),
        widget=forms.DateInput(format=DATE_FORMAT, attrs={"inputmode": "numeric"}),
        error_messages={"invalid": gettext_lazy("Ngày phải có dạng dd/mm/yyyy.")},
    )


class PeriodForm(forms.Form):
    """The first and last day (dd/mm/yyyy) of a register, a report or an export: one form, one
    rule (the end not before the start, at most three years) for every app."""

    start = day_field(gettext_lazy("Từ ngày"))
    end = day_field(gettext_lazy("Đến ngày"))

    def clean(self):
        data = super().clean()
        start, end = data.get("start"), data.get("end")
        if start and end:
            if end < start:
                self.add_error("end", _("Ngày kết thúc phải từ ngày bắt đầu trở đi."))
            elif (end - start).days > MAX_PERIOD_DAYS:
                self.add_error("end", _("Kỳ báo cáo dài tối đa 3 năm."))
        return data

    @property
    def period(self) -> Period:
        return Period(self.cleaned_data["start"], self.cleaned_data["end"])


class UnitPeriodForm(PeriodForm):
    """A unit (limited to ``units``) and a period."""

    field_order = ["unit", "start", "end"]
    unit = forms.ModelChoiceField(label=gettext_lazy("Đơn vị"), queryset=None)

    def __init__(self, data, *, units, **kwargs):
        super().__init__(data, **kwargs)
        self.fields["unit"].queryset = units.order_by("path")
        self.fields["unit"].error_messages["invalid_choice"] = _(
            "Đơn vị không có hoặc nằm ngoài phạm vi của bạn."
        )


def bind_period_form(request, form_class, units):
    """The form bound to the query string, or to this month when the page is first opened."""
    if "start" in request.GET or "unit" in request.GET:
        return form_class(request.GET, units=units)
    today = timezone.localdate()
    first = units.order_by("path").first()
    initial = {
        "unit": first.pk if first else "",
        "start": today.replace(day=1).strftime(DATE_FORMAT),
        "end": today.strftime(DATE_FORMAT),
        "by": "unit",
    }
    return form_class(initial, units=units)


def period_slug(period: Period) -> str:
    """The period in a download's file name: ``20260301-20260331``."""
    return f"{period.start:%Y%m%d}-{period.end:%Y%m%d}"
