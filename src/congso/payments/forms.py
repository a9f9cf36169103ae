from django import forms
from django.utils.translation import gettext_lazy as _

MAX_VND = 10**12


class RefundForm(forms.Form):
    amount = forms.IntegerField(
        label=_("Số tiền hoàn (đồng)"),
        min_value=1,
        max_value=MAX_VND,
        widget=forms.NumberInput(attrs={"inputmode": "numeric"}),
        error_messages={
            "required": _("Nhập số tiền hoàn."),
            "invalid": _("Số tiền là một số nguyên (đồng)."),
            "min_value": _("Số tiền hoàn phải lớn hơn 0."),
            "max_value": _("Số tiền quá lớn."),
        },
    )
    reason = forms.CharField(
        label=_("Lý do hoàn tiền"),
        max_length=1000,
        widget=forms.Textarea(attrs={"rows": 3}),
        error_messages={"required": _("Nêu lý do hoàn tiền.")},
    )


class TransferForm(forms.Form):
    reference = forms.CharField(
        label=_("Số chứng từ chuyển khoản"),
        max_length=100,
        error_messages={"required": _("Nhập số chứng từ chuyển khoản.")},
    )
