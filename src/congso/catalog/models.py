"""The procedure catalogue (regulations §8): sectors, procedures and their published versions.

A procedure's identity (code, name, sector, level, online mode) can be edited; what a dossier
depends on — processing time, fee, required documents, form, steps — lives in a
``ProcedureVersion`` that is never changed once published. A new rule means a new version with its
own ``valid_from``; a dossier keeps the version in force when it was received.
"""

import datetime as dt

from django.core.exceptions import ObjectDoesNotExist
from django.core.validators import RegexValidator
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from congso.accounts.choices import Role
from congso.worktime.deadlines import TimeUnit

from .choices import Channel as Channel
from .choices import CopyKind as CopyKind
from .choices import OnlineMode as OnlineMode
from .fees import describe_fee

CODE_VALIDATOR = RegexValidator(
    r"^[0-9][0-9A-Za-z.\-_]{1,29}$",
    _("Mã thủ tục bắt đầu bằng chữ số, chỉ gồm chữ, số, dấu chấm, gạch; ví dụ 1.001193."),
)


class Level(models.TextChoices):
    COMMUNE = "commune", _("Cấp xã")
    DISTRICT = "district", _("Cấp huyện")
    PROVINCE = "province", _("Cấp tỉnh")


class StepUnit(models.TextChoices):
    WORKING_HOURS = "working_hours", _("giờ làm việc")
    WORKING_DAYS = "working_days", _("ngày làm việc")


RESPONSIBLE_LEVELS = {
    "commune": _("UBND cấp xã"),
    "district": _("UBND cấp huyện"),
    "province": _("UBND cấp tỉnh"),
}


class Sector(models.Model):
    """Lĩnh vực, e.g. ``HT`` Hộ tịch."""

    code = models.CharField(
        _("mã lĩnh vực"),
        max_length=30,
        unique=True,
        error_messages={"unique": _("Mã lĩnh vực này đã có.")},
    )
    name = models.CharField(_("tên lĩnh vực"), max_length=200)

    class Meta:
        ordering = ["name"]
        verbose_name = _("lĩnh vực")
        verbose_name_plural = _("lĩnh vực")

    def __str__(self):
        return self.name


class Procedure(models.Model):
    code = models.CharField(
        _("mã thủ tục"),
        max_length=30,
        unique=True,
        validators=[CODE_VALIDATOR],
        error_messages={"unique": _("Mã thủ tục này đã có trong danh mục.")},
    )
    name = models.CharField(_("tên thủ tục"), max_length=500)
    sector = models.ForeignKey(
        Sector, verbose_name=_("lĩnh vực"), on_delete=models.PROTECT, related_name="procedures"
    )
    level = models.CharField(_("cấp thực hiện"), max_length=10, choices=Level.choices)
    online_mode = models.CharField(
        _("mức độ dịch vụ công trực tuyến"),
        max_length=20,
        choices=OnlineMode.choices,
        default=OnlineMode.INFORMATION,
    )
    units = models.ManyToManyField(
        "org.Unit",
        verbose_name=_("đơn vị thực hiện riêng"),
        blank=True,
        related_name="extra_procedures",
        help_text=_(
            "Mọi đơn vị cùng cấp đều thực hiện; thêm ở đây các đơn vị khác cũng tiếp nhận thủ tục."
        ),
    )
    is_active = models.BooleanField(_("đang áp dụng"), default=True)
    #: ``fold``-ed name, for ranking name matches above other text.
    search_name = models.TextField(editable=False, default="")
    #: ``fold``-ed code, name, sector and the latest version's text; trigram-indexed on PostgreSQL.
    search_text = models.TextField(editable=False, default="")
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["code"]
        verbose_name = _("thủ tục hành chính")
        verbose_name_plural = _("thủ tục hành chính")

    def __str__(self):
        return f"{self.code} — {self.name}"

    def current_version(self, at: dt.datetime | dt.date | None = None):
        """The version in force at ``at`` (now by default), or ``None``."""
        try:
            return version_in_force(self, at)
        except ObjectDoesNotExist:
            return None


