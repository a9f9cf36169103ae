"""Forms of the ICT pages; the services check rights and rules again."""

from django import forms
from django.utils.translation import gettext_lazy as _

from .models import CheckResult, DualStack, FundSource, LinkKind

DATE_HINT = _("dd/mm/yyyy")


class EquipmentForm(forms.Form):
    computers = forms.IntegerField(label=_("Số máy tính"), min_value=0)
    computers_for_officials = forms.IntegerField(
        label=_("Trong đó máy trang bị cho cán bộ, công chức"), min_value=0
    )
    dual_stack = forms.ChoiceField(label=_("Trạng thái IPv6"), choices=DualStack.choices)
    ipv6_address_plan = forms.CharField(
        label=_("Quy hoạch địa chỉ IPv6"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("Ví dụ: 2001:ee0:4f00::/48, mỗi phòng một /64."),
    )


class Ipv6CheckForm(forms.Form):
    checked_on = forms.DateField(label=_("Ngày kiểm tra"), help_text=DATE_HINT)
    result = forms.ChoiceField(label=_("Kết quả"), choices=CheckResult.choices)
    note = forms.CharField(label=_("Ghi chú"), max_length=300, required=False)


class LinkForm(forms.Form):
    kind = forms.ChoiceField(label=_("Loại đường truyền"), choices=LinkKind.choices)
    provider = forms.CharField(label=_("Nhà cung cấp"), max_length=100, required=False)
    bandwidth_mbps = forms.IntegerField(label=_("Băng thông (Mbps)"), min_value=1)


class StaffForm(forms.Form):
    name = forms.CharField(label=_("Họ và tên"), max_length=100)
    title = forms.CharField(label=_("Chức danh"), max_length=150, required=False)
    full_time = forms.BooleanField(label=_("Chuyên trách CNTT"), required=False)
    since = forms.DateField(label=_("Từ ngày"), help_text=DATE_HINT)


class TrainingForm(forms.Form):
    date = forms.DateField(label=_("Ngày"), help_text=DATE_HINT)
    course = forms.CharField(label=_("Khoá học"), max_length=300)
    hours = forms.DecimalField(label=_("Số giờ"), min_value=0.5, max_digits=5, decimal_places=1)
    participants = forms.IntegerField(label=_("Số người tham gia"), min_value=1)


class InvestmentForm(forms.Form):
    year = forms.IntegerField(label=_("Năm"), min_value=2000, max_value=2100)
    item = forms.CharField(label=_("Hạng mục"), max_length=300)
    planned = forms.IntegerField(label=_("Kế hoạch (đồng)"), min_value=0)
    spent = forms.IntegerField(label=_("Đã chi (đồng)"), min_value=0)
    source = forms.ChoiceField(label=_("Nguồn vốn"), choices=FundSource.choices)


FORMS = {
    "equipment": EquipmentForm,
    "ipv6": Ipv6CheckForm,
    "link": LinkForm,
    "staff": StaffForm,
    "training": TrainingForm,
    "investment": InvestmentForm,
}
