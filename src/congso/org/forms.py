"""Forms of unit administration. They check input and explain mistakes in Vietnamese; the changes
themselves are made by ``services``."""

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from .models import AGENCY_ID_VALIDATOR, Unit, UnitKind, allowed_child_kinds

DATE_ERRORS = {
    "invalid": _("Nhập ngày theo dạng dd/mm/yyyy, ví dụ 01/07/2025."),
    "required": _("Hãy nhập ngày."),
}


def date_field(label, *, required=True, help_text=""):
    """A dd/mm/yyyy text field: the way dates are written on Vietnamese forms."""
    return forms.DateField(
        label=label,
        required=required,
        help_text=help_text,
        error_messages=DATE_ERRORS,
        widget=forms.DateInput(
            format="%d/%m/%Y", attrs={"placeholder": "dd/mm/yyyy", "inputmode": "numeric"}
        ),
    )


def normalise_agency_id(value: str | None) -> str | None:
    value = (value or "").strip().upper()
    return value or None


class UnitForm(forms.ModelForm):
    """Create a unit under ``parent`` or edit one; the kinds offered fit the place in the tree."""

    valid_from = date_field(_("Hiệu lực từ"))
    agency_id = forms.CharField(
        label=_("Mã định danh điện tử"),
        required=False,
        max_length=20,
        help_text=_("13 ký tự theo dạng 000.00.00.H41; để trống nếu chưa được cấp."),
    )

    class Meta:
        model = Unit
        fields = [
            "name",
            "short_name",
            "kind",
            "agency_id",
            "admin_code",
            "symbol",
            "valid_from",
            "address",
            "phone",
            "email",
            "population",
            "adult_population",
        ]
        help_texts = {
            "admin_code": _("Mã đơn vị hành chính theo danh mục của Tổng cục Thống kê."),
        }
        error_messages = {
            "name": {"required": _("Hãy nhập tên đơn vị.")},
            "kind": {
                "required": _("Hãy chọn loại đơn vị."),
                "invalid_choice": _("Loại đơn vị này không đặt được ở vị trí này trong cây."),
            },
            "email": {"invalid": _("Địa chỉ thư điện tử không hợp lệ.")},
            "population": {
                "invalid": _("Dân số phải là số nguyên không âm."),
                "min_value": _("Dân số phải là số nguyên không âm."),
            },
            "adult_population": {
                "invalid": _("Dân số phải là số nguyên không âm."),
                "min_value": _("Dân số phải là số nguyên không âm."),
            },
        }

    def __init__(self, *args, parent: Unit | None = None, **kwargs):
        super().__init__(*args, **kwargs)
        self.parent = parent
        kinds = allowed_child_kinds(parent.kind if parent else None)
        current = self.instance.kind if self.instance.pk else None
        if current and current not in kinds:
            kinds = [current, *kinds]
        self.fields["kind"].choices = [("", "—")] + [(k, UnitKind(k).label) for k in kinds]
        self.fields["agency_id"].widget.attrs.update(placeholder="000.00.00.H41")
        for name in ("population", "adult_population"):
            self.fields[name].widget.attrs.update(min="0")

    def clean_agency_id(self):
        value = normalise_agency_id(self.cleaned_data.get("agency_id"))
        if value is None:
            return None
        AGENCY_ID_VALIDATOR(value)
        taken = Unit.objects.filter(agency_id=value).exclude(pk=self.instance.pk).first()
        if taken is not None:
            raise ValidationError(
                _("Mã định danh %(code)s đã được dùng cho đơn vị “%(unit)s”."),
                params={"code": value, "unit": taken.name},
                code="duplicate_agency_id",
            )
        return value

    def clean_valid_from(self):
        value = self.cleaned_data["valid_from"]
        if self.parent is not None and value < self.parent.valid_from:
            raise ValidationError(
                _("Ngày hiệu lực không được trước ngày hiệu lực của đơn vị cấp trên (%(date)s)."),
                params={"date": self.parent.valid_from.strftime("%d/%m/%Y")},
                code="before_parent",
            )
        return value

    def clean(self):
        cleaned = super().clean()
        population = cleaned.get("population")
        adults = cleaned.get("adult_population")
        if population is not None and adults is not None and adults > population:
            self.add_error(
                "adult_population", _("Dân số từ 15 tuổi không được lớn hơn tổng dân số.")
            )
        return cleaned

    def changes(self) -> dict:
        """The cleaned fields, ready for ``create_unit`` or ``update_unit``."""
        return {name: self.cleaned_data[name] for name in self.Meta.fields}


class RetireForm(forms.Form):
    """Merge a unit into a successor or abolish it, from a given date."""

    MERGE = "merge"
    ABOLISH = "abolish"

    mode = forms.ChoiceField(
        label=_("Hình thức"),
        choices=[(MERGE, _("Sáp nhập vào đơn vị khác")), (ABOLISH, _("Giải thể"))],
        widget=forms.RadioSelect,
        error_messages={
            "required": _("Hãy chọn sáp nhập hoặc giải thể."),
            "invalid_choice": _("Hình thức không hợp lệ."),
        },
    )
    on = date_field(_("Hết hiệu lực từ ngày"), help_text=_("Ngày cuối cùng đơn vị còn hoạt động."))
    successor = forms.ModelChoiceField(
        label=_("Đơn vị kế thừa"),
        queryset=Unit.objects.none(),
        required=False,
        help_text=_("Bắt buộc khi sáp nhập: đơn vị tiếp nhận hồ sơ, văn bản và cán bộ."),
        error_messages={"invalid_choice": _("Đơn vị kế thừa không hợp lệ hoặc ngoài phạm vi.")},
    )

    def __init__(self, *args, unit: Unit, successors, **kwargs):
        super().__init__(*args, **kwargs)
        self.unit = unit
        self.fields["successor"].queryset = successors

    def clean_on(self):
        on = self.cleaned_data["on"]
        if on < self.unit.valid_from:
            raise ValidationError(
                _("Ngày hết hiệu lực không được trước ngày bắt đầu hiệu lực (%(date)s)."),
                params={"date": self.unit.valid_from.strftime("%d/%m/%Y")},
                code="before_valid_from",
            )
        return on

    def clean(self):
        cleaned = super().clean()
        mode, successor = cleaned.get("mode"), cleaned.get("successor")
        if mode == self.MERGE and successor is None and "successor" not in self.errors:
            self.add_error("successor", _("Khi sáp nhập phải chọn đơn vị kế thừa."))
        if mode == self.ABOLISH and successor is not None:
            self.add_error("successor", _("Khi giải thể thì không chọn đơn vị kế thừa."))
        return cleaned
