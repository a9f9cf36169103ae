"""Dossiers of the inter-connected one-stop shop and everything that happens to them.

Status changes and hand-overs are appended (``Event``, ``HandOver``), never edited: together they
are the process control sheet. The dossier row holds only the current state, guarded by
``revision`` so two officials acting at once cannot both win.
"""

import hashlib

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from congso.catalog.choices import Channel, CopyKind

from .choices import ResultDelivery as ResultDelivery
from .lifecycle import NATIONAL_CODE, Actor, State
from .rules import Timeliness


class ApplicantKind(models.TextChoices):
    CITIZEN = "citizen", _("Công dân")
    ENTERPRISE = "enterprise", _("Doanh nghiệp")
    STATE_BODY = "state_body", _("Cơ quan nhà nước")
    OTHER = "other", _("Tổ chức khác")


class Dossier(models.Model):
    code = models.CharField(_("mã hồ sơ"), max_length=40, unique=True)
    procedure = models.ForeignKey(
        "catalog.Procedure",
        verbose_name=_("thủ tục"),
        on_delete=models.PROTECT,
        related_name="dossiers",
    )
    version = models.ForeignKey(
        "catalog.ProcedureVersion", on_delete=models.PROTECT, related_name="dossiers"
    )
    # the two units, the state, the ID number and the phone are indexed in ``Meta.indexes``: a
    # unit leads a composite index (an index of the column alone duplicated its first column),
    # and a text column indexed there gets no second, ``LIKE`` index no query uses — every
    # index is written with each dossier and built again by a bulk load (issue 16)
    receiving_unit = models.ForeignKey(
        "org.Unit",
        verbose_name=_("nơi tiếp nhận"),
        on_delete=models.PROTECT,
        related_name="received_dossiers",
        db_index=False,
    )
    current_unit = models.ForeignKey(
        "org.Unit",
        verbose_name=_("đơn vị đang xử lý"),
        on_delete=models.PROTECT,
        related_name="current_dossiers",
        db_index=False,
    )
    state = models.CharField(
        _("trạng thái"), max_length=24, choices=State.choices, default=State.NEW
    )
    channel = models.CharField(_("kênh nộp"), max_length=10, choices=Channel.choices)
    applicant = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("tài khoản người nộp"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="dossiers",
    )
    applicant_kind = models.CharField(
        _("loại người nộp"),
        max_length=12,
        choices=ApplicantKind.choices,
        default=ApplicantKind.CITIZEN,
    )
    applicant_name = models.CharField(_("họ tên người nộp"), max_length=200)
    applicant_id_number = models.CharField(_("số định danh"), max_length=12, blank=True)
    applicant_phone = models.CharField(_("điện thoại"), max_length=16, blank=True)
    applicant_email = models.EmailField(_("thư điện tử"), blank=True)
    applicant_address = models.CharField(_("địa chỉ"), max_length=300, blank=True)
    #: Read from the ID card's QR code at the desk (``accounts.cccd``) or typed; online, empty.
    applicant_birth_date = models.DateField(_("ngày sinh người nộp"), null=True, blank=True)
    applicant_sex = models.CharField(
        _("giới tính người nộp"),
        max_length=6,
        blank=True,
        choices=[("male", _("Nam")), ("female", _("Nữ"))],
    )
    applicant_id_issued_on = models.DateField(_("ngày cấp thẻ căn cước"), null=True, blank=True)
    form_data = models.JSONField(_("tờ khai"), default=dict, blank=True)
    result_delivery = models.CharField(
        _("hình thức nhận kết quả"),
        max_length=10,
        choices=ResultDelivery.choices,
        default=ResultDelivery.DESK,
    )
    fee_amount = models.PositiveIntegerField(_("phí, lệ phí"), default=0)
    filed_at = models.DateTimeField(_("thời điểm nộp"))
    received_at = models.DateTimeField(_("thời điểm tiếp nhận"), null=True, blank=True)
    due_at = models.DateTimeField(_("hẹn trả kết quả"), null=True, blank=True, db_index=True)
    #: The first due instant given at receipt; never changed afterwards (issue 15 contract).
    original_due_at = models.DateTimeField(_("hẹn trả ban đầu"), null=True, blank=True)
    #: The due instant by the rules: the original moved by the supplement clock (waiting for the
    #: applicant is not counted) but never by an apology; timeliness is judged against it.
    statutory_due_at = models.DateTimeField(
        _("hạn giải quyết theo quy định"), null=True, blank=True
    )
    rescheduled = models.BooleanField(_("đã hẹn lại ngày trả"), default=False)
    apologised_at = models.DateTimeField(_("thời điểm xin lỗi"), null=True, blank=True)
    #: The new date of the apology (form 04), recorded beside the original.
    apology_due_at = models.DateTimeField(_("ngày hẹn lại khi xin lỗi"), null=True, blank=True)
    #: Supplement requests issued; a second one counts the dossier late (Decree 118/2025/NĐ-CP).
    supplement_count = models.PositiveSmallIntegerField(_("số lần yêu cầu bổ sung"), default=0)
    clock_stopped_at = models.DateTimeField(null=True, blank=True)
    #: Working seconds left when the clock stopped (negative: already late by that much).
    remaining_seconds = models.IntegerField(null=True, blank=True)
    finished_at = models.DateTimeField(_("thời điểm có kết quả"), null=True, blank=True)
    returned_at = models.DateTimeField(_("thời điểm trả kết quả"), null=True, blank=True)
    timeliness = models.CharField(
        _("tiến độ"), max_length=10, choices=Timeliness.choices, blank=True
    )
    returned_to = models.CharField(_("người nhận kết quả"), max_length=200, blank=True)
    post_tracking = models.CharField(_("số vận đơn"), max_length=60, blank=True)
    search_text = models.TextField(editable=False, default="")
    revision = models.PositiveIntegerField(default=1)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-filed_at", "-id"]
        verbose_name = _("hồ sơ")
        verbose_name_plural = _("hồ sơ")
        indexes = [
            models.Index(fields=["current_unit", "state", "due_at"]),
            models.Index(fields=["receiving_unit", "filed_at"]),
            models.Index(fields=["state"], name="onestop_dossier_state"),
            # the lookup and the queue search compare whole values: no ``LIKE`` index
            models.Index(fields=["applicant_id_number"], name="onestop_dossier_id_number"),
            models.Index(fields=["applicant_phone"], name="onestop_dossier_phone"),
            # the lists' order: a page is read from the top of this index, however long the history
            models.Index(fields=["-filed_at", "-id"], name="onestop_dossier_newest"),
            # the register (form 07) and the raw figures of a period: received in it, in order of
            # receipt; the unit beside it lets the count read the index alone
            models.Index(fields=["received_at", "receiving_unit"], name="onestop_dossier_received"),
            # the dossiers open at an instant (the running period's snapshot, ``facts.open_at``):
            # not ended (NULL) or ended after it — two ranges of this index, not every row
            models.Index(fields=["finished_at", "receiving_unit"], name="onestop_dossier_open"),
        ]

    def __str__(self):
        return self.code

    @property
    def national_status(self) -> int:
        return NATIONAL_CODE[State(self.state)]


