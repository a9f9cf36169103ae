"""Forms of the catalogue pages. They collect input and turn it into the content that
``services`` checks and saves; the rules themselves live in ``content.py`` and ``fees.py``."""

import json

from django import forms
from django.conf import settings
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from congso.accounts.choices import Role
from congso.core.uploads import XLSX, check_file
from congso.org import services as org
from congso.org.forms import date_field

from . import content as content_rules
from .fees import format_tiers, parse_tiers
from .models import Channel, CopyKind, Level, OnlineMode, Procedure, Sector, StepUnit, TimeUnit

FEE_KIND_CHOICES = [
    ("free", _("Không thu phí, lệ phí")),
    ("fixed", _("Một mức cho mỗi trường hợp")),
    ("per_copy", _("Theo số bản")),
    ("per_page", _("Theo số trang của mỗi bản (có bậc)")),
]


ALL = _("Tất cả")


def _with_blank(choices):
    return [("", ALL), *choices]


class SearchForm(forms.Form):
    q = forms.CharField(
        label=_("Tìm thủ tục"),
        required=False,
        max_length=200,
        widget=forms.TextInput(
            attrs={"type": "search", "placeholder": _("Ví dụ: đăng ký khai sinh, 1.001193")}
        ),
    )
    sector = forms.ChoiceField(label=_("Lĩnh vực"), required=False)
    level = forms.ChoiceField(
        label=_("Cấp thực hiện"), required=False, choices=_with_blank(Level.choices)
    )
    mode = forms.ChoiceField(
        label=_("Mức độ trực tuyến"), required=False, choices=_with_blank(OnlineMode.choices)
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["sector"].choices = _with_blank(Sector.objects.values_list("code", "name"))

    def _valid_fields(self) -> dict:
        """What was entered correctly; a wrong filter is dropped, the query still used."""
        if not self.is_bound:
            return {}
        self.is_valid()
        return self.cleaned_data

    def filters(self) -> dict:
        data = self._valid_fields()
        return {
            "sector": data.get("sector", ""),
            "level": data.get("level", ""),
            "online_mode": data.get("mode", ""),
        }

    def query(self) -> str:
        return self._valid_fields().get("q", "")


class ProcedureForm(forms.ModelForm):
    """The identity of a procedure; its code cannot change once created."""

    units = forms.ModelMultipleChoiceField(
        label=_("Đơn vị khác cũng tiếp nhận"),
        queryset=org.units().active().localities(),
        required=False,
        help_text=_("Mọi đơn vị cùng cấp đều thực hiện; chọn thêm đơn vị khác cấp nếu có."),
        widget=forms.SelectMultiple(attrs={"size": 6}),
    )

    class Meta:
        model = Procedure
        fields = ["code", "name", "sector", "level", "online_mode", "is_active"]
        widgets = {"name": forms.Textarea(attrs={"rows": 2})}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if self.instance.pk:
            self.fields["code"].disabled = True
            self.fields["units"].initial = list(self.instance.units.all())

    def identity(self) -> dict:
        data = self.cleaned_data
        return {k: data[k] for k in ("name", "sector", "level", "online_mode", "is_active")}


class VersionForm(forms.Form):
    valid_from = date_field(_("Áp dụng từ ngày"))
    applicants = forms.CharField(
        label=_("Đối tượng thực hiện"), required=False, widget=forms.Textarea(attrs={"rows": 2})
    )
    deciding_agency = forms.CharField(label=_("Cơ quan có thẩm quyền quyết định"), max_length=500)
    coordinating_agencies = forms.CharField(
        label=_("Cơ quan phối hợp"), required=False, widget=forms.Textarea(attrs={"rows": 2})
    )
    where_to_file = forms.CharField(
        label=_("Nơi tiếp nhận hồ sơ"), required=False, widget=forms.Textarea(attrs={"rows": 2})
    )
    result = forms.CharField(label=_("Kết quả thực hiện"), widget=forms.Textarea(attrs={"rows": 2}))
    conditions = forms.CharField(
        label=_("Yêu cầu, điều kiện"), required=False, widget=forms.Textarea(attrs={"rows": 3})
    )
    legal_basis = forms.CharField(
        label=_("Căn cứ pháp lý"), required=False, widget=forms.Textarea(attrs={"rows": 3})
    )
    change_note = forms.CharField(label=_("Nội dung thay đổi"), required=False, max_length=500)
    result_signed_by_leader = forms.BooleanField(
        label=_("Kết quả do lãnh đạo quyết định ký cá nhân"),
        required=False,
        help_text=_(
            "Chọn khi kết quả là quyết định của người có thẩm quyền: kết quả chờ chữ ký số cá "
            "nhân của lãnh đạo phê duyệt rồi mới đóng dấu số của cơ quan."
        ),
    )
    form_schema = forms.CharField(
        label=_("Biểu mẫu tờ khai (JSON Schema)"),
        required=False,
        help_text=_("Để trống nếu thủ tục không có tờ khai. Nhãn các trường ghi ở “title”."),
        widget=forms.Textarea(attrs={"rows": 10, "spellcheck": "false", "class": "code"}),
    )

    def clean_form_schema(self):
        text = self.cleaned_data["form_schema"].strip()
        if not text:
            return {}
        try:
            return json.loads(text)
        except json.JSONDecodeError as exc:
            raise ValidationError(
                _("Không đọc được JSON (dòng %(line)s, cột %(col)s): %(msg)s")
                % {"line": exc.lineno, "col": exc.colno, "msg": exc.msg}
            ) from exc


class ChannelForm(forms.Form):
    """Time and fee for one channel; the prefix names the channel."""

    offered = forms.BooleanField(label=_("Nhận hồ sơ qua cách thức này"), required=False)
    time_amount = forms.IntegerField(label=_("Thời hạn"), min_value=0, required=False)
    time_unit = forms.ChoiceField(label=_("Đơn vị thời hạn"), choices=TimeUnit.choices)
    time_note = forms.CharField(label=_("Ghi chú thời hạn"), required=False, max_length=500)
    fee_kind = forms.ChoiceField(label=_("Cách tính phí, lệ phí"), choices=FEE_KIND_CHOICES)
    fee_amount = forms.IntegerField(label=_("Mức thu (đồng)"), min_value=0, required=False)
    fee_tiers = forms.CharField(
        label=_("Bậc theo trang"),
        required=False,
        help_text=_("Từ trang:số đồng mỗi trang, ví dụ 1:2000; 3:1000"),
    )
    fee_max_per_copy = forms.IntegerField(
        label=_("Tối đa mỗi bản (đồng)"), min_value=0, required=False
    )
    fee_exemptions = forms.CharField(
        label=_("Trường hợp miễn, giảm"),
        required=False,
        help_text=_("Mỗi dòng một trường hợp."),
        widget=forms.Textarea(attrs={"rows": 2}),
    )
    fee_note = forms.CharField(label=_("Ghi chú phí"), required=False, max_length=300)

    def __init__(self, *args, channel: str, **kwargs):
        self.channel = channel
        super().__init__(*args, prefix=channel, **kwargs)

    @property
    def label(self) -> str:
        return dict(Channel.choices)[self.channel]

    def clean_fee_tiers(self):
        return parse_tiers(self.cleaned_data["fee_tiers"])

    def terms(self) -> dict | None:
        data = self.cleaned_data
        if not data.get("offered"):
            return None
        fee = {"kind": data["fee_kind"]}
        if data["fee_kind"] in ("fixed", "per_copy"):
            fee["amount"] = data.get("fee_amount")
        if data["fee_kind"] == "per_page":
            fee["tiers"] = data["fee_tiers"]
            if data.get("fee_max_per_copy") is not None:
                fee["max_per_copy"] = data["fee_max_per_copy"]
        exemptions = [line.strip() for line in data["fee_exemptions"].splitlines() if line.strip()]
        if exemptions:
            fee["exemptions"] = exemptions
        if data["fee_note"]:
            fee["note"] = data["fee_note"]
        return {
            "time_amount": data.get("time_amount") or 0,
            "time_unit": data["time_unit"],
            "time_note": data["time_note"],
            "fee": fee,
        }

    @staticmethod
    def initial_for(terms: dict | None) -> dict:
        if terms is None:
            return {"offered": False, "time_unit": TimeUnit.WORKING_DAYS, "fee_kind": "free"}
        fee = terms["fee"]
        return {
            "offered": True,
            "time_amount": terms["time_amount"],
            "time_unit": terms["time_unit"],
            "time_note": terms["time_note"],
            "fee_kind": fee["kind"],
            "fee_amount": fee.get("amount"),
            "fee_tiers": format_tiers(fee.get("tiers", [])),
            "fee_max_per_copy": fee.get("max_per_copy"),
            "fee_exemptions": "\n".join(fee.get("exemptions", [])),
            "fee_note": fee.get("note", ""),
        }


class DocumentForm(forms.Form):
    name = forms.CharField(label=_("Tên giấy tờ"), max_length=1000, required=False)
    copy_kind = forms.ChoiceField(label=_("Bản chính/bản sao"), choices=CopyKind.choices)
    count = forms.IntegerField(label=_("Số lượng"), min_value=1, initial=1)
    mandatory = forms.BooleanField(label=_("Bắt buộc"), required=False, initial=True)
    template = forms.CharField(label=_("Mẫu đơn, tờ khai"), max_length=300, required=False)
    is_declaration = forms.BooleanField(label=_("Là tờ khai"), required=False)


class StepForm(forms.Form):
    name = forms.CharField(label=_("Tên bước"), max_length=500, required=False)
    role = forms.ChoiceField(label=_("Vai trò"), choices=Role.choices)
    responsible = forms.CharField(
        label=_("Đơn vị thực hiện"),
        max_length=30,
        required=False,
        help_text=_("commune, district hoặc ký hiệu phòng (TP, TNMT…)"),
    )
    amount = forms.DecimalField(label=_("Thời gian"), min_value=0, decimal_places=1, required=False)
    unit = forms.ChoiceField(label=_("Đơn vị"), choices=StepUnit.choices)


DocumentFormSet = forms.formset_factory(DocumentForm, extra=2, can_delete=True)
StepFormSet = forms.formset_factory(StepForm, extra=2, can_delete=True)


class VersionEditor:
    """The whole content of a version on one page: text, three channels, documents, steps."""

    def __init__(self, data=None, *, initial: dict | None = None):
        initial = initial or {}
        channels = initial.get("channels", {})
        self.version = VersionForm(data, initial=self._version_initial(initial))
        self.channels = [
            ChannelForm(data, channel=c, initial=ChannelForm.initial_for(channels.get(c)))
            for c in Channel.values
        ]
        self.documents = DocumentFormSet(
            data, prefix="documents", initial=initial.get("documents", [])
        )
        self.steps = StepFormSet(data, prefix="steps", initial=initial.get("steps", []))
        self._kept_documents: list = []
        self._kept_steps: list = []

    @staticmethod
    def _version_initial(initial: dict) -> dict:
        values = {k: initial.get(k, "") for k in content_rules.TEXT_FIELDS}
        values["valid_from"] = initial.get("valid_from")
        schema = initial.get("form_schema")
        values["form_schema"] = json.dumps(schema, ensure_ascii=False, indent=2) if schema else ""
        return values

    def forms(self):
        return [self.version, *self.channels, self.documents, self.steps]

    @property
    def errors_below(self) -> bool:
        """Errors outside the text fields (channels, documents, steps), easy to miss."""
        rows = [*self.documents.forms, *self.steps.forms] if self.documents.is_bound else []
        return any(f.errors for f in [*self.channels, *rows]) or bool(
            self.documents.non_form_errors() or self.steps.non_form_errors()
        )

    def is_valid(self) -> bool:
        return all(f.is_valid() for f in self.forms())

    @staticmethod
    def _kept(formset, key: str) -> list:
        return [
            f
            for f in formset.forms
            if f.cleaned_data and not f.cleaned_data.get("DELETE") and f.cleaned_data.get(key)
        ]

    def content(self) -> dict:
        """The content for ``services``; call after ``is_valid``."""
        data = dict(self.version.cleaned_data)
        data["channels"] = {f.channel: f.terms() for f in self.channels if f.terms() is not None}
        self._kept_documents = self._kept(self.documents, "name")
        self._kept_steps = self._kept(self.steps, "name")
        data["documents"] = [
            {k: v for k, v in f.cleaned_data.items() if k != "DELETE"} for f in self._kept_documents
        ]
        data["steps"] = [
            {k: v for k, v in f.cleaned_data.items() if k != "DELETE"} for f in self._kept_steps
        ]
        return data

    def add_errors(self, error: ValidationError) -> None:
        """Put a service error (keyed ``channels.desk.fee``, ``documents.1.count``…) next to the
        field it is about."""
        messages = error.message_dict if hasattr(error, "error_dict") else {"": error.messages}
        for key, items in messages.items():
            parts = key.split(".")
            form, field = self.version, parts[0]
            if parts[0] == "channels" and len(parts) > 1:
                form = next(f for f in self.channels if f.channel == parts[1])
                field = {"fee": "fee_kind"}.get(parts[-1], parts[-1]) if len(parts) > 2 else None
            elif parts[0] in ("documents", "steps") and len(parts) > 2 and parts[1].isdigit():
                kept = self._kept_documents if parts[0] == "documents" else self._kept_steps
                form, field = kept[int(parts[1])], parts[2]
            if field not in form.fields:
                field = None
            for message in items:
                form.add_error(field, message)


def upload_limit() -> int:
    return settings.UPLOAD_MAX_BYTES


class ImportForm(forms.Form):
    file = forms.FileField(
        label=_("Tệp danh mục (.json hoặc .xlsx)"),
        help_text=_("Toàn bộ tệp được nhập, hoặc không nhập gì nếu có lỗi."),
    )

    def clean_file(self):
        upload = self.cleaned_data["file"]
        if upload.size > upload_limit():
            raise ValidationError(_("Tệp quá lớn."))
        if not upload.name.lower().endswith((".json", ".xlsx")):
            raise ValidationError(_("Chỉ nhận tệp .json hoặc .xlsx."))
        if upload.name.lower().endswith(".xlsx"):
            check_file(upload, allowed=(XLSX,))  # a workbook bomb stops before openpyxl
            upload.seek(0)
        return upload