class ProcedureVersion(models.Model):
    """One published, immutable set of rules of a procedure."""

    procedure = models.ForeignKey(Procedure, on_delete=models.PROTECT, related_name="versions")
    number = models.PositiveIntegerField(_("phiên bản"))
    valid_from = models.DateField(_("áp dụng từ ngày"))
    valid_until = models.DateField(_("áp dụng đến ngày"), null=True, blank=True)
    applicants = models.TextField(_("đối tượng thực hiện"), blank=True)
    deciding_agency = models.CharField(_("cơ quan có thẩm quyền quyết định"), max_length=500)
    coordinating_agencies = models.TextField(_("cơ quan phối hợp"), blank=True)
    where_to_file = models.TextField(_("nơi tiếp nhận hồ sơ"), blank=True)
    result = models.TextField(_("kết quả thực hiện"))
    conditions = models.TextField(_("yêu cầu, điều kiện"), blank=True)
    legal_basis = models.TextField(_("căn cứ pháp lý"), blank=True)
    result_signed_by_leader = models.BooleanField(
        _("kết quả do lãnh đạo quyết định ký cá nhân"),
        # A chairman's decision is the person's act (Decree 30/2020/NĐ-CP art. 13): it carries
        # his own signature, made under his sole control, before the organisation's seal.
        default=False,
        help_text=_(
            "Chọn khi kết quả là quyết định của người có thẩm quyền: kết quả chờ chữ ký số cá "
            "nhân của lãnh đạo phê duyệt rồi mới đóng dấu số của cơ quan."
        ),
    )
    supplement_restarts_clock = models.BooleanField(
        _("tính lại thời hạn từ đầu khi nộp bổ sung"),
        # Default: resume — the waiting time is not counted (Decree 118/2025/NĐ-CP; the national
        # portal's formula subtracts it); restart only where the procedure's law says so.
        default=False,
        help_text=_(
            "Chỉ chọn khi văn bản quy định thủ tục tính lại thời hạn từ đầu sau khi bổ sung; "
            "mặc định thời hạn tiếp tục phần còn lại."
        ),
    )
    form_schema = models.JSONField(
        _("biểu mẫu tờ khai (JSON Schema)"),
        default=dict,
        blank=True,
        help_text=_("Để trống nếu thủ tục không có tờ khai."),
    )
    change_note = models.CharField(_("nội dung thay đổi"), max_length=500, blank=True)
    published_at = models.DateTimeField(_("thời điểm công bố"), default=timezone.now)

    class Meta:
        ordering = ["procedure", "-number"]
        verbose_name = _("phiên bản thủ tục")
        verbose_name_plural = _("phiên bản thủ tục")
        constraints = [
            models.UniqueConstraint(fields=["procedure", "number"], name="version_number_unique"),
            models.UniqueConstraint(
                fields=["procedure", "valid_from"], name="version_valid_from_unique"
            ),
        ]

    def __str__(self):
        return f"{self.procedure.code} v{self.number}"

    def channel(self, channel: str) -> "ChannelTerms":
        """Time and fee of ``channel``; raises ``ChannelTerms.DoesNotExist`` if not offered."""
        for terms in self.channels.all():
            if terms.channel == channel:
                return terms
        raise ChannelTerms.DoesNotExist(channel)

    @property
    def has_form(self) -> bool:
        return bool(self.form_schema)


class ChannelTerms(models.Model):
    """Processing time and fee when the dossier is filed through one channel."""

    version = models.ForeignKey(ProcedureVersion, on_delete=models.CASCADE, related_name="channels")
    channel = models.CharField(_("cách thức nộp"), max_length=10, choices=Channel.choices)
    time_amount = models.PositiveIntegerField(_("thời hạn giải quyết"), default=0)
    time_unit = models.CharField(_("đơn vị thời hạn"), max_length=20, choices=TimeUnit.choices)
    time_note = models.CharField(_("ghi chú thời hạn"), max_length=500, blank=True)
    fee = models.JSONField(_("phí, lệ phí"), default=dict)

    class Meta:
        ordering = ["version", "id"]
        verbose_name = _("thời hạn và phí theo cách thức nộp")
        verbose_name_plural = _("thời hạn và phí theo cách thức nộp")
        constraints = [
            models.UniqueConstraint(fields=["version", "channel"], name="channel_terms_unique"),
        ]

    def __str__(self):
        return f"{self.version} {self.channel}"

    @property
    def time_display(self) -> str:
        return describe_time(self.time_amount, self.time_unit)

    @property
    def fee_display(self) -> str:
        return describe_fee(self.fee)

    @property
    def exemptions(self) -> list[str]:
        return list(self.fee.get("exemptions", []))


