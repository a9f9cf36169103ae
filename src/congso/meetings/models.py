"""Online briefings: endpoints, meetings, invitations, attendance, minutes, conclusions and tasks.

Rows are changed only by ``services``. Attendance, progress reports and audit records are
appended, so a meeting's history and a task's progress can be read back as they happened.
"""

import secrets

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from .lifecycle import MeetingState, TaskState


def new_token() -> str:
    return secrets.token_urlsafe(24)


class VideoProvider(models.TextChoices):
    JITSI = "jitsi", _("Jitsi Meet")
    BBB = "bbb", _("BigBlueButton")


class ConnectionResult(models.TextChoices):
    OK = "ok", _("Đạt")
    FAILED = "failed", _("Không đạt")


class Endpoint(models.Model):
    """A unit's meeting endpoint (điểm cầu): the hall, its equipment and who looks after it."""

    unit = models.OneToOneField(
        "org.Unit", verbose_name=_("đơn vị"), on_delete=models.PROTECT, related_name="endpoint"
    )
    room = models.CharField(_("phòng họp"), max_length=200)
    equipment = models.TextField(_("thiết bị"), blank=True)
    contact_person = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("người phụ trách"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    contact_phone = models.CharField(_("số điện thoại liên hệ"), max_length=16, blank=True)
    last_tested_at = models.DateTimeField(_("lần kiểm tra kết nối gần nhất"), null=True, blank=True)
    last_test_result = models.CharField(
        _("kết quả kiểm tra"), max_length=10, choices=ConnectionResult.choices, blank=True
    )
    last_test_note = models.CharField(_("ghi chú kiểm tra"), max_length=300, blank=True)
    checkin_token = models.CharField(max_length=64, unique=True, default=new_token, editable=False)

    class Meta:
        verbose_name = _("điểm cầu")
        verbose_name_plural = _("điểm cầu")

    def __str__(self):
        return f"{self.unit} — {self.room}"

    @property
    def is_working(self) -> bool:
        return self.last_test_result == ConnectionResult.OK


class Meeting(models.Model):
    host_unit = models.ForeignKey(
        "org.Unit",
        verbose_name=_("đơn vị chủ trì"),
        on_delete=models.PROTECT,
        related_name="hosted_meetings",
    )
    title = models.CharField(_("tên cuộc họp"), max_length=300)
    chair = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("chủ trì"),
        on_delete=models.PROTECT,
        related_name="chaired_meetings",
    )
    secretary = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("thư ký"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    room = models.ForeignKey(
        Endpoint,
        verbose_name=_("phòng họp chính"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="hosted_meetings",
    )
    start = models.DateTimeField(_("bắt đầu"))
    end = models.DateTimeField(_("kết thúc"))
    video_provider = models.CharField(
        _("hệ thống truyền hình"),
        max_length=10,
        choices=VideoProvider.choices,
        default=VideoProvider.JITSI,
    )
    video_room = models.CharField(_("tên phòng trực tuyến"), max_length=100, unique=True)
    state = models.CharField(
        _("trạng thái"), max_length=20, choices=MeetingState.choices, default=MeetingState.DRAFT
    )
    series = models.CharField(_("chuỗi họp định kỳ"), max_length=40, blank=True, db_index=True)
    sequence = models.PositiveIntegerField(default=0)  # iCalendar SEQUENCE: bumped on each change
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("cuộc họp")
        verbose_name_plural = _("cuộc họp")
        ordering = ["-start"]
        indexes = [models.Index(fields=["start"]), models.Index(fields=["state", "start"])]
        constraints = [
            models.CheckConstraint(condition=Q(end__gt=models.F("start")), name="meeting_end_gt")
        ]

    def __str__(self):
        return self.title


class AgendaItem(models.Model):
    meeting = models.ForeignKey(Meeting, on_delete=models.CASCADE, related_name="agenda")
    order = models.PositiveSmallIntegerField(default=0)
    title = models.CharField(_("nội dung"), max_length=300)
    presenter = models.CharField(_("người trình bày"), max_length=150, blank=True)

    class Meta:
        ordering = ["order", "pk"]

    def __str__(self):
        return self.title


class InvitationResponse(models.TextChoices):
    PENDING = "pending", _("Chưa trả lời")
    ACCEPTED = "accepted", _("Tham dự")
    DECLINED = "declined", _("Không tham dự")
    DELEGATED = "delegated", _("Cử người dự thay")


class Invitation(models.Model):
    meeting = models.ForeignKey(Meeting, on_delete=models.CASCADE, related_name="invitations")
    unit = models.ForeignKey(
        "org.Unit", verbose_name=_("đơn vị"), on_delete=models.PROTECT, related_name="+"
    )
    response = models.CharField(
        _("trả lời"),
        max_length=10,
        choices=InvitationResponse.choices,
        default=InvitationResponse.PENDING,
    )
    delegate_name = models.CharField(_("người dự thay"), max_length=150, blank=True)
    responded_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["meeting", "unit"], name="invitation_once_per_unit")
        ]
        ordering = ["unit__name"]

    def __str__(self):
        return f"{self.meeting} — {self.unit}"