class DossierDocument(models.Model):
    """One item of the dossier: a required document ticked at the desk or uploaded online."""

    dossier = models.ForeignKey(Dossier, on_delete=models.CASCADE, related_name="documents")
    required_document = models.ForeignKey(
        "catalog.RequiredDocument", null=True, blank=True, on_delete=models.SET_NULL
    )
    name = models.CharField(_("tên giấy tờ"), max_length=1000)
    copy_kind = models.CharField(
        _("loại bản"), max_length=20, choices=CopyKind.choices, default=CopyKind.ORIGINAL
    )
    count = models.PositiveSmallIntegerField(_("số lượng"), default=1)
    file = models.FileField(_("tệp"), upload_to="dossiers/%Y/%m/", blank=True)
    sha256 = models.CharField(max_length=64, blank=True)
    content_type = models.CharField(max_length=100, blank=True)
    size = models.PositiveIntegerField(default=0)
    digitised = models.BooleanField(_("đã số hoá"), default=False)
    reused = models.BooleanField(_("tái sử dụng"), default=False)
    from_supplement = models.BooleanField(_("nộp bổ sung"), default=False)
    added_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["id"]

    def __str__(self):
        return self.name

    @staticmethod
    def digest(data: bytes) -> str:
        return hashlib.sha256(data).hexdigest()


