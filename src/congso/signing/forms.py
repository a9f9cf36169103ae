from django import forms
from django.conf import settings
from django.utils.translation import gettext_lazy as _

from .models import CertificateKind


class VerifyForm(forms.Form):
    file = forms.FileField(
        label=_("Tệp PDF đã ký"),
        help_text=_("Tệp PDF có chữ ký số, tối đa 10 MB. Tệp không được lưu lại."),
        widget=forms.ClearableFileInput(attrs={"accept": "application/pdf"}),
    )


#: Certificates and PKCS#12 archives are a few KB; anything larger is not one.
MAX_CREDENTIAL_BYTES = 64 * 1024
DEFAULT_PKCS11_MODULES = ("/usr/lib/softhsm/libsofthsm2.so",)


def read_small(upload) -> bytes:
    """The bytes of a certificate or key file, refused in Vietnamese if empty or too large."""
    data = upload.read(MAX_CREDENTIAL_BYTES + 1)
    if not data:
        raise forms.ValidationError(_("Tệp rỗng."), code="empty")
    if len(data) > MAX_CREDENTIAL_BYTES:
        raise forms.ValidationError(
            _("Tệp quá lớn cho một chứng thư số hoặc khoá (tối đa 64 KB)."), code="too_big"
        )
    return data


class CertificateImportForm(forms.Form):
    """A certificate for a unit (seal) or an official, from a PKCS#12 archive or a certificate
    file alone (its key then lives on a token, registered afterwards)."""

    kind = forms.ChoiceField(
        label=_("Loại chứng thư số"),
        choices=[
            (CertificateKind.ORGANISATION, CertificateKind.ORGANISATION.label),
            (CertificateKind.PERSONAL, CertificateKind.PERSONAL.label),
        ],
    )
    owner_unit = forms.ModelChoiceField(
        label=_("Cơ quan (chữ ký của cơ quan)"), queryset=None, required=False
    )
    owner_username = forms.CharField(
        label=_("Tên đăng nhập của cán bộ (chữ ký cá nhân)"), max_length=150, required=False
    )
    pkcs12 = forms.FileField(
        label=_("Tệp PKCS#12 (.p12, .pfx)"),
        required=False,
        help_text=_("Chứng thư số kèm khoá bí mật; khoá được mã hoá lại và lưu trên máy chủ."),
    )
    password = forms.CharField(
        label=_("Mật khẩu tệp PKCS#12"),
        required=False,
        strip=False,
        widget=forms.PasswordInput(render_value=False),
    )
    certificate = forms.FileField(
        label=_("Hoặc chỉ tệp chứng thư số (PEM, DER)"),
        required=False,
        help_text=_("Khi khoá nằm trên token hoặc HSM: đăng ký khoá sau khi nhập."),
    )

    def __init__(self, *args, units, people, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["owner_unit"].queryset = units
        self.people = people

    def clean_owner_username(self):
        username = self.cleaned_data["owner_username"].replace("\x00", "").strip()
        if not username:
            return None
        user = self.people.filter(username=username).first()
        if user is None:
            raise forms.ValidationError(_("Không có cán bộ này trong phạm vi bạn quản lý."))
        return user

    def clean(self):
        data = super().clean()
        kind = data.get("kind")
        if kind == CertificateKind.ORGANISATION and not data.get("owner_unit"):
            self.add_error("owner_unit", _("Hãy chọn cơ quan sở hữu chứng thư số."))
        if (
            kind == CertificateKind.PERSONAL
            and not data.get("owner_username")
            and "owner_username" not in self.errors
        ):
            self.add_error("owner_username", _("Hãy nhập tên đăng nhập của cán bộ."))
        if not data.get("pkcs12") and not data.get("certificate"):
            self.add_error("pkcs12", _("Hãy chọn tệp PKCS#12 hoặc tệp chứng thư số."))
        for name in ("pkcs12", "certificate"):
            if data.get(name):
                try:
                    data[f"{name}_bytes"] = read_small(data[name])
                except forms.ValidationError as error:
                    self.add_error(name, error)
        return data


class AuthorityForm(forms.Form):
    certificate = forms.FileField(label=_("Tệp chứng thư số của CA (PEM, DER)"))
    trust_anchor = forms.BooleanField(
        label=_("Chứng thư gốc tin cậy (CA gốc quốc gia, Ban Cơ yếu Chính phủ)"), required=False
    )

    def clean_certificate(self):
        return read_small(self.cleaned_data["certificate"])


class Pkcs11KeyForm(forms.Form):
    module_path = forms.ChoiceField(label=_("Thư viện PKCS#11 của thiết bị"), choices=())
    token_label = forms.CharField(label=_("Nhãn token"), max_length=100)
    key_label = forms.CharField(label=_("Nhãn khoá trên token"), max_length=100)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        modules = settings.CONGSO_PKCS11_MODULES or DEFAULT_PKCS11_MODULES
        self.fields["module_path"].choices = [(path, path) for path in modules]

    def clean(self):
        data = super().clean()
        for name in ("token_label", "key_label"):
            if name in data:
                data[name] = data[name].replace("\x00", "").strip()
        return data


class StampImageForm(forms.Form):
    image = forms.FileField(
        label=_("Hình con dấu hoặc chữ ký tay (PNG nền trong suốt, JPG)"),
        widget=forms.ClearableFileInput(attrs={"accept": "image/png,image/jpeg"}),
    )