class AttendanceStatus(models.TextChoices):
    PRESENT = "present", _("Có mặt")
    LATE = "late", _("Đến muộn")
    ABSENT = "absent", _("Vắng mặt")


class Attendance(models.Model):
    meeting = models.ForeignKey(Meeting, on_delete=models.CASCADE, related_name="attendance")
    unit = models.ForeignKey("org.Unit", on_delete=models.PROTECT, related_name="+")
    checked_in_at = models.DateTimeField(_("giờ điểm danh"), null=True, blank=True)
    status = models.CharField(_("tình trạng"), max_length=10, choices=AttendanceStatus.choices)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["meeting", "unit"], name="attendance_once_per_unit")
        ]

    def __str__(self):
        return f"{self.unit}: {self.get_status_display()}"


class Minutes(models.Model):
    meeting = models.OneToOneField(Meeting, on_delete=models.CASCADE, related_name="minutes")
    text = models.TextField(_("nội dung biên bản"))
    drafted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    updated_at = models.DateTimeField(auto_now=True)
    approved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    approved_at = models.DateTimeField(null=True, blank=True)
    number = models.CharField(_("số biên bản"), max_length=40, blank=True)
    #: The PDF rendered on approval (unsigned) and, when the host has a seal, its signed original.
    pdf = models.FileField(_("biên bản (PDF)"), upload_to="meetings/minutes/%Y/", blank=True)
    sha256 = models.CharField(max_length=64, blank=True)
    signed_file = models.ForeignKey(
        "signing.SignedFile",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("bản đã ký số"),
    )
    unsigned_reason = models.CharField(_("lý do chưa ký số"), max_length=300, blank=True)

    class Meta:
        verbose_name = _("biên bản")
        verbose_name_plural = _("biên bản")

    @property
    def is_approved(self) -> bool:
        return self.approved_at is not None


class MeetingDocument(models.Model):
    """A document for the meeting, visible to the host and the invited units: an upload,
    optionally tied to the number of a registered document (free text)."""

    meeting = models.ForeignKey(Meeting, on_delete=models.CASCADE, related_name="documents")
    title = models.CharField(_("tên tài liệu"), max_length=300)
    document_number = models.CharField(
        _("số, ký hiệu văn bản"),
        max_length=100,
        blank=True,
        help_text=_("Nếu tài liệu là văn bản đã đăng ký, ví dụ 125/UBND-VP."),
    )
    file = models.FileField(_("tệp"), upload_to="meetings/documents/%Y/%m/")
    content_type = models.CharField(max_length=100)
    size = models.PositiveIntegerField(default=0)
    sha256 = models.CharField(max_length=64)
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    uploaded_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["uploaded_at", "pk"]
        verbose_name = _("tài liệu cuộc họp")
        verbose_name_plural = _("tài liệu cuộc họp")

    def __str__(self):
        return self.title


class Conclusion(models.Model):
    meeting = models.ForeignKey(Meeting, on_delete=models.CASCADE, related_name="conclusions")
    text = models.TextField(_("nội dung kết luận"))
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["pk"]

    def __str__(self):
        return self.text[:80]


class Task(models.Model):
    conclusion = models.ForeignKey(Conclusion, on_delete=models.CASCADE, related_name="tasks")
    unit = models.ForeignKey(
        "org.Unit", verbose_name=_("đơn vị thực hiện"), on_delete=models.PROTECT, related_name="+"
    )
    due_date = models.DateField(_("hạn hoàn thành"))
    state = models.CharField(
        _("trạng thái"), max_length=20, choices=TaskState.choices, default=TaskState.OPEN
    )
    completed_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("nhiệm vụ")
        verbose_name_plural = _("nhiệm vụ")
        ordering = ["due_date", "pk"]
        indexes = [models.Index(fields=["state", "due_date"])]

    def __str__(self):
        return f"{self.conclusion} — {self.unit}"

    @property
    def on_time(self) -> bool | None:
        """Done by the end of the due date; ``None`` while not done."""
        if self.completed_at is None:
            return None
        from django.utils import timezone

        return timezone.localdate(self.completed_at) <= self.due_date


class ProgressReport(models.Model):
    task = models.ForeignKey(Task, on_delete=models.CASCADE, related_name="reports")
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    at = models.DateTimeField(auto_now_add=True)
    text = models.TextField(_("nội dung báo cáo"))
    completes = models.BooleanField(default=False)
    evidence = models.FileField(_("tệp minh chứng"), upload_to="meetings/evidence/%Y/", blank=True)
    evidence_sha256 = models.CharField(max_length=64, blank=True)

    class Meta:
        ordering = ["at", "pk"]


class FeedToken(models.Model):
    """The secret in a calendar feed URL, for one official or one unit."""

    token = models.CharField(max_length=64, unique=True, default=new_token)
    user = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="meeting_feed",
    )
    unit = models.OneToOneField(
        "org.Unit", null=True, blank=True, on_delete=models.CASCADE, related_name="meeting_feed"
    )

    class Meta:
        constraints = [
            models.CheckConstraint(
                condition=Q(user__isnull=False, unit__isnull=True)
                | Q(user__isnull=True, unit__isnull=False),
                name="feed_token_one_owner",
            )
        ]
