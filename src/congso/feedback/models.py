"""Citizens' satisfaction ratings of dossiers and their feedback and complaints (phản ánh, kiến
nghị) with the answers of the responsible unit.

A rating and a complaint copy the unit (and procedure) they concern, so the figures and the
reports of this app read only its own tables.
"""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from .lifecycle import ComplaintState


class Overall(models.TextChoices):
    VERY_SATISFIED = "very_satisfied", _("Rất hài lòng")
    SATISFIED = "satisfied", _("Hài lòng")
    UNSATISFIED = "unsatisfied", _("Không hài lòng")


class RatingChannel(models.TextChoices):
    ONLINE = "online", _("Trực tuyến")
    DESK = "desk", _("Tại Bộ phận Một cửa")


class Score(models.IntegerChoices):
    """Points of one criterion (the per-dossier quality score gives 0–2 points each)."""

    GOOD = 2, _("Tốt")
    FAIR = 1, _("Bình thường")
    POOR = 0, _("Chưa tốt")


#: The questions of the per-dossier quality rating, in the order they are asked.
CRITERIA = {
    "attitude": _("Thái độ, tinh thần phục vụ của cán bộ"),
    "time": _("Thời gian giải quyết"),
    "transparency": _("Công khai, minh bạch"),
    "ease": _("Thủ tục dễ thực hiện"),
    "cost": _("Chi phí thực hiện"),
}


class Rating(models.Model):
    dossier = models.OneToOneField(
        "onestop.Dossier",
        verbose_name=_("hồ sơ"),
        on_delete=models.CASCADE,
        related_name="rating",
    )
    dossier_code = models.CharField(_("mã hồ sơ"), max_length=40)
    unit = models.ForeignKey(
        "org.Unit", verbose_name=_("đơn vị"), on_delete=models.PROTECT, related_name="+"
    )
    procedure = models.ForeignKey(
        "catalog.Procedure", verbose_name=_("thủ tục"), on_delete=models.PROTECT, related_name="+"
    )
    overall = models.CharField(_("mức độ hài lòng"), max_length=16, choices=Overall.choices)
    scores = models.JSONField(_("điểm theo tiêu chí"), default=dict, blank=True)
    comment = models.TextField(_("góp ý"), blank=True)
    channel = models.CharField(_("hình thức đánh giá"), max_length=8, choices=RatingChannel.choices)
    rated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(_("thời điểm đánh giá"), db_index=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = _("đánh giá")
        verbose_name_plural = _("đánh giá")
        indexes = [models.Index(fields=["unit", "created_at"])]

    def __str__(self):
        return self.dossier_code

    @property
    def points(self) -> int:
        return sum(int(v) for v in self.scores.values())


class ComplaintKind(models.TextChoices):
    FEEDBACK = "feedback", _("Phản ánh")
    SUGGESTION = "suggestion", _("Kiến nghị")


class Complaint(models.Model):
    code = models.CharField(_("mã phản ánh"), max_length=30, unique=True)
    kind = models.CharField(_("loại"), max_length=12, choices=ComplaintKind.choices)
    subject = models.CharField(_("tiêu đề"), max_length=300)
    content = models.TextField(_("nội dung"))
    unit = models.ForeignKey(
        "org.Unit", verbose_name=_("đơn vị xử lý"), on_delete=models.PROTECT, related_name="+"
    )
    dossier = models.ForeignKey(
        "onestop.Dossier",
        verbose_name=_("hồ sơ"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="complaints",
    )
    dossier_code = models.CharField(_("mã hồ sơ"), max_length=40, blank=True)
    procedure = models.ForeignKey(
        "catalog.Procedure",
        verbose_name=_("thủ tục"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="complaints"
    )
    anonymous = models.BooleanField(_("ẩn danh với cán bộ xử lý"), default=False)
    contact_name = models.CharField(_("họ tên"), max_length=150, blank=True)
    contact_email = models.EmailField(_("thư điện tử"), blank=True)
    contact_phone = models.CharField(_("điện thoại"), max_length=16, blank=True)
    state = models.CharField(
        _("trạng thái"),
        max_length=12,
        choices=ComplaintState.choices,
        default=ComplaintState.RECEIVED,
        db_index=True,
    )
    received_at = models.DateTimeField(_("thời điểm tiếp nhận"), db_index=True)
    due_at = models.DateTimeField(_("hạn trả lời"), db_index=True)
    assignee = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("cán bộ xử lý"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    answer = models.TextField(_("nội dung trả lời"), blank=True)
    answered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    answered_at = models.DateTimeField(_("thời điểm trả lời"), null=True, blank=True)
    #: When the unit stopped owing an answer (answered, rejected or withdrawn).
    settled_at = models.DateTimeField(null=True, blank=True)
    rejection_reason = models.TextField(_("lý do từ chối"), blank=True)
    citizen_satisfied = models.BooleanField(_("hài lòng với trả lời"), null=True, blank=True)
    citizen_remark = models.TextField(_("ý kiến về trả lời"), blank=True)
    closed_at = models.DateTimeField(null=True, blank=True)
    overdue_alerted_at = models.DateTimeField(null=True, blank=True)
    revision = models.PositiveIntegerField(default=1)

    class Meta:
        ordering = ["-received_at", "-id"]
        verbose_name = _("phản ánh, kiến nghị")
        verbose_name_plural = _("phản ánh, kiến nghị")
        indexes = [models.Index(fields=["unit", "state", "due_at"])]

    def __str__(self):
        return self.code

    @property
    def on_time(self) -> bool | None:
        """Answered by the deadline? ``None`` while no answer was given."""
        if self.answered_at is None:
            return None
        return self.answered_at <= self.due_at

    def author_label(self) -> str:
        """What officials see of the sender: nothing but the contact when anonymous."""
        if self.anonymous:
            return self.contact_name or str(_("Người gửi ẩn danh"))
        return self.author.get_full_name()


class AttachmentRole(models.TextChoices):
    COMPLAINT = "complaint", _("Kèm phản ánh")
    ANSWER = "answer", _("Kèm trả lời")


class Attachment(models.Model):
    complaint = models.ForeignKey(Complaint, on_delete=models.CASCADE, related_name="attachments")
    role = models.CharField(max_length=10, choices=AttachmentRole.choices)
    name = models.CharField(max_length=255)
    file = models.FileField(upload_to="feedback/%Y/%m/")
    content_type = models.CharField(max_length=100)
    size = models.PositiveIntegerField()
    sha256 = models.CharField(max_length=64)
    added_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["id"]

    def __str__(self):
        return self.name
