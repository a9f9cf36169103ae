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