class StepKind(models.TextChoices):
    MAIN = "main", _("Bước xử lý")
    CONSULTATION = "consultation", _("Lấy ý kiến phối hợp")


class StepState(models.TextChoices):
    PENDING = "pending", _("Chưa đến")
    ACTIVE = "active", _("Đang xử lý")
    DONE = "done", _("Đã xong")


class Step(models.Model):
    """One step of the dossier's plan, copied from the procedure's steps at receipt."""

    dossier = models.ForeignKey(Dossier, on_delete=models.CASCADE, related_name="steps")
    position = models.PositiveSmallIntegerField()
    kind = models.CharField(max_length=12, choices=StepKind.choices, default=StepKind.MAIN)
    name = models.CharField(_("bước"), max_length=500)
    actor = models.CharField(_("vai trò"), max_length=20, choices=Actor.choices)
    # unit and assignee lead the composite indexes of ``Meta.indexes``: no index of their own
    unit = models.ForeignKey(
        "org.Unit",
        verbose_name=_("đơn vị"),
        on_delete=models.PROTECT,
        related_name="dossier_steps",
        db_index=False,
    )
    assignee = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("người xử lý"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="dossier_steps",
        db_index=False,
    )
    amount = models.DecimalField(max_digits=6, decimal_places=1)
    time_unit = models.CharField(max_length=20)
    state = models.CharField(max_length=8, choices=StepState.choices, default=StepState.PENDING)
    started_at = models.DateTimeField(null=True, blank=True)
    due_at = models.DateTimeField(null=True, blank=True, db_index=True)
    finished_at = models.DateTimeField(null=True, blank=True)
    timeliness = models.CharField(max_length=10, choices=Timeliness.choices, blank=True)
    opinion = models.TextField(_("ý kiến"), blank=True)

    class Meta:
        ordering = ["dossier", "position", "id"]
        indexes = [
            models.Index(fields=["unit", "state"]),
            models.Index(fields=["assignee", "state"]),
            models.Index(fields=["unit", "dossier"]),
            # the "to process" and "to approve" queues and their counts: the active main steps
            # of an actor at the official's units, read from the index alone (the steps of open
            # dossiers only, however long the history)
            models.Index(
                fields=["actor", "unit", "dossier", "assignee"],
                condition=Q(state=StepState.ACTIVE, kind=StepKind.MAIN),
                name="onestop_step_active_main",
            ),
        ]

    def __str__(self):
        return f"{self.dossier.code} · {self.name}"


class DossierAccess(models.Model):
    """A unit whose officials may see the dossier: every unit that received it, held it or had a
    step of it. Visibility as data: a list asks "dossiers with a row for my units" on one
    indexed table instead of an OR over the dossier's units and a sub-select on its steps, which
    PostgreSQL answers by hashing every step of the unit's whole history. Written by the one-stop
    service in the transaction that receives, plans, routes or reorganises the dossier; rows are
    only added (a unit that once held the dossier keeps seeing it)."""

    # indexed by the two composite indexes below, not one column each
    dossier = models.ForeignKey(
        Dossier, on_delete=models.CASCADE, related_name="access", db_index=False
    )
    unit = models.ForeignKey("org.Unit", on_delete=models.PROTECT, related_name="+", db_index=False)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["dossier", "unit"], name="onestop_access_once")
        ]
        indexes = [models.Index(fields=["unit", "dossier"], name="onestop_access_unit")]


class HandOver(models.Model):
    """A row of the process control sheet (form 06): who handed the dossier to whom, when, and
    whether the giver's step finished early, on time or late."""

    dossier = models.ForeignKey(Dossier, on_delete=models.CASCADE, related_name="hand_overs")
    step = models.ForeignKey(Step, null=True, blank=True, on_delete=models.SET_NULL)
    from_user = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    from_unit = models.ForeignKey("org.Unit", null=True, on_delete=models.PROTECT, related_name="+")
    to_user = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    to_unit = models.ForeignKey("org.Unit", null=True, on_delete=models.PROTECT, related_name="+")
    at = models.DateTimeField()
    timeliness = models.CharField(max_length=10, choices=Timeliness.choices, blank=True)
    note = models.TextField(blank=True)

    class Meta:
        ordering = ["at", "id"]


