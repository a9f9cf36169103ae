from django import forms
from django.utils.translation import gettext_lazy as _


class VerifyForm(forms.Form):
    file = forms.FileField(
        label=_("Tệp PDF đã ký"),
        help_text=_("Tệp PDF có chữ ký số, tối đa 10 MB. Tệp không được lưu lại."),
        widget=forms.ClearableFileInput(attrs={"accept": "application/pdf"}),
    )
