"""The dashboard's unit and period selector (dates in dd/mm/yyyy)."""

import datetime as dt

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from .board import PERIOD_KINDS, Period

DATE_FORMATS = ["%d/%m/%Y"]
#: A custom period is at most this long (the overview sums daily facts; a decade is not a view).
MAX_DAYS = 3 * 366


class PeriodForm(forms.Form):
    unit = forms.ModelChoiceField(label=_("Đơn vị"), queryset=None, empty_label=None)
    kind = forms.ChoiceField(label=_("Kỳ"), choices=list(PERIOD_KINDS.items()), required=False)
    day = forms.DateField(
        label=_("Ngày trong kỳ"),
        required=False,
        input_formats=DATE_FORMATS,
        help_text=_("dd/mm/yyyy"),
    )
    start = forms.DateField(
        label=_("Từ ngày"), required=False, input_formats=DATE_FORMATS, help_text=_("dd/mm/yyyy")
    )
    end = forms.DateField(
        label=_("Đến ngày"), required=False, input_formats=DATE_FORMATS, help_text=_("dd/mm/yyyy")
    )

    def __init__(self, data, units, **kwargs):
        super().__init__(data, **kwargs)
        self.fields["unit"].queryset = units.order_by("path")

    def clean(self):
        data = super().clean()
        kind = data.get("kind") or "month"
        if kind != "custom":
            data["period"] = Period.of(kind, data.get("day") or timezone.localdate())
            return data
        start, end = data.get("start"), data.get("end")
        if not start or not end:
            raise forms.ValidationError(_("Kỳ tuỳ chọn cần cả ngày bắt đầu và ngày kết thúc."))
        if end < start:
            self.add_error("end", _("Ngày kết thúc phải sau ngày bắt đầu."))
        elif (end - start) > dt.timedelta(days=MAX_DAYS):
            self.add_error("end", _("Kỳ tuỳ chọn dài nhất 3 năm."))
        else:
            data["period"] = Period(start, end, "custom")
        return data
