"""Forms of the officials' pages. Units offered are those the official manages; the services
check again, so a forged choice is refused there too."""

import re

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from .models import Programme, Topic

DATE_HINT = _("dd/mm/yyyy")


class UnitChoiceForm(forms.Form):
    unit = forms.ModelChoiceField(queryset=None, label=_("Đơn vị"))

    def __init__(self, *args, units, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["unit"].queryset = units


class TeamForm(UnitChoiceForm):
    name = forms.CharField(label=_("Tên tổ"), max_length=200)
    established_on = forms.DateField(label=_("Ngày thành lập"), required=False, help_text=DATE_HINT)


class MemberForm(forms.Form):
    hamlet = forms.CharField(label=_("Thôn, xóm"), max_length=100)
    name = forms.CharField(label=_("Họ và tên"), max_length=100)
    role = forms.CharField(label=_("Vai trò trong tổ"), max_length=100, required=False)
    phone = forms.CharField(label=_("Số điện thoại"), max_length=16, required=False)

    def clean_phone(self):
        from .services import clean_phone

        return clean_phone(self.cleaned_data.get("phone", ""))


class ProgrammeForm(UnitChoiceForm):
    name = forms.CharField(label=_("Tên chương trình"), max_length=300)
    start = forms.DateField(label=_("Từ ngày"), help_text=DATE_HINT)
    end = forms.DateField(label=_("Đến ngày"), help_text=DATE_HINT)
    target = forms.IntegerField(label=_("Chỉ tiêu (lượt người)"), min_value=0, initial=0)
    description = forms.CharField(
        label=_("Mô tả"), required=False, widget=forms.Textarea(attrs={"rows": 3})
    )


LINE = re.compile(r"^(?P<name>[^,;]+?)\s*(?:[,;]\s*(?P<year>\d{4}))?\s*$")


def parse_attendees(text: str) -> list[tuple[str, int | None]]:
    """One person a line, "Họ và tên, năm sinh" (the year may be left out)."""
    people = []
    this_year = timezone.localdate().year
    for number, raw in enumerate((text or "").splitlines(), start=1):
        if not raw.strip():
            continue
        match = LINE.match(raw.strip())
        year = int(match["year"]) if match and match["year"] else None
        if match is None or (year is not None and not 1900 <= year <= this_year):
            raise forms.ValidationError(
                _("Dòng %(n)s chưa đúng dạng “Họ và tên, năm sinh”.") % {"n": number}
            )
        people.append((match["name"].strip(), year))
    return people


class SessionForm(forms.Form):
    programme = forms.ModelChoiceField(queryset=Programme.objects.none(), label=_("Chương trình"))
    unit = forms.ModelChoiceField(queryset=None, label=_("Xã tổ chức"))
    topic = forms.ChoiceField(label=_("Chủ đề"), choices=Topic.choices)
    date = forms.DateField(label=_("Ngày"), help_text=DATE_HINT)
    place = forms.CharField(label=_("Địa điểm"), max_length=200)
    trainer = forms.CharField(label=_("Người hướng dẫn"), max_length=100)
    attendance = forms.IntegerField(label=_("Số người tham dự"), min_value=1)
    attendees = forms.CharField(
        label=_("Danh sách tham dự (không bắt buộc)"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_("Mỗi dòng một người: họ và tên, năm sinh. Không ghi thêm thông tin khác."),
    )
    notes = forms.CharField(
        label=_("Ghi chú"), required=False, widget=forms.Textarea(attrs={"rows": 2})
    )

    def __init__(self, *args, units, programmes, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["unit"].queryset = units
        self.fields["programme"].queryset = programmes

    def clean_attendees(self):
        return parse_attendees(self.cleaned_data.get("attendees", ""))


class PopulationForm(UnitChoiceForm):
    year = forms.IntegerField(label=_("Năm"), min_value=2000, max_value=2100)
    count = forms.IntegerField(label=_("Dân số từ 15 tuổi"), min_value=0)
