"""The notification outbox: one row per message per channel, written in the caller's transaction
and drained by background workers.

A row is the durable promise to deliver. A worker claims it with a lease (``locked_until``); if the
worker dies mid-send the lease runs out and another worker claims the row again, so nothing is
lost (delivery is at-least-once). ``attempts`` grows with every claim and doubles as a fencing
token: a worker only records the outcome of the attempt it claimed.
"""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class Channel(models.TextChoices):
    EMAIL = "email", _("Thư điện tử")
    SMS = "sms", _("Tin nhắn SMS")
    IN_APP = "in_app", _("Thông báo trên hệ thống")


class Status(models.TextChoices):
    PENDING = "pending", _("Chờ gửi")
    SENDING = "sending", _("Đang gửi")
    SENT = "sent", _("Đã gửi")
    FAILED = "failed", _("Gửi lỗi, sẽ gửi lại")
    DEAD = "dead", _("Gửi thất bại")


class NotificationQuerySet(models.QuerySet):
    def inbox_of(self, user):
        """The in-app notifications ``user`` may see: their own, nothing else."""
        return self.filter(user=user, channel=Channel.IN_APP).order_by("-created_at", "-id")

    def unread(self):
        return self.filter(read_at__isnull=True)

    def due(self, now=None):
        """Rows a worker may claim: waiting ones whose time has come, and rows whose worker's
        lease ran out (the worker died or hung mid-send)."""
        now = now or timezone.now()
        return self.filter(
            Q(status__in=[Status.PENDING, Status.FAILED], next_attempt_at__lte=now)
            | Q(status=Status.SENDING, locked_until__lt=now)
        )


class Notification(models.Model):
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("người nhận"),
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="notifications",
    )
    address = models.CharField(_("địa chỉ nhận"), max_length=254, blank=True)
    channel = models.CharField(_("kênh"), max_length=10, choices=Channel.choices)
    template = models.CharField(_("mẫu"), max_length=100)
    subject = models.CharField(_("tiêu đề"), max_length=255, blank=True)
    body = models.TextField(_("nội dung"), blank=True)
    url = models.CharField(_("liên kết"), max_length=500, blank=True)
    context = models.JSONField(_("dữ liệu mẫu"), default=dict, blank=True)
    attachments = models.JSONField(_("tệp đính kèm"), default=list, blank=True)
    status = models.CharField(
        _("trạng thái"), max_length=10, choices=Status.choices, default=Status.PENDING
    )
    attempts = models.PositiveSmallIntegerField(_("số lần gửi"), default=0)
    next_attempt_at = models.DateTimeField(_("gửi lúc"), default=timezone.now)
    locked_until = models.DateTimeField(_("giữ đến"), null=True, blank=True)
    last_error = models.TextField(_("lỗi gần nhất"), blank=True)
    provider_message_id = models.CharField(_("mã tin của nhà cung cấp"), max_length=255, blank=True)
    dedup_key = models.CharField(_("khoá chống trùng"), max_length=200, null=True, blank=True)
    created_at = models.DateTimeField(_("tạo lúc"), default=timezone.now)
    sent_at = models.DateTimeField(_("gửi xong lúc"), null=True, blank=True)
    read_at = models.DateTimeField(_("đọc lúc"), null=True, blank=True)

    objects = NotificationQuerySet.as_manager()

    class Meta:
        verbose_name = _("thông báo")
        verbose_name_plural = _("thông báo")
        ordering = ["-created_at", "-id"]
        constraints = [
            models.UniqueConstraint(
                fields=["dedup_key", "channel"],
                condition=Q(dedup_key__isnull=False),
                name="notification_dedup_unique",
            ),
            models.CheckConstraint(
                condition=~Q(user__isnull=True, address=""), name="notification_has_recipient"
            ),
        ]
        indexes = [
            models.Index(fields=["status", "next_attempt_at"], name="notification_due_idx"),
            models.Index(fields=["status", "locked_until"], name="notification_lease_idx"),
            models.Index(fields=["user", "channel", "read_at"], name="notification_inbox_idx"),
        ]

    def __str__(self):
        return f"{self.get_channel_display()} · {self.template} · {self.recipient_label}"

    @property
    def recipient_label(self) -> str:
        return self.address or (str(self.user) if self.user_id else "")

    @property
    def is_unread(self) -> bool:
        return self.channel == Channel.IN_APP and self.read_at is None


class Preference(models.Model):
    """How an official wants to be told about work (``work.py``). In-app notifications always
    arrive (the bell); e-mail and SMS are chosen here. Without a row the defaults apply
    (``work.preference_of``): e-mail on, SMS for urgent work on, the digest for leaders."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        verbose_name=_("cán bộ"),
        on_delete=models.CASCADE,
        related_name="notify_preference",
    )
    email = models.BooleanField(
        _("nhận thư điện tử khi có việc mới, sắp đến hạn, quá hạn"), default=True
    )
    sms_urgent = models.BooleanField(
        _("nhận tin nhắn SMS cho việc khẩn, hỏa tốc và việc quá hạn"), default=True
    )
    due_reminders = models.BooleanField(
        _("nhắc việc sắp đến hạn (trong 1 ngày làm việc) và quá hạn"), default=True
    )
    digest = models.BooleanField(_("nhận thư tổng hợp việc mỗi sáng"), default=False)

    class Meta:
        verbose_name = _("tuỳ chọn thông báo")
        verbose_name_plural = _("tuỳ chọn thông báo")

    def __str__(self):
        return str(self.user)