class Event(models.Model):
    """The dossier's history: every transition, appended in order."""

    dossier = models.ForeignKey(Dossier, on_delete=models.CASCADE, related_name="events")
    transition = models.CharField(max_length=40)
    from_state = models.CharField(max_length=24, blank=True)
    to_state = models.CharField(max_length=24)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    actor_name = models.CharField(max_length=200)
    at = models.DateTimeField(db_index=True)
    note = models.TextField(blank=True)
    data = models.JSONField(default=dict, blank=True)

    class Meta:
        ordering = ["at", "id"]


class SupplementRequest(models.Model):
    """Form 02: what the applicant must add or correct, item by item."""

    dossier = models.ForeignKey(Dossier, on_delete=models.CASCADE, related_name="supplements")
    items = models.JSONField(default=list)
    reason = models.TextField()
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    requested_at = models.DateTimeField()
    answered_at = models.DateTimeField(null=True, blank=True)
    #: Why guidance was not complete the first time (required from the second request on).
    repeat_reason = models.TextField(blank=True)

    class Meta:
        ordering = ["requested_at", "id"]


class ClockChange(models.Model):
    """The dossier's clock as it became at ``at``: one row at receipt and one at each change
    (supplement or payment stop, resume or restart, a further request, an apology's new date).
    Written by ``services.record_clock`` in the transaction of the change. A period that has
    ended is judged by the clock as it stood at its end (``timeliness.as_at``; portal formula
    2.1: an open dossier is judged at the report's cut-off by its state then), which the
    dossier's own fields — the clock now — cannot say once it has moved again."""

    dossier = models.ForeignKey(Dossier, on_delete=models.CASCADE, related_name="clock_changes")
    at = models.DateTimeField()
    #: The due instant judged against (``timeliness.judged_due``) as it became.
    statutory_due_at = models.DateTimeField(null=True, blank=True)
    #: The due instant given to the applicant (the apology's date after one).
    due_at = models.DateTimeField(null=True, blank=True)
    stopped_at = models.DateTimeField(null=True, blank=True)
    supplement_count = models.PositiveSmallIntegerField(default=0)

    class Meta:
        ordering = ["dossier", "at", "id"]
        indexes = [models.Index(fields=["dossier", "at"])]

    #: The dossier fields a change copies; a change of any of them is recorded.
    FIELDS = (
        "statutory_due_at",
        "original_due_at",
        "due_at",
        "clock_stopped_at",
        "supplement_count",
    )

    @staticmethod
    def state(dossier: Dossier) -> tuple:
        """What the dossier's clock holds now (compared before and after a change)."""
        return tuple(getattr(dossier, name) for name in ClockChange.FIELDS)

    @classmethod
    def of(cls, dossier: Dossier, at) -> "ClockChange":
        """The (unsaved) row saying the dossier's clock became what it holds at ``at``."""
        from .timeliness import judged_due  # timeliness reads this model

        return cls(
            dossier=dossier,
            at=at,
            statutory_due_at=judged_due(
                dossier.statutory_due_at, dossier.original_due_at, dossier.due_at
            ),
            due_at=dossier.due_at,
            stopped_at=dossier.clock_stopped_at,
            supplement_count=dossier.supplement_count,
        )


class Result(models.Model):
    """The result issued (decision, certificate, licence). The signed file is never rewritten."""

    dossier = models.OneToOneField(Dossier, on_delete=models.CASCADE, related_name="result")
    title = models.CharField(_("tên kết quả"), max_length=300)
    file = models.FileField(upload_to="results/%Y/%m/")
    sha256 = models.CharField(max_length=64)
    signed = models.BooleanField(_("đã ký số"), default=False)
    #: The signed original (signing app), stored beside the draft with its own SHA-256.
    signed_file = models.ForeignKey(
        "signing.SignedFile",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("bản đã ký số"),
    )
    unsigned_reason = models.CharField(_("lý do chưa ký số"), max_length=300, blank=True)
    #: The leader whose personal signature the approved result waits for (the procedure asks
    #: for it, ``ProcedureVersion.result_signed_by_leader``); empty once he has signed.
    awaiting_signer = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("chờ chữ ký của"),
    )
    generated = models.BooleanField(_("sinh từ mẫu"), default=False)
    #: The result templates drafted (``result_templates``), the main document first.
    templates = models.JSONField(_("mẫu kết quả"), default=list, blank=True)
    #: The bound fields as drafted and corrected: ``{key: value}`` (labels in ``labels``).
    values = models.JSONField(_("nội dung kết quả"), default=dict, blank=True)
    labels = models.JSONField(default=dict, blank=True)
    note = models.TextField(_("ghi chú trên kết quả"), blank=True)
    #: Each correction made to the draft: key, label, old, new, reason, who, when.
    corrections = models.JSONField(_("các lần sửa dự thảo"), default=list, blank=True)
    #: The register entry allocated at issue: name, book, page, number, notation.
    register = models.JSONField(_("số đăng ký"), default=dict, blank=True)
    issued_at = models.DateTimeField(_("thời điểm ban hành"), null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )


