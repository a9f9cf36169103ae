"""The audit log and gap-free counters: the two pieces of state every app relies on; and the
exports built in the background."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class AppendOnlyError(Exception):
    pass


class AuditRecord(models.Model):
    """One state change: who, what, on which object, in which unit, when, from where.

    Records are chained: ``digest``, an HMAC keyed outside the database (``core.audit``), covers
    the record's fields and the previous record's digest, so ``audit_verify`` finds an altered or
    removed record (and, against its anchor file, a log cut back). Never updated, never deleted.
    """

    at = models.DateTimeField(_("thời điểm"), db_index=True)
    actor_id = models.BigIntegerField(_("người thực hiện (mã)"), null=True, blank=True)
    actor = models.CharField(_("người thực hiện"), max_length=150)
    ip = models.GenericIPAddressField(_("địa chỉ IP"), null=True, blank=True)
    action = models.CharField(_("hành động"), max_length=100, db_index=True)
    object_type = models.CharField(_("loại đối tượng"), max_length=100)
    object_id = models.CharField(_("mã đối tượng"), max_length=100, db_index=True)
    object_repr = models.CharField(_("đối tượng"), max_length=255)
    unit_id = models.BigIntegerField(_("đơn vị"), null=True, blank=True, db_index=True)
    data = models.JSONField(_("chi tiết"), default=dict, blank=True)
    previous_digest = models.CharField(max_length=64)
    digest = models.CharField(max_length=64, unique=True)

    class Meta:
        ordering = ["id"]
        verbose_name = _("bản ghi nhật ký")
        verbose_name_plural = _("nhật ký hệ thống")

    def __str__(self):
        return f"{self.at:%d/%m/%Y %H:%M} {self.actor} {self.action} {self.object_repr}"

    def save(self, *args, **kwargs):
        if self.pk is not None:
            raise AppendOnlyError("audit records are never changed")
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        raise AppendOnlyError("audit records are never deleted")


class Counter(models.Model):
    """A named sequence (dossier codes of a unit for a day, a register's numbers for a year).

    Incremented under a row lock inside the caller's transaction, so a rolled-back caller gives its
    number back and the sequence stays gap-free.
    """

    key = models.CharField(max_length=200, unique=True)
    value = models.PositiveBigIntegerField(default=0)

    def __str__(self):
        return f"{self.key} = {self.value}"


class Export(models.Model):
    """A file built in the background for one official (``core.exports``): a year's register or
    report is too long to build inside a page request. The owner watches ``done`` grow on the
    export's page and downloads the file from there when it is ready."""

    class State(models.TextChoices):
        QUEUED = "queued", _("Đang chờ")
        RUNNING = "running", _("Đang lập")
        READY = "ready", _("Đã xong")
        FAILED = "failed", _("Không lập được")

    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="exports"
    )
    kind = models.CharField(max_length=40)
    params = models.JSONField(default=dict)
    title = models.CharField(max_length=300)
    filename = models.CharField(max_length=200)
    state = models.CharField(max_length=8, choices=State.choices, default=State.QUEUED)
    done = models.PositiveIntegerField(default=0)
    file = models.FileField(upload_to="exports/%Y/%m/", blank=True)
    error = models.TextField(blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    # the building worker's lease, renewed with each progress report (``core.exports.build``)
    taken_at = models.DateTimeField(null=True, blank=True)
    finished_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-id"]

    def __str__(self):
        return self.title
