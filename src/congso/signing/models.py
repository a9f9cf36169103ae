"""Certificates, the keys that sign with them, signed originals and who signed what.

A certificate belongs to a unit (the organisation's seal signature) or to a user (a personal
signature); root and intermediate CAs have no owner and a trust anchor is what verification trusts.
A private key the server holds (the organisation's seal, a CA the platform runs) sits in the
database encrypted with a key from the environment (``signing.keystore``), or in a PKCS#11 HSM
whose PIN is a secret setting; never in a file on a node's disk. A person's key stays with the
person (their USB token, or the CA's remote-signing service).
"""

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class CertificateKind(models.TextChoices):
    ORGANISATION = "org", _("Chữ ký số của cơ quan, tổ chức")
    PERSONAL = "personal", _("Chữ ký số cá nhân")
    AUTHORITY = "ca", _("Tổ chức cung cấp dịch vụ chứng thực")


class Certificate(models.Model):
    pem = models.TextField(_("chứng thư số (PEM)"))
    fingerprint = models.CharField(_("dấu vân tay SHA-256"), max_length=64, unique=True)
    subject = models.CharField(_("chủ thể"), max_length=500)
    common_name = models.CharField(_("tên chủ thể"), max_length=200, blank=True)
    issuer = models.CharField(_("tổ chức cấp"), max_length=500)
    serial = models.CharField(_("số hiệu"), max_length=64)
    not_before = models.DateTimeField(_("hiệu lực từ"))
    not_after = models.DateTimeField(_("hiệu lực đến"))
    key_usage = models.JSONField(_("mục đích sử dụng khoá"), default=list, blank=True)
    kind = models.CharField(_("loại"), max_length=10, choices=CertificateKind.choices)
    owner_unit = models.ForeignKey(
        "org.Unit",
        verbose_name=_("cơ quan"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="certificates",
    )
    owner_user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("cá nhân"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="certificates",
    )
    is_trust_anchor = models.BooleanField(_("chứng thư gốc tin cậy"), default=False)
    revoked_at = models.DateTimeField(_("thu hồi lúc"), null=True, blank=True)
    stamp_image = models.FileField(
        _("hình ảnh trên dấu chữ ký"),
        upload_to="signing/images/",
        blank=True,
        help_text=_("Hình con dấu (chữ ký của cơ quan) hoặc hình chữ ký tay (chữ ký cá nhân)."),
    )
    #: How this certificate's owner signs (a ``signing.signers`` identifier): ``desk_token``,
    #: ``remote`` or, for an organisation only, ``server_key``; empty: by where its key is.
    signing_method = models.CharField(_("cách ký"), max_length=30, blank=True)
    #: The official's account at the CA's remote-signing service (``remote``).
    remote_user_id = models.CharField(_("tài khoản ký số từ xa"), max_length=100, blank=True)
    created_at = models.DateTimeField(default=timezone.now, editable=False)

    class Meta:
        ordering = ["subject", "not_before"]
        verbose_name = _("chứng thư số")
        verbose_name_plural = _("chứng thư số")
        constraints = [
            models.UniqueConstraint(fields=["issuer", "serial"], name="certificate_issuer_serial"),
        ]

    def __str__(self):
        return self.common_name or self.subject

    @property
    def is_authority(self) -> bool:
        return self.kind == CertificateKind.AUTHORITY


class KeyBackend(models.TextChoices):
    DATABASE = "db", _("Khoá mã hoá trong cơ sở dữ liệu")
    #: A file on one node's disk, from before keys moved into the database: it no longer signs
    #: until ``python -m congso signing_keys --import-files`` moves it (``signing.keystore``).
    PKCS12 = "pkcs12", _("Tệp PKCS#12 trên đĩa (cần chuyển vào cơ sở dữ liệu)")
    PKCS11 = "pkcs11", _("Thiết bị PKCS#11 (token, HSM)")


class SigningKey(models.Model):
    certificate = models.OneToOneField(
        Certificate, verbose_name=_("chứng thư số"), on_delete=models.PROTECT, related_name="key"
    )
    backend = models.CharField(_("nơi giữ khoá"), max_length=10, choices=KeyBackend.choices)
    #: The private key (PKCS#8), AES-256-GCM under the key-encryption key (``signing.keystore``).
    encrypted_key = models.BinaryField(_("khoá mã hoá"), blank=True, default=b"", editable=False)
    key_file = models.CharField(
        _("tệp PKCS#12"), max_length=255, blank=True, help_text=_("Đường dẫn tương đối trong var.")
    )
    module_path = models.CharField(_("thư viện PKCS#11"), max_length=255, blank=True)
    token_label = models.CharField(_("nhãn token"), max_length=100, blank=True)
    key_label = models.CharField(_("nhãn khoá"), max_length=100, blank=True)
    created_at = models.DateTimeField(default=timezone.now, editable=False)

    class Meta:
        verbose_name = _("khoá ký")
        verbose_name_plural = _("khoá ký")

    def __str__(self):
        return f"{self.certificate} ({self.get_backend_display()})"


class SignedFile(models.Model):
    """A signed original: stored once with its hash and never rewritten."""

    file = models.FileField(_("tệp đã ký"), upload_to="signed/%Y/%m/")
    name = models.CharField(_("tên tệp"), max_length=255)
    sha256 = models.CharField(max_length=64, db_index=True)
    size = models.PositiveIntegerField(default=0)
    #: The B-LTA file this one renews with a new document time-stamp (``signing.archive``).
    renews = models.ForeignKey(
        "self", null=True, blank=True, on_delete=models.PROTECT, related_name="renewals"
    )
    created_at = models.DateTimeField(default=timezone.now, editable=False)

    class Meta:
        ordering = ["-created_at"]
        verbose_name = _("tệp đã ký")
        verbose_name_plural = _("tệp đã ký")

    def __str__(self):
        return self.name


class SignatureLevel(models.TextChoices):
    B_B = "B-B", "PAdES B-B"
    B_T = "B-T", "PAdES B-T"
    B_LT = "B-LT", "PAdES B-LT"
    B_LTA = "B-LTA", "PAdES B-LTA"


class SignatureRecord(models.Model):
    certificate = models.ForeignKey(
        Certificate, on_delete=models.PROTECT, related_name="signatures"
    )
    signer = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="signatures",
    )
    unit = models.ForeignKey(
        "org.Unit", null=True, blank=True, on_delete=models.SET_NULL, related_name="signatures"
    )
    signed_file = models.ForeignKey(
        SignedFile, null=True, blank=True, on_delete=models.PROTECT, related_name="signatures"
    )
    signed_at = models.DateTimeField(default=timezone.now)
    level = models.CharField(max_length=5, choices=SignatureLevel.choices)
    field_name = models.CharField(max_length=100)
    reason = models.CharField(max_length=255, blank=True)
    sha256 = models.CharField(_("SHA-256 của tệp sau khi ký"), max_length=64)

    class Meta:
        ordering = ["-signed_at"]
        verbose_name = _("lần ký số")
        verbose_name_plural = _("lần ký số")

    def __str__(self):
        return f"{self.certificate} · {self.signed_at:%d/%m/%Y %H:%M}"


