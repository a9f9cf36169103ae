"""The dashboard's unit and period selector: a month, quarter or year around a day, or the one
period form's own start and end (``core.forms.UnitPeriodForm``: dd/mm/yyyy, the end not before
the start, at most three years)."""

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from congso.core.forms import ListedSelect, UnitPeriodForm, day_field

from .board import PERIOD_KINDS, Period


class PeriodForm(UnitPeriodForm):
    field_order = ["unit", "kind", "day", "start", "end"]
    kind = forms.ChoiceField(
        label=_("Kỳ"), choices=list(PERIOD_KINDS.items()), required=False, widget=ListedSelect
    )
    day = day_field(_("Ngày trong kỳ"), required=False)

    def __init__(self, data, units, **kwargs):
        super().__init__(data, units=units, **kwargs)
        self.fields["unit"].empty_label = None
        for name in ("start", "end"):  # asked for only by a custom period
            self.fields[name].required = False

    def clean(self):
        data = super().clean()
        kind = data.get("kind") or "month"
        if kind != "custom":
            data["period"] = Period.of(kind, data.get("day") or timezone.localdate())
            return data
        start, end = data.get("start"), data.get("end")
        if not start or not end:
            raise forms.ValidationError(_("Kỳ tuỳ chọn cần cả ngày bắt đầu và ngày kết thúc."))
        if "end" not in self.errors:
            data["period"] = Period(start, end, "custom")
        return data
