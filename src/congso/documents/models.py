"""Electronic documents (Decree 30/2020/NĐ-CP): outgoing and incoming documents of an organ, their
file versions, recipients with the status messages they send back, comments and work files.

``unit`` is always the organ (a people's committee: a locality) that owns the document: the issuer
of an outgoing document, the receiver of an incoming one. Files are never rewritten: every upload
and every signature is a new ``Version`` with its own SHA-256.
"""

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from congso.core import awaiting

from .lifecycle import IncomingState, OutgoingState


class Direction(models.TextChoices):
    OUTGOING = "outgoing", _("Văn bản đi")
    INCOMING = "incoming", _("Văn bản đến")


class DocumentType(models.TextChoices):
    """The 29 types of Decree 30/2020, appendix III; the value is the abbreviation used in the
    notation (``Đ`` and ``D`` differ: ĐA is a scheme, DA a project). Công văn and thư công have
    no abbreviation in the notation (``CV`` and ``THC`` are only keys)."""

    NQ = "NQ", _("Nghị quyết")
    QD = "QĐ", _("Quyết định")
    CT = "CT", _("Chỉ thị")
    QC = "QC", _("Quy chế")
    QYD = "QyĐ", _("Quy định")
    TC = "TC", _("Thông cáo")
    TB = "TB", _("Thông báo")
    HD = "HD", _("Hướng dẫn")
    CTR = "CTr", _("Chương trình")
    KH = "KH", _("Kế hoạch")
    PA = "PA", _("Phương án")
    DA = "ĐA", _("Đề án")
    DAN = "DA", _("Dự án")
    BC = "BC", _("Báo cáo")
    BB = "BB", _("Biên bản")
    TTR = "TTr", _("Tờ trình")
    HDG = "HĐ", _("Hợp đồng")
    CV = "CV", _("Công văn")
    CD = "CĐ", _("Công điện")
    BGN = "BGN", _("Bản ghi nhớ")
    BTT = "BTT", _("Bản thỏa thuận")
    GUQ = "GUQ", _("Giấy ủy quyền")
    GM = "GM", _("Giấy mời")
    GGT = "GGT", _("Giấy giới thiệu")
    GNP = "GNP", _("Giấy nghỉ phép")
    PG = "PG", _("Phiếu gửi")
    PC = "PC", _("Phiếu chuyển")
    PB = "PB", _("Phiếu báo")
    THC = "THC", _("Thư công")


class Secrecy(models.TextChoices):
    NORMAL = "", _("Thường")
    SECRET = "mat", _("Mật")
    TOP_SECRET = "toi_mat", _("Tối mật")
    ABSOLUTE = "tuyet_mat", _("Tuyệt mật")


#: One grading of urgency for documents and the inbox.
Urgency = awaiting.Urgency


