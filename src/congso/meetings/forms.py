"""Forms of the briefing pages. They only read and check input; ``services`` decide and save."""

import datetime as dt

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from congso.accounts import services as accounts
from congso.core.collation import by_vietnamese

from .models import Endpoint, InvitationResponse, VideoProvider


def _parse_agenda(text: str) -> list[tuple[str, str]]:
    """One agenda item a line: ``Nội dung | Người trình bày``."""
    items = []
    for line in (text or "").splitlines():
        title, _sep, presenter = line.partition("|")
        if title.strip():
            items.append((title.strip()[:300], presenter.strip()[:150]))
    return items


class MeetingForm(forms.Form):
    host_unit = forms.ModelChoiceField(queryset=None, label=_("Đơn vị chủ trì"))
    title = forms.CharField(label=_("Tên cuộc họp"), max_length=300)
    chair = forms.ModelChoiceField(queryset=None, label=_("Người chủ trì"))
    secretary = forms.ModelChoiceField(queryset=None, label=_("Thư ký"), required=False)
    room = forms.ModelChoiceField(
        queryset=None, label=_("Phòng họp chính (điểm cầu)"), required=False
    )
    day = forms.DateField(label=_("Ngày họp"), help_text=_("dd/mm/yyyy"))
    start_time = forms.TimeField(label=_("Giờ bắt đầu"), help_text=_("HH:MM"))
    end_time = forms.TimeField(label=_("Giờ kết thúc"), help_text=_("HH:MM"))
    video_provider = forms.ChoiceField(
        label=_("Hệ thống truyền hình"), choices=VideoProvider.choices
    )
    agenda = forms.CharField(
        label=_("Nội dung họp"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_("Mỗi dòng một nội dung, có thể ghi người trình bày sau dấu |"),
    )
    units = forms.ModelMultipleChoiceField(
        queryset=None, label=_("Đơn vị dự họp"), required=False, widget=forms.CheckboxSelectMultiple
    )
    all_communes = forms.BooleanField(label=_("Mời tất cả các xã, thị trấn"), required=False)
    weeks = forms.IntegerField(
        label=_("Lặp lại hằng tuần (số tuần)"),
        min_value=1,
        max_value=104,
        initial=1,
        help_text=_("1 = chỉ họp một lần"),
    )
    accept_conflicts = forms.BooleanField(label=_("Vẫn xếp lịch dù trùng lịch"), required=False)

    def __init__(self, *args, host_units, people, endpoints, invitable, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["host_unit"].queryset = host_units
        self.fields["chair"].queryset = people
        self.fields["secretary"].queryset = people
        self.fields["room"].queryset = endpoints
        self.fields["units"].queryset = invitable

    def clean(self):
        data = super().clean()
        day, start, end = data.get("day"), data.get("start_time"), data.get("end_time")
        if day and start and end:
            zone = timezone.get_current_timezone()
            data["start"] = timezone.make_aware(dt.datetime.combine(day, start), zone)
            data["end"] = timezone.make_aware(dt.datetime.combine(day, end), zone)
        data["agenda_items"] = _parse_agenda(data.get("agenda", ""))
        if not data.get("units") and not data.get("all_communes"):
            self.add_error("units", _("Hãy chọn đơn vị dự họp hoặc “tất cả các xã, thị trấn”."))
        return data


def officials():
    return accounts.officials().filter(is_active=True).order_by(by_vietnamese("full_name"))


class MeetingEditForm(forms.Form):
    title = forms.CharField(label=_("Tên cuộc họp"), max_length=300)
    chair = forms.ModelChoiceField(queryset=None, label=_("Người chủ trì"))
    day = forms.DateField(label=_("Ngày họp"), help_text=_("dd/mm/yyyy"))
    start_time = forms.TimeField(label=_("Giờ bắt đầu"), help_text=_("HH:MM"))
    end_time = forms.TimeField(label=_("Giờ kết thúc"), help_text=_("HH:MM"))
    accept_conflicts = forms.BooleanField(label=_("Vẫn xếp lịch dù trùng lịch"), required=False)

    def __init__(self, *args, people, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["chair"].queryset = people

    def clean(self):
        data = super().clean()
        day, start, end = data.get("day"), data.get("start_time"), data.get("end_time")
        if day and start and end:
            zone = timezone.get_current_timezone()
            data["start"] = timezone.make_aware(dt.datetime.combine(day, start), zone)
            data["end"] = timezone.make_aware(dt.datetime.combine(day, end), zone)
        return data


class ResponseForm(forms.Form):
    response = forms.ChoiceField(
        label=_("Trả lời"),
        choices=[c for c in InvitationResponse.choices if c[0] != InvitationResponse.PENDING],
        widget=forms.RadioSelect,
    )
    delegate_name = forms.CharField(label=_("Người dự thay"), required=False, max_length=150)


class EndpointForm(forms.ModelForm):
    class Meta:
        model = Endpoint
        fields = ["room", "equipment", "contact_person", "contact_phone"]
        widgets = {"equipment": forms.Textarea(attrs={"rows": 3})}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["contact_person"].queryset = officials()


class ConnectionTestForm(forms.Form):
    ok = forms.TypedChoiceField(
        label=_("Kết quả"),
        choices=[("1", _("Đạt: hình và tiếng rõ")), ("0", _("Không đạt"))],
        coerce=lambda v: v == "1",
        widget=forms.RadioSelect,
    )
    note = forms.CharField(label=_("Ghi chú"), required=False, max_length=300)


class MinutesForm(forms.Form):
    text = forms.CharField(label=_("Nội dung biên bản"), widget=forms.Textarea(attrs={"rows": 12}))


class ConclusionForm(forms.Form):
    text = forms.CharField(label=_("Nội dung kết luận"), widget=forms.Textarea(attrs={"rows": 3}))
    units = forms.ModelMultipleChoiceField(
        queryset=None, label=_("Đơn vị thực hiện"), widget=forms.CheckboxSelectMultiple
    )
    working_days = forms.IntegerField(
        label=_("Thời hạn (số ngày làm việc)"), required=False, min_value=1, max_value=365
    )
    due_date = forms.DateField(label=_("Hoặc hạn hoàn thành (dd/mm/yyyy)"), required=False)

    def __init__(self, *args, units, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["units"].queryset = units


class ReportForm(forms.Form):
    text = forms.CharField(label=_("Nội dung báo cáo"), widget=forms.Textarea(attrs={"rows": 3}))
    evidence = forms.FileField(label=_("Tệp minh chứng (PDF, JPEG, PNG)"), required=False)
    complete = forms.BooleanField(label=_("Đã hoàn thành nhiệm vụ"), required=False)


class ReasonForm(forms.Form):
    reason = forms.CharField(label=_("Lý do"), max_length=500)


class DocumentForm(forms.Form):
    """Title and optional document number; the files themselves (``files``, several allowed) are
    checked by the service with ``core.uploads.check_files``."""

    title = forms.CharField(
        label=_("Tên tài liệu (khi gửi một tệp)"), max_length=300, required=False
    )
    document_number = forms.CharField(
        label=_("Số, ký hiệu văn bản (nếu có)"),
        max_length=100,
        required=False,
        help_text=_(
            "Văn bản đã có trong sổ văn bản: chỉ cần nhập số, ký hiệu (ví dụ 12/QĐ-UBND), "
            "không cần tải tệp — hệ thống lấy bản đã ký số."
        ),
    )
