"""Forms of the documents pages; every message is Vietnamese and shown at its field."""

from django import forms
from django.conf import settings
from django.utils.translation import gettext_lazy as _

from congso.org import services as org
from congso.org.choices import LOCALITY_KINDS

from .models import DocumentType, Secrecy, Urgency
from .recipients import groups
from .signers import eligible_signers


def _localities():
    return org.units().filter(kind__in=LOCALITY_KINDS).order_by("path")


class OutgoingForm(forms.Form):
    unit = forms.ModelChoiceField(label=_("Cơ quan ban hành"), queryset=org.units().none())
    doc_type = forms.ChoiceField(label=_("Loại văn bản"), choices=DocumentType.choices)
    subject = forms.CharField(label=_("Trích yếu"), max_length=500)
    body = forms.CharField(
        label=_("Nội dung (khi soạn theo mẫu)"), widget=forms.Textarea, required=False
    )
    file = forms.FileField(
        label=_("Tệp dự thảo (PDF hoặc DOCX)"),
        required=False,
        widget=forms.ClearableFileInput(attrs={"accept": ".pdf,.docx"}),
    )
    drafting_unit = forms.ModelChoiceField(
        label=_("Đơn vị soạn thảo"), queryset=org.units().none(), required=False
    )
    signer = forms.TypedChoiceField(
        label=_("Người ký"), coerce=int, required=False, empty_value=None, choices=()
    )
    signer_position = forms.CharField(label=_("Chức vụ người ký"), required=False)
    recipient_units = forms.ModelMultipleChoiceField(
        label=_("Nơi nhận trên hệ thống"),
        queryset=org.units().none(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    recipient_groups = forms.MultipleChoiceField(
        label=_("Nhóm nơi nhận (mở rộng khi gửi)"),
        choices=(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    save_list_as = forms.CharField(
        label=_("Lưu các nơi nhận đã chọn thành danh sách (tên)"),
        required=False,
        max_length=200,
        help_text=_("Lần sau chọn cả danh sách bằng một dấu chọn ở “Nhóm nơi nhận”."),
    )
    external = forms.CharField(
        label=_("Nơi nhận ngoài hệ thống (mỗi dòng: tên; mã định danh; thư điện tử)"),
        widget=forms.Textarea(attrs={"rows": 3}),
        required=False,
    )
    urgency = forms.TypedChoiceField(
        label=_("Độ khẩn"), choices=Urgency.choices, coerce=int, initial=0
    )
    secrecy = forms.ChoiceField(label=_("Độ mật"), choices=Secrecy.choices, required=False)

    def __init__(self, *args, organs, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["file"].help_text = _(
            "Nhận tệp PDF (được ký như đã tải lên) hoặc tệp Word .docx (hệ thống giữ bản DOCX "
            "gốc và dàn trang phần nội dung theo thể thức Nghị định 30 thành bản PDF để ký); tối "
            "đa %(limit)s MB. Để trống để hệ thống dàn trang phần nội dung nhập bên dưới."
        ) % {"limit": settings.UPLOAD_MAX_BYTES // (1024 * 1024)}
        self.fields["unit"].queryset = organs
        self.fields["unit"].empty_label = None
        self.fields["drafting_unit"].queryset = (
            org.units().filter(parent__in=organs).exclude(kind__in=LOCALITY_KINDS)
        )
        self.fields["recipient_units"].queryset = _localities().exclude(pk__in=organs)
        several = len(organs) > 1
        self.signers = {}
        signer_choices, group_choices = [("", _("— Chọn sau —"))], []
        for organ in organs:
            prefix = f"{organ.name}: " if several else ""
            for signer in eligible_signers(organ):
                self.signers.setdefault(signer.user.pk, signer.user)
                block = " / ".join(signer.block.splitlines())
                signer_choices.append((signer.user.pk, f"{prefix}{signer.label} ({block})"))
            group_choices += [(key, f"{prefix}{label}") for key, label in groups(organ)]
        self.fields["signer"].choices = signer_choices
        self.fields["recipient_groups"].choices = group_choices

    def clean_signer(self):
        """The user offered; whether they may sign for the chosen organ is the service's check."""
        pk = self.cleaned_data.get("signer")
        return self.signers.get(pk) if pk else None

    def external_recipients(self):
        from .services import ExternalRecipient

        rows = []
        for line in self.cleaned_data.get("external", "").splitlines():
            parts = [p.strip() for p in line.split(";")]
            if parts and parts[0]:
                parts += ["", ""]
                rows.append(ExternalRecipient(parts[0], parts[1][:13], parts[2]))
        return rows


class IncomingForm(forms.Form):
    unit = forms.ModelChoiceField(label=_("Cơ quan nhận"), queryset=org.units().none())
    doc_type = forms.ChoiceField(label=_("Loại văn bản"), choices=DocumentType.choices)
    subject = forms.CharField(label=_("Trích yếu"), max_length=500)
    author = forms.CharField(label=_("Cơ quan ban hành"), max_length=300)
    notation = forms.CharField(label=_("Số, ký hiệu"), max_length=60, required=False)
    issued_on = forms.DateField(
        label=_("Ngày văn bản"), required=False, widget=forms.DateInput(attrs={"type": "date"})
    )
    urgency = forms.TypedChoiceField(
        label=_("Độ khẩn"), choices=Urgency.choices, coerce=int, initial=0
    )
    secrecy = forms.ChoiceField(label=_("Độ mật"), choices=Secrecy.choices, required=False)
    file = forms.FileField(label=_("Tệp văn bản (PDF, ảnh chụp hoặc quét)"))

    def __init__(self, *args, organs, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["unit"].queryset = organs
        self.fields["unit"].empty_label = None


class ImportForm(forms.Form):
    KINDS = [("edxml", _("Gói tin edXML")), ("eml", _("Thư điện tử (.eml)"))]
    unit = forms.ModelChoiceField(label=_("Cơ quan nhận"), queryset=org.units().none())
    kind = forms.ChoiceField(label=_("Loại tệp"), choices=KINDS)
    file = forms.FileField(label=_("Tệp"))

    def __init__(self, *args, organs, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["unit"].queryset = organs
        self.fields["unit"].empty_label = None


class StatusImportForm(forms.Form):
    """A status message a partner outside the platform sent back through the exchange axis."""

    file = forms.FileField(
        label=_("Tệp thông điệp trạng thái edXML"),
        help_text=_(
            "Tệp .xml nhận từ trục liên thông về văn bản này (mã 01–06, 13, 14), do cơ quan "
            "nhận ngoài hệ thống gửi lại."
        ),
        widget=forms.ClearableFileInput(attrs={"accept": ".xml,application/xml,text/xml"}),
    )


class WorkFileForm(forms.Form):
    unit = forms.ModelChoiceField(label=_("Cơ quan"), queryset=org.units().none())
    code = forms.CharField(label=_("Số, ký hiệu hồ sơ"), max_length=50)
    title = forms.CharField(label=_("Tiêu đề hồ sơ"), max_length=300)
    year = forms.IntegerField(label=_("Năm"), min_value=2000, max_value=2100)
    retention_years = forms.IntegerField(
        label=_("Thời hạn bảo quản (năm; để trống là vĩnh viễn)"),
        min_value=1,
        max_value=100,
        required=False,
    )

    def __init__(self, *args, organs, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["unit"].queryset = organs
        self.fields["unit"].empty_label = None


class CopyForm(forms.Form):
    """A copy of an issued document (Decree 30, art. 25): its kind, who signs it, for whom."""

    kind = forms.ChoiceField(
        label=_("Hình thức sao"),
        choices=[("SY", _("Sao y")), ("SL", _("Sao lục")), ("TS", _("Trích sao"))],
    )
    pages = forms.CharField(
        label=_("Trang được trích (trích sao), ví dụ 1-2"), max_length=100, required=False
    )
    signer_title = forms.CharField(label=_("Chức vụ người ký bản sao"), max_length=200)
    signer_name = forms.CharField(label=_("Họ tên người ký bản sao"), max_length=200)
    recipients = forms.CharField(
        label=_("Nơi nhận (mỗi dòng một nơi)"),
        widget=forms.Textarea(attrs={"rows": 3}),
        required=False,
    )
