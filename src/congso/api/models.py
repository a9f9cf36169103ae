"""Partner systems (hệ thống đối tác) that call the API on behalf of a unit with their own client
credentials: the national public-service portal's sync, the document exchange axis. They never
borrow an official's login; each client gets only the scopes it needs."""

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class Scope(models.TextChoices):
    DOCUMENTS_EXCHANGE = "documents.exchange", _("Trao đổi văn bản điện tử (edXML)")
    DOSSIERS_READ = "dossiers.read", _("Đọc hồ sơ thủ tục hành chính")
    DOSSIERS_SYNC = "dossiers.sync", _("Đồng bộ hồ sơ với Cổng Dịch vụ công quốc gia")


class PartnerClient(models.Model):
    """One partner system. Only the secret's hash is kept; the secret is shown once."""

    name = models.CharField(_("tên hệ thống đối tác"), max_length=150)
    client_id = models.CharField(_("mã máy khách"), max_length=40, unique=True)
    secret_hash = models.CharField(max_length=200)
    scopes = models.JSONField(_("phạm vi được cấp"), default=list)
    unit = models.ForeignKey(
        "org.Unit",
        verbose_name=_("đơn vị được thay mặt"),
        on_delete=models.PROTECT,
        related_name="partner_clients",
    )
    #: The service account the client acts as: it holds one partner position at ``unit``, so
    #: the services' own permission checks apply to the partner exactly as to a person.
    account = models.OneToOneField(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="partner_client"
    )
    is_active = models.BooleanField(_("đang hoạt động"), default=True)
    created_at = models.DateTimeField(default=timezone.now)
    rotated_at = models.DateTimeField(null=True, blank=True)
    revoked_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("hệ thống đối tác")
        verbose_name_plural = _("hệ thống đối tác")

    def __str__(self):
        return f"{self.name} ({self.client_id})"


class PartnerToken(models.Model):
    """A short-lived bearer token; only its SHA-256 is stored."""

    client = models.ForeignKey(PartnerClient, on_delete=models.CASCADE, related_name="tokens")
    key_hash = models.CharField(max_length=64, unique=True)
    scopes = models.JSONField(default=list)
    created_at = models.DateTimeField(default=timezone.now)
    expires_at = models.DateTimeField(db_index=True)

    def __str__(self):
        return f"{self.client.client_id} → {self.expires_at:%Y-%m-%d %H:%M}"


class WebhookSubscription(models.Model):
    """A partner system's subscription to events (dossier and document changes) of its unit
    and the units below it, delivered to its URL signed with a shared secret."""

    client = models.ForeignKey(PartnerClient, on_delete=models.CASCADE, related_name="webhooks")
    url = models.URLField(_("địa chỉ nhận sự kiện"), max_length=500)
    #: the shared HMAC key, sealed (``webhooks.seal``: it must be used as given to sign, so it
    #: cannot be hashed); shown once at creation
    secret = models.CharField(max_length=200)
    events = models.JSONField(_("loại sự kiện"), default=list)
    is_active = models.BooleanField(_("đang hoạt động"), default=True)
    #: the last audit record examined: events after it are still to be collected
    cursor = models.BigIntegerField(default=0)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name = _("đăng ký nhận sự kiện")
        verbose_name_plural = _("đăng ký nhận sự kiện")

    def __str__(self):
        return f"{self.client.client_id} → {self.url}"


class WebhookDelivery(models.Model):
    """One event for one subscription: the delivery log, retried with back-off."""

    class State(models.TextChoices):
        PENDING = "pending", _("Chờ gửi")
        DELIVERED = "delivered", _("Đã gửi")
        FAILED = "failed", _("Gửi không thành công")

    subscription = models.ForeignKey(
        WebhookSubscription, on_delete=models.CASCADE, related_name="deliveries"
    )
    event_id = models.BigIntegerField()
    event = models.CharField(max_length=100)
    payload = models.JSONField()
    state = models.CharField(max_length=9, choices=State.choices, default=State.PENDING)
    attempts = models.PositiveSmallIntegerField(default=0)
    next_attempt_at = models.DateTimeField(null=True, blank=True, db_index=True)
    last_status = models.PositiveSmallIntegerField(null=True, blank=True)
    last_error = models.CharField(max_length=300, blank=True)
    created_at = models.DateTimeField(default=timezone.now)
    delivered_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["event_id", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["subscription", "event_id"], name="api_webhook_event_once"
            )
        ]
