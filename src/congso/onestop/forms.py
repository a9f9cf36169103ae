"""Forms of the desk and back-office pages. They only read and check input; the services decide
and change state. Field names match the keys of the services' ``ValidationError`` so that a
refusal from a service lands at the field it concerns."""

import datetime as dt

from django import forms
from django.core.exceptions import ValidationError
from django.template.loader import render_to_string
from django.utils import timezone
from django.utils.safestring import mark_safe
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _

from congso.accounts.cccd import parse_cccd_qr
from congso.accounts.identity import validate_id_number
from congso.catalog import services as catalog
from congso.catalog.choices import Channel, CopyKind
from congso.core.forms import ListedChoiceField, ListedSelect
from congso.core.uploads import check_file
from congso.worktime.services import calendar_for

from .lifecycle import State
from .models import ResultDelivery
from .services import ApplicantData, Intake, ReceivedDocument

DATE_FORMATS = ["%d/%m/%Y"]
MAX_COUNT = 99


def _date_field(label):
    return forms.DateField(
        label=label,
        required=False,
        input_formats=DATE_FORMATS,
        help_text=_("dd/mm/yyyy"),
        error_messages={"invalid": _("Nhập ngày theo dạng dd/mm/yyyy.")},
        widget=forms.DateInput(format="%d/%m/%Y", attrs={"inputmode": "numeric"}),
    )


# --- Work queues ----------------------------------------------------------------------------


#: The filter form's fields, rendered within the desk page's form (``queues.html``).
FILTER_FIELDS = "onestop/_queue_filter_fields.html"


class QueueFilterForm(forms.Form):
    q = forms.CharField(
        label=_("Tìm theo mã hồ sơ, tên hoặc số định danh người nộp"),
        required=False,
        max_length=200,
    )
    procedure = ListedChoiceField(
        label=_("Thủ tục"),
        required=False,
        queryset=catalog.procedures(),  # the rows offered: catalog.picker_rows()
        empty_label=_("Tất cả thủ tục"),
    )
    sector = ListedChoiceField(
        label=_("Lĩnh vực"),
        required=False,
        queryset=catalog.sectors(),  # the rows offered: catalog.picker_rows()
        empty_label=_("Tất cả lĩnh vực"),
    )
    status = forms.ChoiceField(
        label=_("Trạng thái"),
        required=False,
        choices=[("", _("Tất cả trạng thái")), *State.choices],
        widget=ListedSelect,
    )
    channel = forms.ChoiceField(
        label=_("Kênh nộp"),
        required=False,
        choices=[("", _("Tất cả kênh")), *Channel.choices],
        widget=ListedSelect,
    )
    received_from = _date_field(_("Nhận từ ngày"))
    received_to = _date_field(_("Đến ngày"))

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        rows = catalog.picker_rows()  # kept by the catalogue: no query on most pages
        self.fields["procedure"].list_rows(rows["procedures"])
        self.fields["sector"].list_rows(rows["sectors"])

    def clean(self):
        data = super().clean()
        start, end = data.get("received_from"), data.get("received_to")
        if start and end and start > end:
            self.add_error("received_to", _("Ngày kết thúc phải sau ngày bắt đầu."))
        return data

    @classmethod
    def chosen_in(cls, query) -> bool:
        """Does the query string choose any filter (not only a tab or a page)?"""
        return any(query.get(name) for name in cls.base_fields)

    @classmethod
    def blank_fields(cls) -> str:
        """The fields as an official first sees them, nothing chosen: the same HTML for every
        official, rendered once per language and kept until the catalogue changes (its procedures
        and sectors are the choices). The desk page's most frequent request builds no form."""
        return mark_safe(  # noqa: S308 — our own template's output
            catalog.kept_with_catalogue(
                f"queue-filter-fields:{get_language()}",
                lambda: str(render_to_string(FILTER_FIELDS, {"form": cls()})),
            )
        )

    def filters(self) -> dict:
        """The valid filters only: a bad field is reported and ignored, never an error page."""
        if not self.is_bound:
            return {}
        self.is_valid()
        return {k: v for k, v in getattr(self, "cleaned_data", {}).items() if v}


