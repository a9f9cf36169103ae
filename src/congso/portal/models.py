"""What the portal keeps for a citizen: drafts of online dossiers and the personal data store.

A draft lives on the server and belongs to the account, so the citizen can start on a phone and
finish on a computer. The data store (kho dữ liệu cá nhân, Decree 45/2020) keeps results and
documents the desk has already verified, so the state never asks for them again.
"""

import uuid

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from congso.onestop.choices import ResultDelivery


class StoredKind(models.TextChoices):
    RESULT = "result", _("Kết quả giải quyết")
    DOCUMENT = "document", _("Giấy tờ đã được xác nhận")


class StoredDocument(models.Model):
    """One item of the citizen data store."""

    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="stored_documents"
    )
    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    kind = models.CharField(_("loại"), max_length=10, choices=StoredKind.choices)
    title = models.CharField(_("tên giấy tờ"), max_length=1000)
    file = models.FileField(upload_to="datastore/%Y/%m/")
    sha256 = models.CharField(max_length=64)
    content_type = models.CharField(max_length=100)
    size = models.PositiveIntegerField(default=0)
    source_code = models.CharField(_("từ hồ sơ"), max_length=40, blank=True)
    signed = models.BooleanField(_("đã ký số"), default=False)
    added_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-added_at", "-id"]
        verbose_name = _("giấy tờ trong kho dữ liệu")
        verbose_name_plural = _("kho dữ liệu cá nhân")
        constraints = [
            models.UniqueConstraint(fields=["owner", "sha256"], name="datastore_owner_sha_unique")
        ]

    def __str__(self):
        return self.title


class Draft(models.Model):
    """An online dossier being prepared; deleted when it is submitted."""

    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="portal_drafts"
    )
    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    procedure = models.ForeignKey(
        "catalog.Procedure", verbose_name=_("thủ tục"), on_delete=models.CASCADE, related_name="+"
    )
    unit = models.ForeignKey(
        "org.Unit",
        verbose_name=_("nơi nộp"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    answers = models.JSONField(_("tờ khai"), default=dict, blank=True)
    result_delivery = models.CharField(
        _("hình thức nhận kết quả"), max_length=10, choices=ResultDelivery.choices, blank=True
    )
    #: The inputs of per-copy and per-page fees, stated by the citizen; the fee is the server's.
    copies = models.PositiveSmallIntegerField(_("số bản kết quả"), default=1)
    pages = models.PositiveIntegerField(_("số trang mỗi bản"), default=0)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["-updated_at", "-id"]
        verbose_name = _("hồ sơ nháp")
        verbose_name_plural = _("hồ sơ nháp")

    def __str__(self):
        return f"{self.procedure.code} · {self.owner_id}"


class DraftDocument(models.Model):
    """A required document of a draft: uploaded now, or taken from the data store."""

    draft = models.ForeignKey(Draft, on_delete=models.CASCADE, related_name="documents")
    required_document = models.ForeignKey("catalog.RequiredDocument", on_delete=models.CASCADE)
    file = models.FileField(upload_to="drafts/%Y/%m/", blank=True)
    stored = models.ForeignKey(StoredDocument, null=True, blank=True, on_delete=models.SET_NULL)
    original_name = models.CharField(max_length=255, blank=True)
    sha256 = models.CharField(max_length=64)
    content_type = models.CharField(max_length=100)
    size = models.PositiveIntegerField(default=0)

    class Meta:
        ordering = ["id"]
        constraints = [
            models.UniqueConstraint(
                fields=["draft", "required_document"], name="draft_document_unique"
            )
        ]

    @property
    def reused(self) -> bool:
        return self.stored_id is not None


class PendingRegistration(models.Model):
    """A registration waiting for its one-time code. Only the code's hash and the password's hash
    are kept; the row is deleted once the account is created."""

    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    full_name = models.CharField(max_length=150)
    id_number = models.CharField(max_length=12)
    contact = models.CharField(max_length=254)  # an E.164 phone number or an e-mail address
    password_hash = models.CharField(max_length=200)
    code_hash = models.CharField(max_length=200)
    expires_at = models.DateTimeField()
    attempts = models.PositiveSmallIntegerField(default=0)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-created_at"]