class WorkFile(models.Model):
    """Hồ sơ công việc: documents of one matter, kept for a retention period."""

    unit = models.ForeignKey("org.Unit", on_delete=models.PROTECT, related_name="work_files")
    code = models.CharField(_("số, ký hiệu hồ sơ"), max_length=50)
    title = models.CharField(_("tiêu đề hồ sơ"), max_length=300)
    year = models.PositiveSmallIntegerField(_("năm"))
    retention_years = models.PositiveSmallIntegerField(
        _("thời hạn bảo quản (năm)"), null=True, blank=True, help_text=_("Để trống: vĩnh viễn.")
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["-year", "code"]
        verbose_name = _("hồ sơ công việc")
        verbose_name_plural = _("hồ sơ công việc")
        constraints = [
            models.UniqueConstraint(fields=["unit", "year", "code"], name="workfile_code_unique")
        ]

    def __str__(self):
        return f"{self.code} · {self.title}"


class Document(models.Model):
    direction = models.CharField(_("chiều"), max_length=10, choices=Direction.choices)
    unit = models.ForeignKey(
        "org.Unit", verbose_name=_("cơ quan"), on_delete=models.PROTECT, related_name="documents"
    )
    state = models.CharField(_("trạng thái"), max_length=20)
    revision = models.PositiveIntegerField(default=0)
    doc_type = models.CharField(_("loại văn bản"), max_length=5, choices=DocumentType.choices)
    subject = models.CharField(_("trích yếu"), max_length=500)
    body = models.TextField(_("nội dung"), blank=True)
    urgency = models.PositiveSmallIntegerField(
        _("độ khẩn"), choices=Urgency.choices, default=Urgency.NORMAL
    )
    secrecy = models.CharField(_("độ mật"), max_length=10, choices=Secrecy.choices, blank=True)
    page_count = models.PositiveIntegerField(_("số trang"), default=0)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now)
    # outgoing
    drafting_unit = models.ForeignKey(
        "org.Unit",
        verbose_name=_("đơn vị soạn thảo"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    signer = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("người ký"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    signer_position = models.CharField(_("chức vụ người ký"), max_length=200, blank=True)
    number = models.PositiveIntegerField(_("số"), null=True, blank=True)
    notation = models.CharField(_("số, ký hiệu"), max_length=60, blank=True)
    issued_on = models.DateField(_("ngày ban hành"), null=True, blank=True)
    place = models.CharField(_("địa danh"), max_length=100, blank=True)
    recipients_text = models.CharField(_("nơi nhận"), max_length=500, blank=True)
    #: groups chosen in one tick ("communes", "departments", "list:<pk>"), expanded at sending
    recipient_groups = models.JSONField(_("nhóm nơi nhận"), default=list, blank=True)
    replaces = models.ForeignKey(
        "self", null=True, blank=True, on_delete=models.SET_NULL, related_name="replaced_by"
    )
    # incoming
    arrival_number = models.PositiveIntegerField(_("số đến"), null=True, blank=True)
    received_at = models.DateTimeField(_("ngày đến"), null=True, blank=True)
    author = models.CharField(_("tác giả (cơ quan ban hành)"), max_length=300, blank=True)
    author_agency_id = models.CharField(max_length=13, blank=True)
    source = models.ForeignKey(
        "self",
        verbose_name=_("văn bản đi gốc"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="deliveries",
    )
    external_id = models.CharField(_("mã định danh văn bản"), max_length=120, blank=True)
    lead_unit = models.ForeignKey(
        "org.Unit", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    lead_user = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    coordinators = models.ManyToManyField("org.Unit", blank=True, related_name="+")
    due_on = models.DateField(_("hạn xử lý"), null=True, blank=True)
    done_at = models.DateTimeField(_("hoàn thành lúc"), null=True, blank=True)
    recall_requested = models.BooleanField(_("bên gửi đề nghị thu hồi"), default=False)
    # both
    work_file = models.ForeignKey(
        WorkFile, null=True, blank=True, on_delete=models.SET_NULL, related_name="documents"
    )
    text = models.TextField(_("nội dung trích xuất"), blank=True)
    search_text = models.TextField(blank=True, editable=False)

    class Meta:
        ordering = ["-created_at", "-pk"]
        verbose_name = _("văn bản")
        verbose_name_plural = _("văn bản")
        indexes = [models.Index(fields=["unit", "direction", "state"])]
        constraints = [
            models.UniqueConstraint(
                fields=["unit", "doc_type", "notation"],
                condition=models.Q(direction="outgoing") & ~models.Q(notation=""),
                name="document_notation_unique",
            ),
        ]

    def __str__(self):
        label = self.notation or self.get_doc_type_display()
        return f"{label} · {self.subject[:80]}"

    @property
    def is_outgoing(self) -> bool:
        return self.direction == Direction.OUTGOING

    @property
    def machine(self) -> str:
        """The key of its transition table in ``lifecycle.MACHINES``."""
        return "outgoing" if self.is_outgoing else "incoming"

    @property
    def state_label(self) -> str:
        states = OutgoingState if self.is_outgoing else IncomingState
        return states(self.state).label if self.state in states.values else self.state

    def current_version(self):
        return self.versions.order_by("-number").first()


class VersionKind(models.TextChoices):
    #: the drafter's Word file, kept as uploaded; the draft PDF beside it is laid out from it
    SOURCE = "source", _("Bản gốc soạn thảo (DOCX)")
    DRAFT = "draft", _("Dự thảo")
    PERSONAL_SIGNED = "personal_signed", _("Đã ký số cá nhân")
    ISSUED = "issued", _("Bản phát hành (chữ ký số cơ quan)")
    RECEIVED = "received", _("Bản nhận")
    ATTACHMENT = "attachment", _("Tài liệu xử lý")


class Version(models.Model):
    document = models.ForeignKey(Document, on_delete=models.CASCADE, related_name="versions")
    number = models.PositiveIntegerField()
    kind = models.CharField(max_length=20, choices=VersionKind.choices)
    name = models.CharField(max_length=255)
    content_type = models.CharField(max_length=100, default="application/pdf")
    file = models.FileField(upload_to="documents/%Y/%m/", max_length=255)
    sha256 = models.CharField(max_length=64)
    size = models.PositiveIntegerField(default=0)
    signed_file = models.ForeignKey(
        "signing.SignedFile", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["document", "number"]
        constraints = [
            models.UniqueConstraint(
                fields=["document", "number"], name="document_version_number_unique"
            )
        ]

    def __str__(self):
        return f"{self.name} (v{self.number})"

    def read(self) -> bytes:
        with self.file.open("rb") as handle:
            return handle.read()


class RecipientList(models.Model):
    """A unit's saved list of recipients ("Các xã ven biển"), chosen again in one tick."""

    unit = models.ForeignKey(
        "org.Unit", verbose_name=_("cơ quan"), on_delete=models.CASCADE, related_name="+"
    )
    name = models.CharField(_("tên danh sách"), max_length=200)
    members = models.ManyToManyField("org.Unit", verbose_name=_("nơi nhận"), related_name="+")

    class Meta:
        verbose_name = _("danh sách nơi nhận")
        verbose_name_plural = _("danh sách nơi nhận")
        constraints = [
            models.UniqueConstraint(fields=["unit", "name"], name="recipient_list_unique_name")
        ]

    def __str__(self):
        return self.name


class Recipient(models.Model):
    """A recipient of an outgoing document: a unit on the platform or an external organ."""

    document = models.ForeignKey(Document, on_delete=models.CASCADE, related_name="recipients")
    unit = models.ForeignKey(
        "org.Unit", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    name = models.CharField(_("tên cơ quan nhận"), max_length=300)
    agency_id = models.CharField(_("mã định danh"), max_length=13, blank=True)
    email = models.EmailField(_("thư điện tử"), blank=True)
    delivered = models.ForeignKey(
        Document, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    status = models.CharField(_("trạng thái xử lý"), max_length=2, blank=True)
    package = models.FileField(upload_to="documents/edxml/%Y/%m/", blank=True, max_length=255)

    class Meta:
        ordering = ["document", "pk"]

    def __str__(self):
        return self.name


class StatusEntry(models.Model):
    """A status message (edXML 01–06, 13, 15, 16) about one delivery, as received or sent."""

    recipient = models.ForeignKey(Recipient, on_delete=models.CASCADE, related_name="statuses")
    code = models.CharField(max_length=2)
    at = models.DateTimeField(default=timezone.now)
    description = models.CharField(max_length=300, blank=True)
    staff_name = models.CharField(max_length=150, blank=True)

    class Meta:
        ordering = ["recipient", "at", "pk"]


class Comment(models.Model):
    document = models.ForeignKey(Document, on_delete=models.CASCADE, related_name="comments")
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    action = models.CharField(max_length=30, blank=True)
    text = models.TextField()
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["document", "created_at", "pk"]


class ExchangeMessage(models.Model):
    """One edXML message through the exchange axis (outbox and inbox), idempotent on its
    message ID: sent with retries, and every package or status received is kept here."""

    class Direction(models.TextChoices):
        OUT = "out", _("Gửi đi")
        IN = "in", _("Nhận về")

    class Kind(models.TextChoices):
        PACKAGE = "edoc", _("Gói văn bản")
        STATUS = "status", _("Thông điệp trạng thái")

    class State(models.TextChoices):
        PENDING = "pending", _("Chờ gửi")
        SENT = "sent", _("Đã gửi lên trục")
        FAILED = "failed", _("Gửi không thành công")
        RECEIVED = "received", _("Đã nhận, chờ vào sổ")
        PROCESSED = "processed", _("Đã xử lý")
        REFUSED = "refused", _("Không đọc được")

    direction = models.CharField(max_length=3, choices=Direction.choices)
    message_id = models.CharField(_("mã thông điệp"), max_length=64)
    kind = models.CharField(max_length=6, choices=Kind.choices)
    state = models.CharField(max_length=9, choices=State.choices, db_index=True)
    from_organ = models.CharField(_("cơ quan gửi"), max_length=64)
    to_organ = models.CharField(_("cơ quan nhận"), max_length=64)
    unit = models.ForeignKey(
        "org.Unit", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    edxml_id = models.CharField(_("mã văn bản edXML"), max_length=255, blank=True)
    recipient = models.ForeignKey(
        Recipient, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    document = models.ForeignKey(
        Document, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    payload = models.BinaryField()
    attempts = models.PositiveSmallIntegerField(default=0)
    next_attempt_at = models.DateTimeField(null=True, blank=True)
    last_error = models.CharField(max_length=500, blank=True)
    created_at = models.DateTimeField(default=timezone.now)
    done_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["created_at", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["direction", "message_id", "to_organ"], name="documents_exchange_once"
            )
        ]

    def __str__(self):
        return f"{self.direction} {self.kind} {self.message_id}"


class DocumentCopy(models.Model):
    """A copy of an issued document (SAO Y, SAO LỤC, TRÍCH SAO; Decree 30, art. 25): its own
    number in the organ's register of copies, and its own file signed by the organ's seal."""

    document = models.ForeignKey(
        Document, on_delete=models.PROTECT, related_name="certified_copies"
    )
    unit = models.ForeignKey("org.Unit", on_delete=models.PROTECT, related_name="+")
    kind = models.CharField(_("hình thức sao"), max_length=2)
    year = models.PositiveSmallIntegerField()
    number = models.PositiveIntegerField(_("số bản sao"))
    notation = models.CharField(_("số, ký hiệu bản sao"), max_length=60)
    pages = models.CharField(_("trang được trích"), max_length=100, blank=True)
    signer_name = models.CharField(_("người ký bản sao"), max_length=200)
    signer_title = models.CharField(_("chức vụ người ký bản sao"), max_length=200)
    recipients_text = models.CharField(_("nơi nhận"), max_length=500, blank=True)
    signed_file = models.ForeignKey(
        "signing.SignedFile", on_delete=models.PROTECT, related_name="+"
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["-created_at"]
        verbose_name = _("bản sao văn bản")
        verbose_name_plural = _("bản sao văn bản")
        constraints = [
            models.UniqueConstraint(
                fields=["unit", "year", "number"], name="document_copy_number_unique"
            )
        ]

    def __str__(self):
        return self.notation


class Mailbox(models.Model):
    """An organ's official mailbox (thư điện tử công vụ) on the province's mail server, read over
    IMAP: messages sent to its document address become incoming mails for the clerk to register.
    The app password is sealed (``core.sealing``), never stored in the clear."""

    class Security(models.TextChoices):
        TLS = "tls", _("TLS (cổng 993)")
        STARTTLS = "starttls", _("STARTTLS (cổng 143)")
        NONE = "none", _("Không mã hoá (chỉ mạng nội bộ thử nghiệm)")

    class Auth(models.TextChoices):
        PASSWORD = "password", _("Mật khẩu ứng dụng")
        OAUTH2 = "oauth2", _("OAuth2 (chưa hỗ trợ)")

    unit = models.OneToOneField("org.Unit", on_delete=models.PROTECT, related_name="+")
    address = models.EmailField(_("địa chỉ nhận văn bản"))
    host = models.CharField(_("máy chủ IMAP"), max_length=255)
    port = models.PositiveIntegerField(_("cổng"), default=993)
    security = models.CharField(
        _("mã hoá kết nối"), max_length=10, choices=Security.choices, default=Security.TLS
    )
    auth = models.CharField(
        _("cách xác thực"), max_length=10, choices=Auth.choices, default=Auth.PASSWORD
    )
    username = models.CharField(_("tên đăng nhập"), max_length=255)
    password = models.CharField(max_length=500, blank=True, editable=False)
    folder = models.CharField(_("thư mục"), max_length=100, default="INBOX")
    active = models.BooleanField(_("đang dùng"), default=True)
    checked_at = models.DateTimeField(_("lần kiểm tra gần nhất"), null=True, blank=True)
    last_error = models.CharField(_("lỗi gần nhất"), max_length=500, blank=True)

    def __str__(self):
        return self.address


class MailMessage(models.Model):
    """One message of an official mailbox, kept once per (mailbox, UIDVALIDITY, UID): the
    ``.eml`` as received is the evidence; ``document`` is set when the clerk registers it."""

    class State(models.TextChoices):
        RECEIVED = "received", _("Chờ vào sổ")
        REGISTERED = "registered", _("Đã vào sổ")
        DISMISSED = "dismissed", _("Không vào sổ")
        IGNORED = "ignored", _("Không gửi tới địa chỉ nhận văn bản")

    mailbox = models.ForeignKey(Mailbox, on_delete=models.PROTECT, related_name="messages")
    uidvalidity = models.BigIntegerField()
    uid = models.BigIntegerField()
    message_id = models.CharField(max_length=300, blank=True)
    sender = models.CharField(_("người gửi"), max_length=300, blank=True)
    subject = models.CharField(_("tiêu đề"), max_length=500, blank=True)
    sent_at = models.DateTimeField(_("gửi lúc"), null=True, blank=True)
    authentication = models.TextField(_("kết quả xác thực (Authentication-Results)"), blank=True)
    attachments = models.JSONField(_("tệp đính kèm"), default=list, blank=True)
    eml = models.FileField(upload_to="documents/mail/%Y/%m/", max_length=255)
    sha256 = models.CharField(max_length=64)
    state = models.CharField(max_length=10, choices=State.choices, db_index=True)
    document = models.ForeignKey(
        Document, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    received_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["-received_at", "-pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["mailbox", "uidvalidity", "uid"], name="documents_mail_once"
            )
        ]

    def __str__(self):
        return f"{self.mailbox_id}/{self.uidvalidity}/{self.uid}"
