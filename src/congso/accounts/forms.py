from django import forms
from django.contrib.auth import authenticate
from django.utils.translation import gettext_lazy as _

from .backends import find_user


class LoginForm(forms.Form):
    username = forms.CharField(
        label=_("Tên đăng nhập, số điện thoại hoặc e-mail"),
        max_length=150,
        widget=forms.TextInput(attrs={"autocomplete": "username"}),
    )
    password = forms.CharField(
        label=_("Mật khẩu"),
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "current-password"}),
    )

    def __init__(self, request=None, *args, **kwargs):
        self.request = request
        self.user = None
        super().__init__(*args, **kwargs)

    def clean(self):
        cleaned = super().clean()
        if self.errors:
            return cleaned
        self.user = authenticate(
            self.request, username=cleaned["username"], password=cleaned["password"]
        )
        if self.user is None:
            candidate = find_user(cleaned["username"])
            if candidate is not None and candidate.is_locked:
                raise forms.ValidationError(
                    _("Tài khoản tạm khoá do đăng nhập sai nhiều lần. Vui lòng thử lại sau."),
                    code="locked",
                )
            raise forms.ValidationError(
                _("Tên đăng nhập hoặc mật khẩu không đúng."), code="invalid_login"
            )
        return cleaned


class TotpForm(forms.Form):
    code = forms.CharField(
        label=_("Mã 6 chữ số trong ứng dụng xác thực"),
        max_length=8,
        widget=forms.TextInput(attrs={"autocomplete": "one-time-code", "inputmode": "numeric"}),
    )
