"""Forms and form helpers shared by every app: a service's refusal on a form, the period form."""

from django import forms
from django.core.exceptions import PermissionDenied, ValidationError
from django.forms.models import ModelChoiceIterator
from django.utils import timezone
from django.utils.safestring import SafeData, mark_safe
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from .formatting import escaped
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
    """``django/forms/widgets/attrs.html`` in Python."""
    return "".join(
        f" {escaped(name)}" + ("" if value is True else f'="{_text(value)}"')
        for name, value in attrs.items()
        if value is not False
    )


def _text(value) -> str:
    """``{{ value|stringformat:'s' }}``: safe text stays as it is, anything else is escaped."""
    return str(value) if isinstance(value, SafeData) else escaped(str(value))


class ListedDateInput(forms.DateInput):
    """The date box Django draws (``input.html`` and ``attrs.html``), drawn in Python: a period
    selector has three of them on the pages officials open most (~0.3 ms each through the
    templates); ``test_listed_select`` holds the two equal."""

    def render(self, name, value, attrs=None, renderer=None):
        widget = self.get_context(name, value, attrs)["widget"]
        shown = "" if widget["value"] is None else f' value="{_text(widget["value"])}"'
        return mark_safe(  # noqa: S308 — every text is escaped
            f'<input type="{escaped(widget["type"])}" name="{escaped(widget["name"])}"'
            f"{shown}{_attrs(widget['attrs'])}>"
        )


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
        widget=ListedDateInput(format=DATE_FORMAT, attrs={"inputmode": "numeric"}),
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


class ListedSelect(forms.Select):
    """The select box Django draws, drawn in Python: the same HTML as its templates
    (``select.html``, one ``select_option.html`` and ``attrs.html`` per option — ~0.1 ms an
    option, a province's units being hundreds); ``test_listed_choice`` holds the two equal."""

    def render(self, name, value, attrs=None, renderer=None):
        widget = self.get_context(name, value, attrs)["widget"]
        parts = [f'<select name="{escaped(widget["name"])}"{_attrs(widget["attrs"])}>']
        for group_name, options, _index in widget["optgroups"]:
            if group_name:
                parts.append(f'\n  <optgroup label="{escaped(group_name)}">')
            parts += (
                f'\n  <option value="{_text(option["value"])}"{_attrs(option["attrs"])}>'
                f"{escaped(option['label'])}</option>\n"
                for option in options
            )
            if group_name:
                parts.append("\n  </optgroup>")
        parts.append("\n</select>")
        return mark_safe("".join(parts))  # noqa: S308 — every text is escaped above


class _ListedChoices(ModelChoiceIterator):
    """The choices of a ``ListedChoiceField``, from its rows read once."""

    def __iter__(self):
        if self.field.empty_label is not None:
            yield ("", self.field.empty_label)
        for obj in self.field.rows():
            yield self.choice(obj)

    def __len__(self):
        return len(self.field.rows()) + (1 if self.field.empty_label is not None else 0)

    def __bool__(self):
        return self.field.empty_label is not None or bool(self.field.rows())


class ListedChoiceField(forms.ModelChoiceField):
    """A model choice among a short list (a user's units) read once per form by one plain query,
    the submitted choice looked up in it. Django's own field reads its queryset again each time
    the choices are iterated — through a server-side cursor on PostgreSQL (DECLARE, FETCH,
    CLOSE: three round trips or more), once more when the widget asks for its first option —
    and once more to check the choice."""

    iterator = _ListedChoices
    widget = ListedSelect

    def _set_queryset(self, queryset):
        self._rows = None
        super()._set_queryset(queryset)

    queryset = property(forms.ModelChoiceField._get_queryset, _set_queryset)

    def list_rows(self, rows: list) -> None:
        """Offer ``rows`` (the queryset's rows, read elsewhere: kept in a cache) instead of
        reading the queryset; the submitted choice is looked up among them alike."""
        self._rows = rows

    def rows(self) -> list:
        if self._rows is None:
            self._rows = list(self.queryset)
        return self._rows

    def to_python(self, value):
        """``ModelChoiceField.to_python`` (same errors) answered from ``rows``."""
        if value in self.empty_values:
            return None
        self.validate_no_null_characters(value)
        model = self.queryset.model
        try:
            if isinstance(value, model):
                value = value.pk
            pk = model._meta.pk.to_python(value)
            return next(row for row in self.rows() if row.pk == pk)
        except (ValueError, TypeError, ValidationError, StopIteration):
            raise ValidationError(
                self.error_messages["invalid_choice"],
                code="invalid_choice",
                params={"value": value},
            ) from None


class UnitPeriodForm(PeriodForm):
    """A unit (limited to ``units``) and a period."""

    field_order = ["unit", "start", "end"]
    unit = ListedChoiceField(label=gettext_lazy("Đơn vị"), queryset=None)

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
    initial = {
        "unit": "",
        "start": today.replace(day=1).strftime(DATE_FORMAT),
        "end": today.strftime(DATE_FORMAT),
        "by": "unit",
    }
    form = form_class(initial, units=units)
    rows = form.fields["unit"].rows()  # by path: the top unit first (the form's own list)
    if rows:
        initial["unit"] = rows[0].pk  # the form's data, not yet validated
    return form


def period_slug(period: Period) -> str:
    """The period in a download's file name: ``20260301-20260331``."""
    return f"{period.start:%Y%m%d}-{period.end:%Y%m%d}"
