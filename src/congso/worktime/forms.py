from django import forms
from django.utils.translation import gettext_lazy as _

from .models import ExceptionKind
from .services import FIRST_YEAR, LAST_YEAR


class ExceptionForm(forms.Form):
    date = forms.DateField(
        label=_("Ngày"),
        input_formats=["%d/%m/%Y"],
        help_text=_("Viết theo dạng dd/mm/yyyy, ví dụ 02/01/2026."),
        error_messages={
            "required": _("Vui lòng nhập ngày."),
            "invalid": _("Ngày phải viết theo dạng dd/mm/yyyy, ví dụ 02/01/2026."),
        },
        widget=forms.TextInput(attrs={"inputmode": "numeric", "autocomplete": "off"}),
    )
    kind = forms.ChoiceField(
        label=_("Loại ngày"),
        choices=ExceptionKind.choices,
        error_messages={
            "required": _("Vui lòng chọn loại ngày."),
            "invalid_choice": _("Loại ngày không hợp lệ."),
        },
        widget=forms.RadioSelect,
    )
    reason = forms.CharField(
        label=_("Lý do"),
        max_length=255,
        help_text=_("Ví dụ: Nghỉ Tết Dương lịch, hoán đổi với thứ Bảy 10/01/2026."),
        error_messages={"required": _("Vui lòng nhập lý do.")},
    )
    legal_basis = forms.CharField(
        label=_("Căn cứ"),
        max_length=255,
        required=False,
        help_text=_("Số, ký hiệu văn bản thông báo lịch nghỉ, ví dụ 12729/VPCP-KGVX."),
    )


class YearForm(forms.Form):
    year = forms.IntegerField(
        label=_("Năm"),
        min_value=FIRST_YEAR,
        max_value=LAST_YEAR,
        error_messages={
            "invalid": _("Năm phải là một số, ví dụ 2026."),
            "min_value": _("Năm phải từ %(limit_value)s trở đi."),
            "max_value": _("Năm phải đến %(limit_value)s là cùng."),
        },
    )
