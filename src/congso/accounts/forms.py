from django import forms
from django.contrib.auth import authenticate, password_validation
from django.contrib.auth import forms as auth_forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from congso.core.middleware import client_ip
from congso.org.forms import date_field
from congso.org.models import Unit

from . import lockout, services
from .backends import find_user
from .models import Factor, Role


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
            if candidate is not None:
                try:
                    lockout.check(candidate, Factor.PASSWORD, client_ip(self.request))
                except lockout.LockedOut as locked:
                    raise forms.ValidationError(locked.message, code="locked") from locked
            raise forms.ValidationError(
                _("Tên đăng nhập hoặc mật khẩu không đúng."), code="invalid_login"
            )
        return cleaned


class TotpForm(forms.Form):
    code = forms.CharField(
        label=_("Mã 6 chữ số trong ứng dụng xác thực"),
        help_text=_("Mất điện thoại? Nhập một mã khôi phục thay cho mã 6 chữ số."),
        max_length=20,
        widget=forms.TextInput(attrs={"autocomplete": "one-time-code", "inputmode": "numeric"}),
    )


class PasswordChangeForm(auth_forms.PasswordChangeForm):
    """Django's form (old password required, ``AUTH_PASSWORD_VALIDATORS`` applied), labelled in
    Vietnamese."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["old_password"].label = _("Mật khẩu hiện tại")
        self.fields["new_password1"].label = _("Mật khẩu mới")
        self.fields["new_password2"].label = _("Nhập lại mật khẩu mới")
        self.error_messages = {
            **self.error_messages,
            "password_incorrect": _("Mật khẩu hiện tại không đúng."),
            "password_mismatch": _("Hai lần nhập mật khẩu mới không khớp."),
        }


ROLE_ERRORS = {
    "required": _("Hãy chọn vai trò."),
    "invalid_choice": _("Bạn không được giao vai trò này."),
}
UNIT_ERRORS = {
    "required": _("Hãy chọn đơn vị."),
    "invalid_choice": _("Đơn vị không hợp lệ hoặc ngoài phạm vi bạn quản lý."),
}


class _PositionFields(forms.Form):
    """Unit and role limited to what the administrator may grant."""

    unit = forms.ModelChoiceField(
        label=_("Đơn vị"), queryset=Unit.objects.none(), error_messages=UNIT_ERRORS
    )
    role = forms.ChoiceField(label=_("Vai trò"), error_messages=ROLE_ERRORS)
    title = forms.CharField(
        label=_("Chức vụ"),
        required=False,
        max_length=150,
        help_text=_("Ví dụ: Chuyên viên Phòng Tư pháp, Công chức Văn phòng - Thống kê."),
    )
    valid_from = date_field(_("Từ ngày"))

    def __init__(self, *args, actor, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["unit"].queryset = services.grantable_units(actor).order_by("path")
        self.fields["role"].choices = [("", "—")] + [
            (role, Role(role).label) for role in services.grantable_roles(actor)
        ]
        if not self.is_bound:
            self.initial.setdefault("valid_from", timezone.localdate())


class OfficialForm(_PositionFields):
    """A new official's account and first position."""

    field_order = ["username", "full_name", "email", "phone", "password", "generate_password"]

    username = forms.CharField(
        label=_("Tên đăng nhập"),
        max_length=150,
        help_text=_("Chữ thường không dấu, chữ số và các dấu . _ -, ví dụ chuyenvien.tuphap."),
        error_messages={"required": _("Hãy nhập tên đăng nhập.")},
    )
    full_name = forms.CharField(
        label=_("Họ và tên"),
        max_length=150,
        error_messages={"required": _("Hãy nhập họ và tên.")},
    )
    email = forms.CharField(label=_("E-mail"), required=False, max_length=254)
    phone = forms.CharField(label=_("Số điện thoại"), required=False, max_length=30)
    password = forms.CharField(
        label=_("Mật khẩu ban đầu"),
        required=False,
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
    )
    generate_password = forms.BooleanField(
        label=_("Tạo mật khẩu ngẫu nhiên (hiển thị một lần sau khi lưu)"), required=False
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["password"].help_text = " ".join(
            str(text) for text in password_validation.password_validators_help_texts()
        )

    def account_fields(self):
        return [self[name] for name in self.field_order]

    def position_fields(self):
        return [self[name] for name in ("unit", "role", "title", "valid_from")]

    def clean(self):
        cleaned = super().clean()
        if cleaned.get("password") and cleaned.get("generate_password"):
            self.add_error(
                "password",
                _("Hoặc nhập mật khẩu, hoặc chọn tạo mật khẩu ngẫu nhiên, không cả hai."),
            )
        elif not cleaned.get("password") and not cleaned.get("generate_password"):
            self.add_error(
                "password", _("Hãy nhập mật khẩu ban đầu hoặc chọn tạo mật khẩu ngẫu nhiên.")
            )
        return cleaned


class PositionForm(_PositionFields):
    """Another position for an existing official."""


class EndPositionForm(forms.Form):
    on = date_field(_("Kết thúc sau ngày"))

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if not self.is_bound:
            self.initial.setdefault("on", timezone.localdate())