class RequiredDocument(models.Model):
    """One item of what the dossier must contain (thành phần hồ sơ)."""

    version = models.ForeignKey(
        ProcedureVersion, on_delete=models.CASCADE, related_name="documents"
    )
    position = models.PositiveSmallIntegerField(_("thứ tự"), default=0)
    name = models.CharField(_("tên giấy tờ"), max_length=1000)
    copy_kind = models.CharField(
        _("bản chính/bản sao"),
        max_length=20,
        choices=CopyKind.choices,
        default=CopyKind.ORIGINAL,
    )
    count = models.PositiveSmallIntegerField(_("số lượng"), default=1)
    mandatory = models.BooleanField(_("bắt buộc"), default=True)
    template = models.CharField(
        _("mẫu đơn, tờ khai"),
        max_length=300,
        blank=True,
        help_text=_("Tên, số hiệu mẫu ban hành kèm văn bản nào."),
    )
    is_declaration = models.BooleanField(
        _("là tờ khai của thủ tục"),
        default=False,
        help_text=_("Tải mẫu in được sinh từ biểu mẫu JSON Schema của phiên bản."),
    )

    class Meta:
        ordering = ["version", "position", "id"]
        verbose_name = _("thành phần hồ sơ")
        verbose_name_plural = _("thành phần hồ sơ")

    def __str__(self):
        return self.name


class ProcessingStep(models.Model):
    """A step of the internal processing workflow, the template of a dossier's hand-overs."""

    version = models.ForeignKey(ProcedureVersion, on_delete=models.CASCADE, related_name="steps")
    position = models.PositiveSmallIntegerField(_("thứ tự"), default=0)
    name = models.CharField(_("tên bước"), max_length=500)
    role = models.CharField(_("vai trò thực hiện"), max_length=20, choices=Role.choices)
    responsible = models.CharField(
        _("đơn vị thực hiện"),
        max_length=30,
        help_text=_("commune, district, province hoặc ký hiệu phòng ban (TP, VP, TNMT…)."),
    )
    amount = models.DecimalField(_("thời gian"), max_digits=6, decimal_places=1)
    unit = models.CharField(_("đơn vị thời gian"), max_length=20, choices=StepUnit.choices)

    class Meta:
        ordering = ["version", "position", "id"]
        verbose_name = _("bước xử lý")
        verbose_name_plural = _("bước xử lý")

    def __str__(self):
        return self.name

    @property
    def time_display(self) -> str:
        return describe_time(self.amount, self.unit)

    @property
    def responsible_display(self) -> str:
        """``commune`` → ``UBND cấp xã``; a department symbol (``TP``) is shown as it is."""
        return str(RESPONSIBLE_LEVELS.get(self.responsible, self.responsible))


def describe_time(amount, unit: str) -> str:
    """``3 ngày làm việc``, ``0,5 ngày làm việc``, ``Trong ngày``."""
    if unit == TimeUnit.SAME_DAY:
        return str(_("Trong ngày"))
    number = f"{amount:f}".rstrip("0").rstrip(".") if "." in f"{amount}" else str(amount)
    return f"{number.replace('.', ',')} {dict(TimeUnit.choices)[unit]}"


def _as_date(at: dt.datetime | dt.date | None) -> dt.date:
    if at is None:
        return timezone.localdate()
    if isinstance(at, dt.datetime):
        return timezone.localdate(at) if timezone.is_aware(at) else at.date()
    return at


def versions_in_force(at: dt.datetime | dt.date | None = None):
    """Filter for ``ProcedureVersion`` querysets: the versions in force on ``at``'s date."""
    day = _as_date(at)
    return Q(valid_from__lte=day) & (Q(valid_until__isnull=True) | Q(valid_until__gte=day))


def version_in_force(procedure: Procedure, at: dt.datetime | dt.date | None = None):
    """The version a dossier received at ``at`` keeps for its whole life.

    Raises ``ProcedureVersion.DoesNotExist`` when none was in force (not yet published, or the
    procedure had not started).
    """
    found = list(
        ProcedureVersion.objects.filter(procedure=procedure)
        .filter(versions_in_force(at))
        .prefetch_related("channels", "documents", "steps")
        .order_by("-valid_from", "-number")[:1]
    )
    if not found:
        raise ProcedureVersion.DoesNotExist(
            "Không có phiên bản thủ tục nào có hiệu lực vào thời điểm này."
        )
    return found[0]
