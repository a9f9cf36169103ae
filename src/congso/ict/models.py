"""ICT resources of each unit: equipment and network links, IPv6 readiness, IT staff, the yearly
training of officials, and investment plans and spending by year and item (VND).

Rows are changed only by ``services``.
"""

from django.db import models
from django.utils.translation import gettext_lazy as _


class DualStack(models.TextChoices):
    NONE = "none", _("Chưa triển khai")
    PARTIAL = "partial", _("Triển khai một phần")
    FULL = "full", _("Chạy song song IPv4/IPv6 (dual-stack)")


class CheckResult(models.TextChoices):
    PASS = "pass", _("Đạt")
    FAIL = "fail", _("Không đạt")


class LinkKind(models.TextChoices):
    FIBER = "fiber", _("Cáp quang Internet")
    GOV_WAN = "gov_wan", _("Mạng truyền số liệu chuyên dùng")
    MOBILE = "mobile", _("Di động 4G/5G")
    ADSL = "adsl", _("ADSL")


class FundSource(models.TextChoices):
    DISTRICT = "district", _("Ngân sách huyện")
    PROVINCE = "province", _("Ngân sách tỉnh")
    NATIONAL = "national", _("Ngân sách trung ương")
    OTHER = "other", _("Nguồn khác")


class Equipment(models.Model):
    """A unit's computers and IPv6 readiness, as last declared."""

    unit = models.OneToOneField(
        "org.Unit", verbose_name=_("đơn vị"), on_delete=models.PROTECT, related_name="ict"
    )
    computers = models.PositiveIntegerField(_("số máy tính"), default=0)
    computers_for_officials = models.PositiveIntegerField(
        _("trong đó máy trang bị cho cán bộ, công chức"), default=0
    )
    ipv6_address_plan = models.TextField(_("quy hoạch địa chỉ IPv6"), blank=True)
    dual_stack = models.CharField(
        _("trạng thái IPv6"), max_length=10, choices=DualStack.choices, default=DualStack.NONE
    )
    ipv6_checked_on = models.DateField(_("ngày kiểm tra IPv6 gần nhất"), null=True, blank=True)
    ipv6_check_result = models.CharField(
        _("kết quả kiểm tra"), max_length=10, choices=CheckResult.choices, blank=True
    )
    ipv6_check_note = models.CharField(_("ghi chú kiểm tra"), max_length=300, blank=True)

    class Meta:
        verbose_name = _("trang thiết bị")
        verbose_name_plural = _("trang thiết bị")

    def __str__(self):
        return str(self.unit)

    @property
    def ipv6_ready(self) -> bool:
        return is_ipv6_ready(self.dual_stack, self.ipv6_check_result)


def is_ipv6_ready(dual_stack: str, result: str) -> bool:
    """Ready = dual-stack in service and the last check passed."""
    return dual_stack == DualStack.FULL and result == CheckResult.PASS


class NetworkLink(models.Model):
    unit = models.ForeignKey(
        "org.Unit", verbose_name=_("đơn vị"), on_delete=models.PROTECT, related_name="+"
    )
    kind = models.CharField(_("loại đường truyền"), max_length=10, choices=LinkKind.choices)
    provider = models.CharField(_("nhà cung cấp"), max_length=100, blank=True)
    bandwidth_mbps = models.PositiveIntegerField(_("băng thông (Mbps)"))

    class Meta:
        ordering = ["unit__path", "kind"]


class ItStaff(models.Model):
    """An official who looks after IT at a unit (full- or part-time)."""

    unit = models.ForeignKey(
        "org.Unit", verbose_name=_("đơn vị"), on_delete=models.PROTECT, related_name="+"
    )
    name = models.CharField(_("họ và tên"), max_length=100)
    title = models.CharField(_("chức danh"), max_length=150, blank=True)
    full_time = models.BooleanField(_("chuyên trách"), default=False)
    since = models.DateField(_("từ ngày"))
    until = models.DateField(_("đến ngày"), null=True, blank=True)

    class Meta:
        ordering = ["unit__path", "name"]


class Training(models.Model):
    """A course for officials: its length in hours and how many took part."""

    unit = models.ForeignKey(
        "org.Unit", verbose_name=_("đơn vị"), on_delete=models.PROTECT, related_name="+"
    )
    date = models.DateField(_("ngày"))
    course = models.CharField(_("khoá học"), max_length=300)
    hours = models.DecimalField(_("số giờ"), max_digits=5, decimal_places=1)
    participants = models.PositiveIntegerField(_("số người tham gia"))

    class Meta:
        ordering = ["-date"]


class Investment(models.Model):
    """One item of a year's ICT investment plan: planned and spent amounts (VND)."""

    unit = models.ForeignKey(
        "org.Unit", verbose_name=_("đơn vị"), on_delete=models.PROTECT, related_name="+"
    )
    year = models.PositiveSmallIntegerField(_("năm"))
    item = models.CharField(_("hạng mục"), max_length=300)
    planned = models.PositiveBigIntegerField(_("kế hoạch (đồng)"), default=0)
    spent = models.PositiveBigIntegerField(_("đã chi (đồng)"), default=0)
    source = models.CharField(
        _("nguồn vốn"), max_length=10, choices=FundSource.choices, default=FundSource.DISTRICT
    )

    class Meta:
        ordering = ["year", "unit__path", "pk"]