class PendingSignature(models.Model):
    """A PDF prepared for an external signer (a token on an official's desk).

    The server keeps the prepared bytes and the attributes to be signed; the agent returns the
    raw signature over them; the server checks it against the certificate and embeds it.
    """

    certificate = models.ForeignKey(Certificate, on_delete=models.PROTECT, related_name="pending")
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL
    )
    prepared_pdf = models.BinaryField()
    signed_attributes = models.BinaryField()
    document_digest = models.BinaryField()
    region_start = models.PositiveBigIntegerField()
    region_end = models.PositiveBigIntegerField()
    field_name = models.CharField(max_length=100)
    reason = models.CharField(max_length=255, blank=True)
    level = models.CharField(max_length=5, choices=SignatureLevel.choices)
    #: The signer plugin that carries the request and what it needs to follow it (the remote
    #: service's transaction), and what the signature is for (``documents.sign:12``).
    method = models.CharField(max_length=30, blank=True)
    transaction_id = models.CharField(max_length=100, blank=True)
    purpose = models.CharField(max_length=100, blank=True)
    created_at = models.DateTimeField(default=timezone.now)
    completed_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at"]
        verbose_name = _("yêu cầu ký bằng thiết bị của người ký")
        verbose_name_plural = _("yêu cầu ký bằng thiết bị của người ký")

    def __str__(self):
        return f"{self.certificate} · {self.field_name}"


class SigningPolicy(models.Model):
    """An organisation's choice of the long-term validity level of its seal signatures."""

    unit = models.OneToOneField(
        "org.Unit",
        on_delete=models.CASCADE,
        related_name="signing_policy",
        verbose_name=_("cơ quan"),
    )
    level = models.CharField(_("mức chữ ký"), max_length=5, choices=SignatureLevel.choices)
    updated_at = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name = _("chính sách chữ ký số")
        verbose_name_plural = _("chính sách chữ ký số")

    def __str__(self):
        return f"{self.unit} · {self.level}"