class DeclarationRevision(models.Model):
    """One entry or correction of the declaration (``Dossier.form_data``) by the desk: who, when,
    why, and the declaration before and after. The first revision's ``before`` is what the
    citizen filed, so the original is never lost."""

    dossier = models.ForeignKey(
        Dossier, on_delete=models.CASCADE, related_name="declaration_revisions"
    )
    before = models.JSONField(_("tờ khai trước khi sửa"), default=dict, blank=True)
    after = models.JSONField(_("tờ khai sau khi sửa"), default=dict)
    reason = models.TextField(_("lý do"))
    by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    by_name = models.CharField(_("người sửa"), max_length=200)
    at = models.DateTimeField(_("thời điểm"))

    class Meta:
        ordering = ["at", "id"]
        verbose_name = _("lần sửa tờ khai")
        verbose_name_plural = _("các lần sửa tờ khai")


class PortalSyncMessage(models.Model):
    """One revision of a dossier's national record in the outbox to the national portal: sent
    once (idempotent on dossier code + revision at the portal), retried with back-off."""

    class State(models.TextChoices):
        PENDING = "pending", _("Chờ gửi")
        SENT = "sent", _("Đã gửi")
        FAILED = "failed", _("Gửi không thành công")
        #: the portal answered and would not take this revision (``answer_message`` says why)
        REFUSED = "refused", _("Cổng từ chối")

    dossier = models.ForeignKey(Dossier, on_delete=models.CASCADE, related_name="portal_sync")
    dossier_code = models.CharField(max_length=40)
    revision = models.PositiveIntegerField()
    record = models.JSONField()
    state = models.CharField(max_length=10, choices=State.choices, default=State.PENDING)
    attempts = models.PositiveSmallIntegerField(default=0)
    next_attempt_at = models.DateTimeField(null=True, blank=True)
    last_error = models.CharField(max_length=500, blank=True)
    #: the end of the change window this revision was collected for (the next run's start)
    collected_until = models.DateTimeField()
    created_at = models.DateTimeField(auto_now_add=True)
    sent_at = models.DateTimeField(null=True, blank=True)
    #: The portal's answer to the push: its ``error_code`` ("00": accepted), its message and
    #: when it came. ``sent`` means accepted — what criterion 1.4 counts.
    answer_code = models.CharField(max_length=10, blank=True)
    answer_message = models.CharField(max_length=500, blank=True)
    answered_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["dossier_code", "revision"], name="portal_sync_code_revision"
            )
        ]
        indexes = [models.Index(fields=["state", "next_attempt_at"])]


class QueueCount(models.Model):
    """How many open dossiers wait in one work queue at one unit (for one assignee): the desk
    page reads its tab counts here, one short indexed query, instead of counting dossiers. Kept by
    the one-stop service in the transaction that creates or moves a dossier
    (``queue_counts.shift``) and checked every night against a recount (``queue_counts.reconcile``).
    ``assignee_id`` is the user a specialist step is assigned to, 0 for anyone at the unit."""

    queue = models.CharField(max_length=20)
    unit = models.ForeignKey("org.Unit", on_delete=models.CASCADE, related_name="+")
    assignee_id = models.IntegerField(default=0)
    count = models.IntegerField(default=0)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["queue", "unit", "assignee_id"], name="onestop_queue_count_once"
            )
        ]

    def __str__(self):
        return f"{self.queue} · {self.unit_id} · {self.assignee_id}: {self.count}"
