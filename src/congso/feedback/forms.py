"""Forms of the feedback pages. They check shape only; the rules live in ``services``."""

from django import forms
from django.utils.translation import gettext_lazy as _

from congso.catalog.services import procedures
from congso.core import forms as core_forms
from congso.core.collation import by_vietnamese
from congso.core.uploads import check_files
from congso.org.choices import LOCALITY_KINDS
from congso.org.services import units

from .models import CRITERIA, ComplaintKind, Overall, Score


class MultipleFileInput(forms.ClearableFileInput):
    allow_multiple_selected = True


class FilesField(forms.FileField):
    """Several files in one input, each checked by content (``core.uploads.check_files``)."""

    widget = MultipleFileInput

    def __init__(self, **kwargs):
        kwargs.setdefault("required", False)
        super().__init__(**kwargs)

    def clean(self, data, initial=None):
        uploads = data if isinstance(data, list | tuple) else [data] if data else []
        return check_files(uploads)


class RatingForm(forms.Form):
    overall = forms.ChoiceField(
        label=_("Mức độ hài lòng chung"),
        choices=Overall.choices,
        widget=forms.RadioSelect,
        error_messages={"required": _("Hãy chọn mức độ hài lòng.")},
    )
    comment = forms.CharField(
        label=_("Góp ý thêm (không bắt buộc)"),
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 3}),
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for key, label in CRITERIA.items():
            self.fields[f"score_{key}"] = forms.TypedChoiceField(
                label=label,
                choices=Score.choices,
                coerce=int,
                required=False,
                widget=forms.RadioSelect,
            )

    def criterion_fields(self):
        return [self[f"score_{key}"] for key in CRITERIA]

    def scores(self) -> dict[str, int]:
        return {
            key: self.cleaned_data[f"score_{key}"]
            for key in CRITERIA
            if self.cleaned_data.get(f"score_{key}") not in (None, "")
        }


class ComplaintForm(forms.Form):
    kind = forms.ChoiceField(label=_("Loại"), choices=ComplaintKind.choices)
    dossier_code = forms.CharField(
        label=_("Mã hồ sơ (nếu phản ánh về một hồ sơ)"), required=False, max_length=40
    )
    unit = forms.ModelChoiceField(
        label=_("Đơn vị cần phản ánh (khi không có mã hồ sơ)"),
        queryset=units().none(),
        required=False,
        empty_label=_("— Chọn đơn vị —"),
    )
    procedure = forms.ModelChoiceField(
        label=_("Thủ tục liên quan (không bắt buộc)"),
        queryset=procedures().none(),
        required=False,
        empty_label=_("— Không gắn thủ tục —"),
    )
    subject = forms.CharField(label=_("Tiêu đề"), max_length=300)
    content = forms.CharField(
        label=_("Nội dung"), max_length=10000, widget=forms.Textarea(attrs={"rows": 6})
    )
    files = FilesField(label=_("Tệp đính kèm (PDF, JPG, PNG)"))
    anonymous = forms.BooleanField(
        label=_("Không cho cán bộ xử lý biết họ tên của tôi"), required=False
    )
    contact_name = forms.CharField(label=_("Tên liên hệ"), required=False, max_length=150)
    contact_email = forms.EmailField(label=_("Thư điện tử liên hệ"), required=False)
    contact_phone = forms.CharField(label=_("Điện thoại liên hệ"), required=False, max_length=16)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["unit"].queryset = (
            units().active().filter(kind__in=LOCALITY_KINDS).order_by("path")
        )
        self.fields["procedure"].queryset = procedures().order_by(by_vietnamese("name"))


class AnswerForm(forms.Form):
    text = forms.CharField(
        label=_("Nội dung trả lời"), max_length=10000, widget=forms.Textarea(attrs={"rows": 6})
    )
    files = FilesField(label=_("Tệp đính kèm (PDF, JPG, PNG)"))


class ReasonForm(forms.Form):
    text = forms.CharField(
        label=_("Lý do"), max_length=10000, widget=forms.Textarea(attrs={"rows": 3})
    )


class AssignForm(forms.Form):
    assignee = forms.ModelChoiceField(label=_("Cán bộ xử lý"), queryset=None)

    def __init__(self, *args, officials=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["assignee"].queryset = officials


class EvaluateForm(forms.Form):
    satisfied = forms.TypedChoiceField(
        label=_("Bạn có hài lòng với trả lời không?"),
        choices=[("1", _("Hài lòng")), ("0", _("Không hài lòng"))],
        coerce=lambda value: value == "1",
        widget=forms.RadioSelect,
        error_messages={"required": _("Hãy cho biết bạn có hài lòng với trả lời không.")},
    )
    text = forms.CharField(
        label=_("Ý kiến thêm (không bắt buộc)"),
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 3}),
    )


class PeriodForm(core_forms.PeriodForm):
    by = forms.ChoiceField(
        label=_("Tổng hợp theo"),
        choices=[("unit", _("Đơn vị")), ("procedure", _("Thủ tục"))],
        required=False,
    )