class BulkForm(forms.Form):
    """Several dossiers, one transition: each is applied separately through the services."""

    transition = forms.ChoiceField(label=_("Thao tác"), choices=())
    codes = forms.MultipleChoiceField(
        label=_("Hồ sơ"),
        choices=(),
        widget=forms.CheckboxSelectMultiple,
        error_messages={"required": _("Chọn ít nhất một hồ sơ.")},
    )
    note = forms.CharField(label=_("Ghi chú"), required=False, max_length=2000)
    # returning several results to one person (a proxy collecting for a family, a hamlet head)
    returned_to = forms.CharField(
        label=_("Họ tên người nhận kết quả"), required=False, max_length=200
    )
    id_checked = forms.BooleanField(
        label=_("Đã kiểm tra giấy tờ tùy thân của người nhận"), required=False
    )

    def __init__(self, *args, transitions, codes, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["transition"].choices = transitions
        self.fields["codes"].choices = [(c, c) for c in codes]


# --- Receiving at the desk ------------------------------------------------------------------


class ChooseProcedureForm(forms.Form):
    """Step one of receiving: the desk unit (when the official serves several) and the procedure."""

    unit = forms.TypedChoiceField(label=_("Nơi tiếp nhận"), coerce=int, choices=())
    procedure = forms.ChoiceField(
        label=_("Thủ tục"),
        choices=(),
        error_messages={
            "invalid_choice": _("Thủ tục này không được tiếp nhận tại đơn vị đã chọn."),
            "required": _("Chọn thủ tục cần tiếp nhận."),
        },
    )

    def __init__(self, *args, units, procedures, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["unit"].choices = [(u.pk, u.name) for u in units]
        self.fields["procedure"].choices = [("", _("— Chọn thủ tục —"))] + [
            (p.code, f"{p.code} — {p.name}") for p in procedures
        ]
        if len(units) == 1:
            self.fields["unit"].widget = forms.HiddenInput()


class CardScanForm(forms.Form):
    """The QR code of the applicant's ID card as the scanner typed it, or a bare personal ID to
    look up the applicant's earlier dossiers."""

    card = forms.CharField(
        label=_("Quét mã QR trên thẻ căn cước (hoặc nhập số định danh)"),
        max_length=1000,
        help_text=_("Đặt con trỏ vào ô này rồi quét; máy quét tự nhấn Enter."),
        error_messages={"required": _("Quét mã QR hoặc nhập số định danh cá nhân.")},
        widget=forms.TextInput(attrs={"autocomplete": "off", "spellcheck": "false"}),
    )

    def clean_card(self) -> dict:
        """The intake form's initial values read from the card (or from the bare number)."""
        raw = self.cleaned_data["card"].strip()
        if "|" not in raw:
            return {"applicant_id_number": validate_id_number(raw)}
        card = parse_cccd_qr(raw)
        return {
            "applicant_id_number": card.id_number,
            "applicant_name": card.name,
            "applicant_birth_date": card.date_of_birth,
            "applicant_sex": card.sex,
            "applicant_address": card.address,
            "applicant_id_issued_on": card.issued_on,
        }


class ReceiveForm(forms.Form):
    """The desk's intake: applicant, one row per required document, delivery and fee inputs."""

    unit = forms.TypedChoiceField(coerce=int, choices=(), widget=forms.HiddenInput)
    procedure = forms.CharField(widget=forms.HiddenInput, max_length=30)
    applicant_name = forms.CharField(label=_("Họ tên người nộp"), max_length=200)
    applicant_id_number = forms.CharField(
        label=_("Số định danh cá nhân"),
        required=False,
        max_length=20,
        help_text=_("12 chữ số trên thẻ căn cước."),
        widget=forms.TextInput(attrs={"inputmode": "numeric", "autocomplete": "off"}),
    )
    applicant_phone = forms.CharField(
        label=_("Số điện thoại"),
        required=False,
        max_length=20,
        widget=forms.TextInput(attrs={"inputmode": "tel", "autocomplete": "off"}),
    )
    applicant_email = forms.EmailField(
        label=_("Thư điện tử"),
        required=False,
        error_messages={"invalid": _("Địa chỉ thư điện tử không hợp lệ.")},
    )
    applicant_address = forms.CharField(label=_("Địa chỉ"), required=False, max_length=300)
    applicant_birth_date = _date_field(_("Ngày sinh"))
    applicant_sex = forms.ChoiceField(
        label=_("Giới tính"),
        required=False,
        choices=[("", _("— Không ghi —")), ("male", _("Nam")), ("female", _("Nữ"))],
    )
    applicant_id_issued_on = _date_field(_("Ngày cấp thẻ căn cước"))
    result_delivery = forms.ChoiceField(
        label=_("Hình thức nhận kết quả"),
        choices=ResultDelivery.choices,
        initial=ResultDelivery.DESK,
        widget=forms.RadioSelect,
    )
    copies = forms.IntegerField(
        label=_("Số bản kết quả"), min_value=1, max_value=MAX_COUNT, initial=1
    )
    pages = forms.IntegerField(
        label=_("Số trang (phí tính theo trang)"),
        min_value=0,
        max_value=9999,
        initial=0,
        required=False,
        widget=forms.NumberInput(attrs={"accesskey": "p"}),
    )
    fee_exempt = forms.BooleanField(label=_("Được miễn phí, lệ phí"), required=False)

    def __init__(self, *args, units, version, offers=(), load_offer=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.version = version
        self.documents = list(version.documents.all())
        self.offers, self.load_offer = list(offers), load_offer
        self.fields["unit"].choices = [(u.pk, u.name) for u in units]
        self.fields["unit"].error_messages["invalid_choice"] = _(
            "Bạn không phải cán bộ một cửa của đơn vị này."
        )
        for doc in self.documents:
            self._add_document_fields(doc)

    def _add_document_fields(self, doc):
        self.fields[f"doc_{doc.pk}_received"] = forms.BooleanField(
            label=_("Đã nhận: %(name)s") % {"name": doc.name},
            required=False,
            initial=False,
        )
        self.fields[f"doc_{doc.pk}_copy_kind"] = forms.ChoiceField(
            label=_("Loại bản"), choices=CopyKind.choices, initial=doc.copy_kind
        )
        self.fields[f"doc_{doc.pk}_count"] = forms.IntegerField(
            label=_("Số lượng"), min_value=1, max_value=MAX_COUNT, initial=doc.count
        )
        self.fields[f"doc_{doc.pk}_file"] = forms.FileField(
            label=_("Bản quét (PDF, JPG, PNG)"), required=False
        )
        fitting = [o for o in self.offers if o.fits_document(doc.name)]
        if fitting:
            self.fields[f"doc_{doc.pk}_reuse"] = forms.ChoiceField(
                label=_("Dùng lại bản đã số hoá"),
                required=False,
                choices=[("", _("— Không dùng lại —"))]
                + [(o.key, f"{o.title} ({o.origin})") for o in fitting],
            )

    def document_rows(self):
        """For the template: each required document with its four bound fields."""
        return [
            {
                "document": doc,
                "received": self[f"doc_{doc.pk}_received"],
                "copy_kind": self[f"doc_{doc.pk}_copy_kind"],
                "count": self[f"doc_{doc.pk}_count"],
                "file": self[f"doc_{doc.pk}_file"],
                "reuse": self[f"doc_{doc.pk}_reuse"]
                if f"doc_{doc.pk}_reuse" in self.fields
                else None,
            }
            for doc in self.documents
        ]

    def clean(self):
        data = super().clean()
        for doc in self.documents:
            self._reuse(doc, data)
            received = data.get(f"doc_{doc.pk}_received")
            if doc.mandatory and not doc.is_declaration and not received:
                self.add_error(
                    f"doc_{doc.pk}_received",
                    _("Giấy tờ bắt buộc; hồ sơ chưa đủ nếu chưa nhận."),
                )
            upload = data.get(f"doc_{doc.pk}_file")
            if upload and not data.get(f"doc_{doc.pk}_reused"):
                try:
                    data[f"doc_{doc.pk}_file"] = check_file(upload)
                except ValidationError as exc:
                    self.add_error(f"doc_{doc.pk}_file", exc)
        return data

    def _reuse(self, doc, data: dict) -> None:
        """A document reused from what the platform holds counts as received, with that file."""
        key = data.get(f"doc_{doc.pk}_reuse")
        if not key:
            return
        checked = self.load_offer(key) if self.load_offer else None
        if checked is None:
            self.add_error(f"doc_{doc.pk}_reuse", _("Bản số hoá này không còn để dùng lại."))
            return
        data[f"doc_{doc.pk}_received"] = True
        data[f"doc_{doc.pk}_file"] = checked
        data[f"doc_{doc.pk}_reused"] = True

    def intake(self) -> Intake:
        data = self.cleaned_data
        documents = [
            ReceivedDocument(
                required_document_id=doc.pk,
                name=doc.name,
                copy_kind=data[f"doc_{doc.pk}_copy_kind"],
                count=data[f"doc_{doc.pk}_count"],
                file=data.get(f"doc_{doc.pk}_file") or None,
                reused=data.get(f"doc_{doc.pk}_reused", False),
            )
            for doc in self.documents
            if data.get(f"doc_{doc.pk}_received")
        ]
        return Intake(
            procedure_code=data["procedure"],
            unit_id=data["unit"],
            applicant=ApplicantData(
                name=data["applicant_name"],
                id_number=data.get("applicant_id_number", "").strip(),
                phone=data.get("applicant_phone", "").strip(),
                email=data.get("applicant_email", ""),
                address=data.get("applicant_address", ""),
                birth_date=data.get("applicant_birth_date"),
                sex=data.get("applicant_sex", ""),
                id_issued_on=data.get("applicant_id_issued_on"),
            ),
            documents=documents,
            result_delivery=data["result_delivery"],
            copies=data["copies"],
            pages=data.get("pages") or 0,
            fee_exempt=data.get("fee_exempt", False),
        )

    def fee_inputs(self) -> dict:
        """Copies, pages and exemption as typed so far (defaults when not valid yet)."""
        data = getattr(self, "cleaned_data", {}) if self.is_bound else {}
        return {
            "copies": data.get("copies") or 1,
            "pages": data.get("pages") or 0,
            "exempt": bool(data.get("fee_exempt")),
        }


# --- Transitions on the dossier page --------------------------------------------------------


class TransitionForm(forms.Form):
    """The common part: which transition and which revision of the dossier the user saw."""

    transition = forms.CharField(widget=forms.HiddenInput, max_length=40)
    revision = forms.IntegerField(widget=forms.HiddenInput, min_value=1)

    def payload(self) -> dict:
        return {
            k: v
            for k, v in self.cleaned_data.items()
            if k not in ("transition", "revision") and v not in (None, "")
        }


def _note(label, required=True):
    return forms.CharField(label=label, required=required, widget=forms.Textarea(attrs={"rows": 3}))


class NoteForm(TransitionForm):
    note = _note(_("Ghi chú"), required=False)


class ReasonForm(TransitionForm):
    note = _note(_("Lý do"))


class AssignForm(TransitionForm):
    """Start or forward: who at the next step's unit gets the dossier, and an opinion."""

    opinion = _note(_("Ý kiến xử lý"), required=False)
    assignee = forms.TypedChoiceField(
        label=_("Giao cho"), coerce=int, required=False, empty_value=None, choices=()
    )
    note = _note(_("Ghi chú khi chuyển"), required=False)

    def __init__(self, *args, candidates=(), with_opinion=True, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["assignee"].choices = [("", _("— Cả đơn vị (chưa giao người cụ thể) —"))] + [
            (u.pk, u.get_full_name()) for u in candidates
        ]
        if not with_opinion:
            del self.fields["opinion"]


class ApproveForm(TransitionForm):
    """The leader signs only what he saw: the draft's SHA-256 as the page showed it, and an
    explicit confirmation (results.issue refuses a draft changed since)."""

    opinion = _note(_("Ý kiến phê duyệt"), required=False)
    draft_sha256 = forms.CharField(
        widget=forms.HiddenInput,
        max_length=64,
        error_messages={"required": _("Chưa có bản dự thảo kết quả để xem trước.")},
    )
    confirm = forms.BooleanField(
        label=_("Tôi đã xem bản dự thảo kết quả ở trên và đồng ý ký ban hành"),
        error_messages={"required": _("Xác nhận đã xem bản dự thảo kết quả trước khi ký.")},
    )


class SupplementRequestForm(TransitionForm):
    items = forms.CharField(
        label=_("Giấy tờ cần bổ sung, sửa đổi"),
        help_text=_("Mỗi dòng một giấy tờ."),
        widget=forms.Textarea(attrs={"rows": 3}),
    )
    note = _note(_("Lý do"))
    repeat_reason = _note(
        _("Lý do phải yêu cầu bổ sung lần nữa (hồ sơ sẽ bị tính là quá hạn)"), required=False
    )

    def __init__(self, *args, repeat=False, **kwargs):
        super().__init__(*args, **kwargs)
        if not repeat:  # the first request: complete guidance once, no second reason asked
            del self.fields["repeat_reason"]

    def payload(self) -> dict:
        payload = super().payload()
        payload["items"] = [line.strip() for line in payload["items"].splitlines() if line.strip()]
        return payload


class SupplementForm(TransitionForm):
    """The desk records what the applicant brought: names, and optionally a scan."""

    names = forms.CharField(
        label=_("Giấy tờ đã nhận bổ sung"),
        help_text=_("Mỗi dòng một giấy tờ."),
        widget=forms.Textarea(attrs={"rows": 3}),
    )
    file = forms.FileField(label=_("Bản quét (PDF, JPG, PNG)"), required=False)
    note = _note(_("Ghi chú"), required=False)

    def clean_file(self):
        upload = self.cleaned_data.get("file")
        return check_file(upload) if upload else None

    def payload(self) -> dict:
        names = [n.strip() for n in self.cleaned_data["names"].splitlines() if n.strip()]
        scan = self.cleaned_data.get("file")
        documents = [
            ReceivedDocument(
                required_document_id=None, name=name[:1000], file=scan if index == 0 else None
            )
            for index, name in enumerate(names)
        ]
        return {"documents": documents, "note": self.cleaned_data.get("note", "")}


class ApologiseForm(TransitionForm):
    note = _note(_("Lý do chậm trễ"))
    new_due_date = forms.DateField(
        label=_("Ngày hẹn trả mới"),
        input_formats=DATE_FORMATS,
        help_text=_("dd/mm/yyyy; hẹn đến hết giờ làm việc của ngày đó."),
        error_messages={"invalid": _("Nhập ngày theo dạng dd/mm/yyyy.")},
    )

    def __init__(self, *args, unit=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.unit = unit

    def payload(self) -> dict:
        day = self.cleaned_data["new_due_date"]
        closing = calendar_for(self.unit).closing
        new_due = timezone.make_aware(dt.datetime.combine(day, closing))
        return {"note": self.cleaned_data["note"], "new_due_at": new_due}


class ReturnForm(TransitionForm):
    """Returning the result: who collected it at the desk, or the postal tracking number."""

    returned_to = forms.CharField(label=_("Họ tên người nhận kết quả"), max_length=200)
    id_checked = forms.BooleanField(label=_("Đã kiểm tra giấy tờ tùy thân của người nhận"))
    post_tracking = forms.CharField(label=_("Số vận đơn bưu chính"), max_length=60)
    note = _note(_("Ghi chú"), required=False)

    def __init__(self, *args, delivery=ResultDelivery.DESK, **kwargs):
        super().__init__(*args, **kwargs)
        if delivery != ResultDelivery.DESK:
            del self.fields["returned_to"], self.fields["id_checked"]
        if delivery != ResultDelivery.POST:
            del self.fields["post_tracking"]


class ResultForm(forms.Form):
    """The draft result, a PDF, attached by the specialist or leader at the active step."""

    revision = forms.IntegerField(widget=forms.HiddenInput, min_value=1)
    title = forms.CharField(label=_("Tên kết quả"), max_length=300)
    file = forms.FileField(label=_("Tệp kết quả (PDF)"))

    def clean_file(self):
        return check_file(self.cleaned_data["file"], allowed=("application/pdf",))


FORMS = {
    "accept": NoteForm,
    "refuse_intake": ReasonForm,
    "start": AssignForm,
    "forward": AssignForm,
    "send_back": ReasonForm,
    "request_supplement": SupplementRequestForm,
    "supplement": SupplementForm,
    "request_payment": ReasonForm,
    "confirm_payment": NoteForm,
    "apologise": ApologiseForm,
    "refuse": ReasonForm,
    "withdraw": ReasonForm,
    "approve": ApproveForm,
    "return_result": ReturnForm,
}
