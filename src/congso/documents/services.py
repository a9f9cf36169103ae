"""The only code that changes documents. Every change: one transaction, the revision checked, the
lifecycle gate passed, an audit record written.

Outgoing: draft (upload or composed) → review → the signer's personal PAdES signature → the clerk
issues: number and notation from a gap-free counter, the organisation's seal signature on a new
file (the personal-signed file stays as it is), then dispatch: platform units receive the document
at once in their incoming register; external organs get an edXML package and an e-mail.
Incoming: registered with a gap-free arrival number and acknowledged (status 03) the same day →
presented → assigned with a due date in working days → handled → done; each step is reported to the
sending platform unit as a status message.
"""

import datetime as dt
import email
import email.policy
from dataclasses import dataclass, field

from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.db import transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _

from congso.accounts import permissions
from congso.core import audit
from congso.core.awaiting import Outcome, names
from congso.core.periods import local_midnight
from congso.core.text import fold
from congso.core.uploads import DOCX, JPEG, PDF, PNG, XML, check_content, check_file, inert
from congso.notify import work
from congso.org.models import LOCALITY_KINDS, Unit

from . import awaiting as document_awaiting
from . import drafts, lifecycle, numbering, recipients, signers
from .lifecycle import IncomingState, OutgoingState, TransitionRefused
from .models import (
    Comment,
    Direction,
    Document,
    DocumentType,
    Recipient,
    Secrecy,
    StatusEntry,
    Version,
    VersionKind,
    WorkFile,
)

#: edXML status codes (QCVN 102:2016) sent back for each incoming transition.
#: What a document's version may be: the scans and PDFs of the register, a Word source.
VERSION_TYPES = (PDF, JPEG, PNG, DOCX)

STATUS_FOR_TRANSITION = {
    "refuse": "02",
    "assign": "04",
    "start": "05",
    "finish": "06",
    "agree_recall": "15",
}


class Conflict(Exception):
    """Someone changed the document since the caller looked at it."""


# ---------------------------------------------------------------- visibility


def visible_documents(user):
    """Documents of the organs where ``user`` may view documents (their own commune only)."""
    if user is not None and user.is_authenticated and user.is_superuser:
        return Document.objects.all()
    scope = permissions.acting_units(user, lifecycle.VIEW)
    offices = scope.exclude(kind__in=LOCALITY_KINDS).values("parent_id")
    return Document.objects.filter(Q(unit__in=scope) | Q(unit__in=offices))


def registered_file(user, notation: str) -> tuple[str, str, bytes] | None:
    """``(subject, file name, content)`` of the newest file of the document numbered
    ``notation`` (``12/QĐ-UBND``) that ``user`` may see — an issued document's seal-signed PDF,
    an incoming one as received. How another area (a meeting's documents) attaches a registered
    document without reading this app's tables; None when there is no such document."""
    notation = (notation or "").strip()
    if not notation:
        return None
    document = (
        visible_documents(user)
        .filter(Q(notation=notation) | Q(notation=notation.upper()))  # notations are upper case
        .order_by("-issued_on", "-received_at", "-pk")
        .first()
    )
    version = document.current_version() if document else None
    if version is None:
        return None
    return document.subject, version.name, version.read()


def viewable_organs(user):
    """Organs (localities) whose documents ``user`` reads: oversight reaches the subtree."""
    scope = permissions.acting_units(user, lifecycle.VIEW)
    return Unit.objects.filter(
        Q(pk__in=scope.filter(kind__in=LOCALITY_KINDS))
        | Q(pk__in=scope.exclude(kind__in=LOCALITY_KINDS).values("parent_id"))
    ).order_by("path")


def organs_for(user, permission: str):
    """Organs ``user`` acts for in ``permission`` (drafts, registers in their name): their own
    people's committee only, never a locality below."""
    return permissions.organs_for(user, permission).order_by("path")


def _require(user, permission: str, organ: Unit) -> None:
    if not permissions.acts_for(user, permission, organ):
        raise PermissionDenied(
            _("Bạn không có quyền thực hiện thao tác này tại %(organ)s.") % {"organ": organ}
        )


def refuse_secret(secrecy: str) -> None:
    """Secret documents stay on paper (Law on State Secrets Protection 2018; Decree 30 art. 1)."""
    if secrecy and secrecy != Secrecy.NORMAL:
        raise ValidationError(
            {
                "secrecy": _(
                    "Văn bản có độ mật (%(level)s) không được xử lý trên hệ thống; hãy xử lý "
                    "bằng bản giấy theo quy định bảo vệ bí mật nhà nước."
                )
                % {"level": Secrecy(secrecy).label}
            },
            code="secret",
        )


def _index(document: Document) -> None:
    document.search_text = fold(
        " ".join(
            [
                document.notation,
                document.get_doc_type_display(),
                document.subject,
                document.author,
                document.recipients_text,
                document.body,
                document.text,
            ]
        )
    )


def _page_count(data: bytes) -> int:
    import io

    from pyhanko.pdf_utils.reader import PdfFileReader

    try:
        return int(PdfFileReader(io.BytesIO(data), strict=False).root["/Pages"]["/Count"])
    except Exception:  # noqa: BLE001 - an image or a broken count simply has no page count
        return 0


def _add_version(document, data: bytes, *, name, kind, user, signed_file=None) -> Version:
    """A new version of ``document``: checked by content like every stored file (the type a
    sender declared is never kept) and stored under a name of its checked type."""
    checked = check_content(data, name, allowed=VERSION_TYPES)
    number = document.versions.order_by("-number").values_list("number", flat=True).first() or 0
    version = Version(
        document=document,
        number=number + 1,
        kind=kind,
        name=name[:255],
        content_type=checked.content_type,
        sha256=checked.sha256,
        size=checked.size,
        signed_file=signed_file,
        created_by=user,
    )
    version.file.save(
        f"{checked.sha256[:16]}.{checked.extension}", ContentFile(checked.data), save=False
    )
    version.save()
    if checked.content_type == PDF:
        document.page_count = _page_count(data) or document.page_count
    return version


def _schedule_text_extraction(version: Version) -> None:
    from . import tasks

    transaction.on_commit(lambda: tasks.extract_text.delay(version.pk))


# ---------------------------------------------------------------- outgoing: drafting


@dataclass
class ExternalRecipient:
    name: str
    agency_id: str = ""
    email: str = ""


@dataclass
class Draft:
    unit: Unit
    doc_type: str
    subject: str
    body: str = ""
    drafting_unit: Unit | None = None
    signer: object = None
    signer_position: str = ""
    place: str = ""
    urgency: int = 0
    secrecy: str = ""
    recipient_units: list = field(default_factory=list)
    #: groups chosen in one tick (``recipients.groups``), expanded when the document is sent
    recipient_groups: list = field(default_factory=list)
    external: list = field(default_factory=list)
    #: save the ticked recipient units as the organ's list of this name
    save_list_as: str = ""
    #: an issued document of the same organ this one replaces (edXML business type 3)
    replaces: Document | None = None


def create_outgoing(user, draft: Draft, *, upload=None) -> Document:
    """A new draft from an uploaded PDF or DOCX or, without one, composed in the Decree 30
    layout. The file is checked before anything is created."""
    refuse_secret(draft.secrecy)
    if draft.unit.kind not in LOCALITY_KINDS:
        raise ValidationError({"unit": _("Cơ quan ban hành phải là UBND tỉnh, huyện hoặc xã.")})
    _require(user, lifecycle.DRAFT, draft.unit)
    if draft.replaces is not None and (
        draft.replaces.unit_id != draft.unit.pk or draft.replaces.state != OutgoingState.ISSUED
    ):
        raise ValidationError(
            {"replaces": _("Chỉ thay thế văn bản đã phát hành của cùng cơ quan.")}
        )
    if draft.doc_type not in DocumentType.values:
        raise ValidationError({"doc_type": _("Loại văn bản không hợp lệ.")})
    if not draft.subject.strip():
        raise ValidationError({"subject": _("Cần nhập trích yếu văn bản.")})
    signer = signers.check_signer(draft.unit, draft.signer)
    groups = recipients.check(draft.unit, draft.recipient_groups)
    checked = drafts.check(upload) if upload else None
    with transaction.atomic():
        document = Document.objects.create(
            direction=Direction.OUTGOING,
            unit=draft.unit,
            state=OutgoingState.DRAFT,
            doc_type=draft.doc_type,
            subject=draft.subject.strip(),
            body=drafts.plain_text(checked.body) if checked and checked.body else draft.body,
            drafting_unit=draft.drafting_unit,
            signer=draft.signer,
            signer_position=draft.signer_position or (signer.title if signer else ""),
            recipient_groups=groups,
            place=draft.place or _default_place(draft.unit),
            urgency=draft.urgency,
            replaces=draft.replaces,
            created_by=user,
        )
        for unit in draft.recipient_units:
            Recipient.objects.create(
                document=document,
                unit=unit,
                name=unit.name,
                agency_id=unit.agency_id or "",
                email=unit.email,
            )
        for organ in draft.external:
            Recipient.objects.create(
                document=document, name=organ.name, agency_id=organ.agency_id, email=organ.email
            )
        if draft.save_list_as:
            recipients.save_list(draft.unit, draft.save_list_as, draft.recipient_units)
        named = [
            *recipients.labels(draft.unit, groups),
            *(r.name for r in document.recipients.all()),
        ]
        document.recipients_text = "; ".join(named)[:500]
        _add_draft_files(document, user, checked)
        _index(document)
        document.save()
        audit.record(
            "documents.drafted",
            document,
            unit_id=document.unit_id,
            data={
                "type": document.doc_type,
                "composed": checked is None,
                "docx": bool(checked and checked.body is not None),
            },
        )
    return document


def _add_draft_files(document: Document, user, upload: drafts.Upload | None) -> Version:
    """The draft's files; the PDF, the version that is signed, is always added last.

    An uploaded PDF is kept as it is. A DOCX is kept byte for byte as the editable original and
    its body laid out in the Decree 30 layout as the PDF. Without a file, the typed body is."""
    from . import compose

    if upload is None:
        pdf = compose.render(document)
        return _add_version(document, pdf, name="du-thao.pdf", kind=VersionKind.DRAFT, user=user)
    if upload.body is None:
        data, name = upload.file.data, upload.file.name
        return _add_version(document, data, name=name, kind=VersionKind.DRAFT, user=user)
    _add_version(
        document,
        upload.file.data,
        name=upload.file.name,
        kind=VersionKind.SOURCE,
        user=user,
    )
    pdf = compose.render(document, upload.body)
    return _add_version(document, pdf, name=upload.pdf_name, kind=VersionKind.DRAFT, user=user)


def _default_place(unit: Unit) -> str:
    name = unit.short_name or unit.name
    for prefix in ("UBND ", "Xã ", "Huyện ", "Tỉnh ", "Thị trấn "):
        name = name.removeprefix(prefix)
    return name


def add_version(document: Document, user, upload) -> Version:
    """A drafter's new file (PDF, or DOCX with the PDF laid out from it): a new version, the old
    ones kept. A DOCX's text becomes the body, so search finds what the draft says now."""
    checked = drafts.check(upload)
    with transaction.atomic():
        locked = Document.objects.select_for_update().get(pk=document.pk)
        if locked.state not in (OutgoingState.DRAFT, OutgoingState.IN_REVIEW):
            raise ValidationError(
                _("Chỉ thêm phiên bản khi văn bản còn là dự thảo hoặc chờ duyệt.")
            )
        _require(user, lifecycle.DRAFT, locked.unit)
        if checked.body is not None:
            locked.body = drafts.plain_text(checked.body)
            _index(locked)
        version = _add_draft_files(locked, user, checked)
        locked.revision += 1
        locked.save(update_fields=["revision", "page_count", "body", "search_text"])
        audit.record(
            "documents.version_added",
            locked,
            unit_id=locked.unit_id,
            data={"version": version.number, "sha256": version.sha256},
        )
    return version


def add_comment(document: Document, user, text: str, *, action: str = "") -> Comment:
    if not text.strip():
        raise ValidationError({"text": _("Cần nhập nội dung ý kiến.")})
    if not visible_documents(user).filter(pk=document.pk).exists():
        raise PermissionDenied(_("Bạn không có quyền với văn bản này."))
    with transaction.atomic():
        comment = Comment.objects.create(
            document=document, author=user, text=text.strip(), action=action
        )
        audit.record(
            "documents.commented", document, unit_id=document.unit_id, data={"comment": comment.pk}
        )
    return comment


# ---------------------------------------------------------------- the gate


#: What each step says it did; ``%(holders)s`` names who holds the document next.
DONE = {
    "submit": _("Đã trình %(holders)s duyệt."),
    "approve": _("Đã duyệt; chuyển %(holders)s ký số."),
    "sign": _("Đã ký số; chuyển %(holders)s cấp số và phát hành."),
    "issue": _("Đã cấp số %(notation)s và phát hành."),
    "return": _("Đã trả lại dự thảo cho %(holders)s sửa."),
    "cancel": _("Đã huỷ dự thảo."),
    "recall": _("Đã thu hồi văn bản."),
    "present": _("Đã trình %(holders)s phân công xử lý."),
    "refuse": _("Đã từ chối nhận văn bản."),
    "assign": _("Đã giao %(holders)s xử lý."),
    "start": _("Đã bắt đầu xử lý; văn bản nằm trong “Việc của tôi” đến khi hoàn thành."),
    "finish": _("Đã hoàn thành xử lý văn bản."),
    "agree_recall": _("Đã đồng ý thu hồi văn bản."),
}


def _said(document: Document, name: str, holders: list) -> str:
    text = DONE.get(name)
    if text is None:
        return _("Đã cập nhật văn bản.")
    if "%(holders)s" in text and not holders:
        return _(
            "Đã thực hiện “%(label)s”. Chưa có cán bộ nào của %(organ)s nhận bước tiếp theo."
        ) % {
            "label": lifecycle.MACHINES[document.machine].labels[name],
            "organ": document.unit,
        }
    return text % {"holders": names(holders), "notation": document.notation}


def tell_holders(document: Document, user=None) -> list:
    """The step's "event → recipients" hook: notify whoever ``document`` now waits for (the
    official who took the step excepted), in the step's transaction. Returns the holders."""
    holders = document_awaiting.holders(document)
    others = [holder for holder in holders if user is None or holder.user.pk != user.pk]
    work.tell_holders(
        others, document_awaiting.item(document), stamp=f"{document.state}:{document.revision}"
    )
    return holders


def outcome(document: Document, name: str) -> Outcome:
    """What step ``name`` just did to ``document`` and who holds it now, for a step taken in
    two requests (a signature confirmed on the phone)."""
    holders = document_awaiting.holders(document)
    return Outcome(_said(document, name, holders), tuple(holders), document)


def advance(
    document: Document, user, name: str, *, revision: int | None = None, **options
) -> Outcome:
    """Apply transition ``name`` and say what happened and who holds the document next (the
    flash message after the step). ``revision`` (what the caller saw) stops two people both
    winning: a stale one gets ``Conflict`` and nothing changes."""
    handler = HANDLERS.get(name, _plain)
    with transaction.atomic():
        locked = Document.objects.select_for_update().get(pk=document.pk)
        if revision is not None and locked.revision != revision:
            raise Conflict(_("Văn bản vừa được người khác cập nhật; hãy tải lại trang."))
        machine = locked.machine
        try:
            target = lifecycle.check(machine, locked.state, name, user=user, organ=locked.unit)
        except TransitionRefused as exc:
            raise ValidationError(str(exc), code="refused") from exc
        source = locked.state
        data = handler(locked, user, **options) or {}
        locked.state = target
        locked.revision += 1
        _index(locked)
        locked.save()
        if options.get("comment"):
            Comment.objects.create(
                document=locked, author=user, text=options["comment"], action=name
            )
        if not locked.is_outgoing and name in STATUS_FOR_TRANSITION:
            report_status(locked, STATUS_FOR_TRANSITION[name], user=user)
        audit.record(
            f"documents.{name}",
            locked,
            unit_id=locked.unit_id,
            data={"from": source, "to": target, **data},
        )
        holders = tell_holders(locked, user)
    return Outcome(_said(locked, name, holders), tuple(holders), locked)


def transition(
    document: Document, user, name: str, *, revision: int | None = None, **options
) -> Document:
    """``advance`` for callers that need only the document (the API, the tests)."""
    return advance(document, user, name, revision=revision, **options).subject


def _plain(document, user, **options):
    return {}


def _sign(document: Document, user, *, signed_pdf=None, **options):
    """The personal signature: ``signed_pdf`` made by the official's own signer (desk token or
    remote service, see ``start_signing``); the server never holds a person's key."""
    from congso.signing.services import store_signed_file

    if signed_pdf is None:
        raise ValidationError(
            _("Chữ ký cá nhân được tạo bằng token USB hoặc dịch vụ ký số từ xa của người ký."),
            code="own_signer_required",
        )
    signed = signed_pdf
    name = f"{document.pk}-ky-ca-nhan.pdf"
    stored = store_signed_file(signed, name=name)
    _add_version(
        document, signed, name=name, kind=VersionKind.PERSONAL_SIGNED, user=user, signed_file=stored
    )
    document.signer = user
    if not document.signer_position:
        position = user.positions.first()
        document.signer_position = position.title if position else ""
    return {"sha256": stored.sha256}


def signing_purpose(document: Document) -> str:
    """What a pending signature is for: this document's current version (a new version since
    the request was prepared makes the answer useless)."""
    return f"documents.sign:{document.pk}:{document.current_version().number}"


def start_signing(document: Document, user):
    """Begin the official's personal signature with their own signer (token at the desk or the
    CA's remote service): the draft is prepared, the signer asked; nothing changes on the
    document until ``finish_signing``. Returns ``(pending, step)`` (``signing.services``)."""
    from congso.signing.services import personal_certificate, start_signature

    try:
        lifecycle.check("outgoing", document.state, "sign", user=user, organ=document.unit)
    except TransitionRefused as exc:
        raise ValidationError(str(exc), code="refused") from exc
    certificate = personal_certificate(user)
    if certificate is None:
        raise ValidationError(_("Bạn chưa có chứng thư số cá nhân để ký văn bản."), code="no_key")
    return start_signature(
        document.current_version().read(),
        certificate=certificate,
        user=user,
        reason=_("Người ký văn bản"),
        purpose=signing_purpose(document),
    )


def finish_signing(document: Document, user, pending, *, signature: bytes | None = None):
    """Embed the signer's answer and record the signature (the ``sign`` transition); None while
    the official has not confirmed yet (``outcome`` says what it did)."""
    from congso.signing.services import collect_signature

    if pending.purpose != signing_purpose(document):
        raise ValidationError(_("Yêu cầu ký không thuộc văn bản này."), code="wrong_document")
    with transaction.atomic():
        signed = collect_signature(pending, user=user, signature=signature)
        if signed is None:
            return None
        return transition(document, user, "sign", signed_pdf=signed)


def _issue(document: Document, user, *, now=None, **options):
    """Number, seal signature and dispatch, all in the caller's transaction: a failure (no seal
    key, a broken file) rolls the number back, so the register has no hole."""
    from congso.signing.services import level_for, organisation_key, sign_pdf, store_signed_file

    now = timezone.localtime(now or timezone.now())
    key = organisation_key(document.unit)
    if key is None:
        raise ValidationError(
            _(
                "%(organ)s chưa có chứng thư số của cơ quan còn hiệu lực (chưa cấp, hết hạn "
                "hoặc đã bị thu hồi); chưa thể phát hành."
            )
            % {"organ": document.unit},
            code="no_seal",
        )
    series = document.doc_type
    document.number = numbering.next_outgoing(document.unit_id, now.year, series)
    drafting = document.drafting_unit.symbol if document.drafting_unit else ""
    document.notation = numbering.notation(
        document.number, document.doc_type, document.unit.symbol, drafting
    )
    document.issued_on = now.date()
    personal = document.versions.filter(kind=VersionKind.PERSONAL_SIGNED).order_by("-number")
    sealed = sign_pdf(
        personal.first().read(),
        key=key,
        reason=_("Phát hành văn bản"),
        location=document.place,
        signer_user=user,
        layout="seal",
        notation=document.notation,
        fill=header_at_issue(document),
        level=level_for(document.unit),
    )
    name = f"{document.unit.symbol or 'UBND'}-{document.number:02d}-{now.year}.pdf"
    stored = store_signed_file(sealed, name=name)
    _add_version(
        document, sealed, name=name, kind=VersionKind.ISSUED, user=user, signed_file=stored
    )
    dispatch(document, user, sealed, now=now)
    return {"number": document.number, "notation": document.notation, "sha256": stored.sha256}


def header_at_issue(document: Document) -> dict[str, str]:
    """What the clerk writes into the header at issue, before the organisation signs (Decree
    30, art. 15 and appendix I): the number and notation after ``Số:``, place and issue date."""
    from congso.signing.services import DATE_FIELD, NUMBER_FIELD

    from .compose import place_and_date

    return {
        NUMBER_FIELD: _("Số: %(notation)s") % {"notation": document.notation},
        DATE_FIELD: place_and_date(document.place, document.issued_on),
    }


def _recall(document: Document, user, **options):
    """Ask every recipient to delete the document (status 13); platform units see the request
    on their copy and agree (14)."""
    for recipient in document.recipients.all():
        _status(recipient, "13", staff_name=str(user))
        if recipient.delivered_id:
            Document.objects.filter(pk=recipient.delivered_id).update(recall_requested=True)
        elif recipient.agency_id:
            _external_package(document, recipient, business_type=1)
    return {"recipients": document.recipients.count()}


def _assign(
    document: Document,
    user,
    *,
    lead_unit=None,
    lead_user=None,
    coordinators=(),
    due_on=None,
    due_days=None,
    **options,
):
    from congso.worktime.deadlines import TimeUnit, due_at
    from congso.worktime.services import calendar_for

    if lead_unit is None:
        raise ValidationError({"lead_unit": _("Cần chọn đơn vị chủ trì xử lý.")})
    if due_on is None and due_days:
        start = timezone.now()
        due_on = timezone.localtime(
            due_at(calendar_for(document.unit), start, due_days, TimeUnit.WORKING_DAYS)
        ).date()
    if due_on is not None and due_on < timezone.localdate():
        raise ValidationError({"due_on": _("Hạn xử lý không được trước ngày hôm nay.")})
    document.lead_unit, document.lead_user, document.due_on = lead_unit, lead_user, due_on
    document.save()
    document.coordinators.set(coordinators)
    return {"lead_unit": lead_unit.pk, "due_on": due_on}


def _finish(document: Document, user, **options):
    document.done_at = timezone.now()
    return {}


def _agree_recall(document: Document, user, **options):
    if not document.recall_requested:
        raise ValidationError(_("Bên gửi chưa đề nghị thu hồi văn bản này."), code="no_recall")
    return {}


HANDLERS = {
    "sign": _sign,
    "issue": _issue,
    "recall": _recall,
    "assign": _assign,
    "finish": _finish,
    "agree_recall": _agree_recall,
}


# ---------------------------------------------------------------- dispatch and status


def dispatch(document: Document, user, data: bytes, *, now) -> None:
    """Platform units receive the document now; external organs get an edXML package. The
    recipient groups are expanded first, to the units in force today."""
    recipients.expand(document)
    for recipient in document.recipients.select_related("unit"):
        if recipient.unit_id:
            copy = _receive_copy(document, recipient.unit, data, user=user, now=now)
            recipient.delivered = copy
            recipient.save(update_fields=["delivered"])
            _status(recipient, "01", at=now)
            _status(recipient, "03", at=now, description=_("Đã vào sổ văn bản đến"))
        else:
            _external_package(document, recipient, business_type=3 if document.replaces_id else 0)
    if document.replaces_id:
        Document.objects.filter(source_id=document.replaces_id).update(recall_requested=True)


def _receive_copy(source: Document, organ: Unit, data: bytes, *, user, now) -> Document:
    copy = Document.objects.create(
        direction=Direction.INCOMING,
        unit=organ,
        state=IncomingState.REGISTERED,
        doc_type=source.doc_type,
        subject=source.subject,
        urgency=source.urgency,
        author=source.unit.name,
        author_agency_id=source.unit.agency_id or "",
        notation=source.notation,
        issued_on=source.issued_on,
        signer=source.signer,
        signer_position=source.signer_position,
        source=source,
        external_id=document_id(source),
        received_at=now,
        arrival_number=numbering.next_arrival(organ.pk, now.year),
        body=source.body,
        created_by=user,
    )
    _add_version(
        copy,
        data,
        name=f"{source.notation.replace('/', '-')}.pdf",
        kind=VersionKind.RECEIVED,
        user=user,
    )
    _index(copy)
    copy.save()
    tell_holders(copy)
    audit.record(
        "documents.received",
        copy,
        unit_id=organ.pk,
        data={"arrival_number": copy.arrival_number, "source": source.pk},
    )
    return copy


def document_id(document: Document) -> str:
    """edXML ``OrganId,yyyy/MM/dd,Notation``."""
    day = document.issued_on or timezone.localdate()
    return f"{document.unit.agency_id or ''},{day:%Y/%m/%d},{document.notation}"


def _status(
    recipient: Recipient, code: str, *, at=None, description="", staff_name=""
) -> StatusEntry:
    """Record a status; the recipient's current status is the latest by time, since messages
    from partners may be brought in out of order."""
    entry = StatusEntry.objects.create(
        recipient=recipient,
        code=code,
        at=at or timezone.now(),
        description=description[:300],
        staff_name=staff_name[:150],
    )
    latest = recipient.statuses.order_by("-at", "-pk").first()
    recipient.status = latest.code
    recipient.save(update_fields=["status"])
    return entry


def report_status(incoming: Document, code: str, *, user=None) -> None:
    """Tell the sender where its document stands: on the platform, on the outgoing copy's
    recipient row; for an edXML partner, a status message stored for transfer."""
    recipient = Recipient.objects.filter(delivered=incoming).first()
    if recipient is not None:
        _status(recipient, code, staff_name=str(user or ""))
        return
    if incoming.external_id and incoming.author_agency_id:
        from . import edxml
        from .exchange import services as exchange

        message = edxml.StatusMessage(
            document_id=incoming.external_id,
            sender=edxml.Organ(incoming.unit.agency_id or "", incoming.unit.name),
            recipient=edxml.Organ(incoming.author_agency_id, incoming.author),
            code=code,
            at=timezone.now(),
            staff_name=str(user or ""),
            document_code=incoming.notation,
            promulgated_on=incoming.issued_on,
        )
        data = edxml.build_status(message)
        path = f"documents/edxml/status/{incoming.pk}-{code}.xml"
        if default_storage.exists(path):
            default_storage.delete(path)
        default_storage.save(path, inert(data, path, allowed=(XML,)))
        exchange.enqueue(
            "status",
            data,
            from_organ=incoming.unit.agency_id or "",
            to_organ=incoming.author_agency_id,
            edxml_id=incoming.external_id[:255],
            unit=incoming.unit,
            document=incoming,
        )


def _external_package(document: Document, recipient: Recipient, *, business_type: int) -> None:
    from congso.notify.services import notify

    from . import edxml

    version = document.current_version()
    envelope = edxml.Envelope(
        document_id=document_id(document),
        sender=edxml.Organ(document.unit.agency_id or "", document.unit.name),
        recipients=[edxml.Organ(recipient.agency_id, recipient.name)],
        number=numbering.format_number(document.number or 0),
        notation=document.notation.split("/", 1)[-1],
        place=document.place,
        issued_on=document.issued_on or timezone.localdate(),
        document_type=document.get_doc_type_display(),
        subject=document.subject,
        signer_name=str(document.signer or ""),
        signer_position=document.signer_position,
        priority=document.urgency,
        page_count=document.page_count,
        business_type=business_type,
        replaces=document_id(document.replaces) if document.replaces_id else "",
    )
    package = edxml.build_package(
        envelope, [edxml.Attachment(version.name, version.content_type, version.read())]
    )
    recipient.package.save(
        f"{document.pk}-{recipient.pk}-{business_type}.edxml",
        inert(package, "goi.edxml", allowed=(XML,)),
        save=False,
    )
    recipient.save(update_fields=["package"])
    from .exchange import services as exchange

    exchange.enqueue(
        "edoc",
        package,
        from_organ=document.unit.agency_id or "",
        to_organ=recipient.agency_id,
        edxml_id=envelope.document_id[:255],
        unit=document.unit,
        recipient=recipient,
        document=document,
    )
    if recipient.email:
        notify(
            recipient.email,
            "documents.dispatched",
            {
                "notation": document.notation,
                "subject": document.subject,
                "organ": document.unit.name,
            },
            dedup_key=f"documents.dispatched:{recipient.pk}:{business_type}",
            attachments=[(version.name, version.read(), version.content_type)],
        )


#: A status message is a few hundred bytes; anything much larger is not one (callers read at
#: most one byte more than this from an upload).
STATUS_MAX_BYTES = 256 * 1024
_DISPATCHED = (OutgoingState.ISSUED, OutgoingState.RECALLED)


def import_status(user, data: bytes, *, document: Document | None = None) -> StatusEntry:
    """A status message (edXML) an external partner sent back through the exchange axis, brought
    in by the clerk of the issuing organ. It must name one of our issued documents (``document``
    when the clerk uploads it on that document's page) and come from one of its recipients
    outside the platform; the same message twice is refused, so nothing is counted twice."""
    from . import edxml

    if document is not None:
        _require(user, lifecycle.REGISTER, document.unit)
    elif not organs_for(user, lifecycle.REGISTER).exists():
        raise PermissionDenied(_("Bạn không có quyền nhập thông điệp trạng thái."))
    if len(data) > STATUS_MAX_BYTES:
        raise ValidationError(
            _("Tệp quá lớn để là thông điệp trạng thái edXML (tối đa %(limit)s KB).")
            % {"limit": STATUS_MAX_BYTES // 1024},
            code="too_big",
        )
    message = edxml.parse_status(data)
    outgoing = _status_document(message, document)
    _require(user, lifecycle.REGISTER, outgoing.unit)
    return _record_status(outgoing, message)


def receive_status(data: bytes) -> StatusEntry:
    """A status message the exchange axis delivered to the issuing organ: recorded as one the
    clerk brought in, by the platform itself (the axis authenticated the sender's system)."""
    from . import edxml

    message = edxml.parse_status(data)
    return _record_status(_status_document(message, None), message)


def _record_status(outgoing: Document, message) -> StatusEntry:
    with transaction.atomic():
        recipient = _status_sender(outgoing, message)
        if recipient.statuses.filter(code=message.code, at=message.at).exists():
            raise ValidationError(
                _("Thông điệp trạng thái này đã được nhập trước đó."), code="duplicate"
            )
        entry = _status(
            recipient,
            message.code,
            at=message.at,
            description=message.description,
            staff_name=message.staff_name,
        )
        audit.record(
            "documents.status_received",
            outgoing,
            unit_id=outgoing.unit_id,
            data={"code": message.code, "recipient": recipient.pk},
        )
    return entry


def _status_document(message, document: Document | None) -> Document:
    """The issued outgoing document a status message is about (by its edXML document ID)."""
    if document is not None:
        if document.state in _DISPATCHED and document_id(document) == message.document_id:
            return document
        raise ValidationError(
            _(
                "Thông điệp trạng thái này không phải của văn bản này: mã văn bản trong thông "
                "điệp là “%(id)s”."
            )
            % {"id": message.document_id},
            code="other_document",
        )
    candidates = Document.objects.filter(
        direction=Direction.OUTGOING,
        state__in=_DISPATCHED,
        notation=message.document_id.rsplit(",", 1)[-1],
    ).select_related("unit")
    found = next((d for d in candidates if document_id(d) == message.document_id), None)
    if found is None:
        raise ValidationError(
            _(
                "Không tìm thấy văn bản đi đã phát hành có mã “%(id)s” nêu trong thông điệp "
                "trạng thái."
            )
            % {"id": message.document_id},
            code="unknown_document",
        )
    return found


def _status_sender(outgoing: Document, message) -> Recipient:
    """The recipient outside the platform that sent the message, locked."""
    recipient = (
        outgoing.recipients.select_for_update()
        .filter(unit__isnull=True, agency_id=message.sender.agency_id)
        .exclude(agency_id="")
        .first()
    )
    if recipient is None:
        raise ValidationError(
            _(
                "Cơ quan gửi thông điệp (mã định danh “%(agency)s”) không có trong nơi nhận "
                "ngoài hệ thống của văn bản %(notation)s."
            )
            % {"agency": message.sender.agency_id, "notation": outgoing.notation},
            code="unknown_sender",
        )
    return recipient


# ---------------------------------------------------------------- incoming registration


@dataclass
class Arrival:
    unit: Unit
    doc_type: str
    subject: str
    author: str
    notation: str = ""
    issued_on: dt.date | None = None
    urgency: int = 0
    secrecy: str = ""
    author_agency_id: str = ""
    external_id: str = ""


def register_incoming(user, arrival: Arrival, files: list, *, now=None) -> Document:
    """Register an incoming document with the next arrival number of the organ's register and
    schedule OCR of its ``(name, bytes)`` files (the originals are never modified)."""
    refuse_secret(arrival.secrecy)
    _require(user, lifecycle.REGISTER, arrival.unit)
    if not arrival.subject.strip():
        raise ValidationError({"subject": _("Cần nhập trích yếu văn bản.")})
    if not arrival.author.strip():
        raise ValidationError({"author": _("Cần nhập cơ quan ban hành.")})
    if not files:
        raise ValidationError({"file": _("Cần tải lên tệp văn bản.")})
    now = timezone.localtime(now or timezone.now())
    with transaction.atomic():
        if (
            arrival.external_id
            and Document.objects.filter(
                unit=arrival.unit, direction=Direction.INCOMING, external_id=arrival.external_id
            ).exists()
        ):
            raise ValidationError(
                _("Văn bản này đã được vào sổ văn bản đến trước đó."), code="duplicate"
            )
        document = Document.objects.create(
            direction=Direction.INCOMING,
            unit=arrival.unit,
            state=IncomingState.REGISTERED,
            doc_type=arrival.doc_type if arrival.doc_type in DocumentType.values else "CV",
            subject=arrival.subject.strip(),
            author=arrival.author.strip(),
            author_agency_id=arrival.author_agency_id,
            notation=arrival.notation,
            issued_on=arrival.issued_on,
            urgency=arrival.urgency,
            external_id=arrival.external_id,
            received_at=now,
            arrival_number=numbering.next_arrival(arrival.unit.pk, now.year),
            created_by=user,
        )
        for name, data in files:
            version = _add_version(document, data, name=name, kind=VersionKind.RECEIVED, user=user)
            _schedule_text_extraction(version)
        _index(document)
        document.save()
        audit.record(
            "documents.registered",
            document,
            unit_id=document.unit_id,
            data={"arrival_number": document.arrival_number},
        )
        if arrival.external_id:
            report_status(document, "03", user=user)
    return document


def register_upload(user, arrival: Arrival, upload, *, now=None) -> Document:
    checked = check_file(upload)
    return register_incoming(user, arrival, [(checked.name, checked.data)], now=now)


def register_email(user, unit: Unit, message_bytes: bytes, *, doc_type="CV") -> Document:
    """A document received by e-mail: the .eml's first PDF or image attachment, its subject as
    the summary and its sender as the author (the clerk corrects the rest afterwards)."""
    message = email.message_from_bytes(message_bytes, policy=email.policy.default)
    files = []
    for part in message.iter_attachments():
        data = part.get_content() if part.get_content_maintype() != "text" else b""
        if isinstance(data, bytes) and data:
            checked = check_file(ContentFile(data, name=part.get_filename() or "tep-dinh-kem"))
            files.append((checked.name, checked.data))
    if not files:
        raise ValidationError({"file": _("Thư điện tử không có tệp PDF hoặc ảnh đính kèm.")})
    arrival = Arrival(
        unit=unit,
        doc_type=doc_type,
        subject=str(message["subject"] or ""),
        author=str(message["from"] or ""),
    )
    return register_incoming(user, arrival, files)


def import_package(user, unit: Unit, data: bytes) -> Document:
    """An edXML package from an external system: new (0), recall (1), update (2), replace (3).

    Whatever the package does, the caller must be allowed to register documents at ``unit``,
    and every attachment must pass the file checker, before anything is written or flagged."""
    from . import edxml

    _require(user, lifecycle.REGISTER, unit)
    package = edxml.parse_package(data)
    envelope = package.envelope
    files = [
        (a.name, check_content(a.data, a.name, allowed=VERSION_TYPES).data)
        for a in package.attachments
    ]
    existing = Document.objects.filter(
        unit=unit, direction=Direction.INCOMING, external_id=envelope.document_id
    ).first()
    if envelope.business_type == 1:
        if existing is None:
            raise ValidationError(_("Không tìm thấy văn bản đến cần thu hồi."))
        with transaction.atomic():
            Document.objects.filter(pk=existing.pk).update(recall_requested=True)
            audit.record("documents.recall_requested", existing, unit_id=unit.pk, data={})
        return existing
    if envelope.business_type == 2 and existing is not None:
        with transaction.atomic():
            for name, content in files:
                _add_version(existing, content, name=name, kind=VersionKind.RECEIVED, user=user)
            audit.record("documents.updated_by_sender", existing, unit_id=unit.pk, data={})
        return existing
    doc_type = next(
        (
            v
            for v, label in DocumentType.choices
            if fold(str(label)) == fold(envelope.document_type) or v == envelope.document_type
        ),
        "CV",
    )
    arrival = Arrival(
        unit=unit,
        doc_type=doc_type,
        subject=envelope.subject,
        author=envelope.sender.name,
        author_agency_id=envelope.sender.agency_id,
        notation=f"{envelope.number}/{envelope.notation}",
        issued_on=envelope.issued_on,
        urgency=min(envelope.priority, 3),
        external_id=envelope.document_id,
    )
    with transaction.atomic():
        document = register_incoming(user, arrival, files)
        if envelope.replaces:
            Document.objects.filter(
                unit=unit, direction=Direction.INCOMING, external_id=envelope.replaces
            ).update(recall_requested=True)
    return document


def attach(document: Document, user, upload) -> Version:
    """A handling attachment (report, draft reply) on an incoming document."""
    checked = check_file(upload)
    if not permissions.acts_for(user, lifecycle.HANDLE, document.unit):
        raise PermissionDenied(_("Bạn không có quyền xử lý văn bản này."))
    with transaction.atomic():
        version = _add_version(
            document,
            checked.data,
            name=checked.name,
            kind=VersionKind.ATTACHMENT,
            user=user,
        )
        audit.record(
            "documents.attached",
            document,
            unit_id=document.unit_id,
            data={"sha256": version.sha256},
        )
    return version


def store_text(version_id: int, text: str) -> None:
    """OCR result: a ``.txt`` beside the original file and the document's search text."""
    with transaction.atomic():
        version = Version.objects.select_related("document").get(pk=version_id)
        path = f"{version.file.name}.txt"
        if default_storage.exists(path):
            default_storage.delete(path)
        default_storage.save(path, ContentFile(text.encode()))
        document = Document.objects.select_for_update().get(pk=version.document_id)
        document.text = "\n".join(t for t in (document.text, text) if t)
        _index(document)
        document.save(update_fields=["text", "search_text"])
        audit.record(
            "documents.text_extracted",
            document,
            unit_id=document.unit_id,
            data={"version": version.number, "chars": len(text)},
        )


# ---------------------------------------------------------------- work files


def create_work_file(
    user, unit: Unit, *, code: str, title: str, year: int, retention_years: int | None
) -> WorkFile:
    _require(user, lifecycle.REGISTER, unit)
    if WorkFile.objects.filter(unit=unit, year=year, code=code).exists():
        raise ValidationError({"code": _("Số, ký hiệu hồ sơ này đã có trong năm.")})
    with transaction.atomic():
        work_file = WorkFile.objects.create(
            unit=unit,
            code=code,
            title=title,
            year=year,
            retention_years=retention_years,
            created_by=user,
        )
        audit.record("documents.work_file_created", work_file, unit_id=unit.pk, data={})
    return work_file


def file_document(user, document: Document, work_file: WorkFile | None) -> Document:
    if work_file is not None and work_file.unit_id != document.unit_id:
        raise ValidationError({"work_file": _("Hồ sơ công việc thuộc cơ quan khác.")})
    _require(user, lifecycle.VIEW, document.unit)
    with transaction.atomic():
        document.work_file = work_file
        document.save(update_fields=["work_file"])
        audit.record(
            "documents.filed",
            document,
            unit_id=document.unit_id,
            data={"work_file": work_file.pk if work_file else None},
        )
    return document


# --- Reorganisation of units (org's ``unit_retiring`` / ``unit_merged`` hooks) -----------------

#: Documents still being worked on: drafts not yet issued, incoming ones not yet handled.
OPEN_OUTGOING = [
    OutgoingState.DRAFT,
    OutgoingState.IN_REVIEW,
    OutgoingState.APPROVED,
    OutgoingState.SIGNED,
]
OPEN_INCOMING = [
    IncomingState.REGISTERED,
    IncomingState.PRESENTED,
    IncomingState.ASSIGNED,
    IncomingState.HANDLING,
]


def _open_documents():
    return Document.objects.filter(
        Q(direction=Direction.OUTGOING, state__in=OPEN_OUTGOING)
        | Q(direction=Direction.INCOMING, state__in=OPEN_INCOMING)
    )


def refuse_retirement_with_later_activity(sender, *, unit, successor, on, **kwargs) -> None:
    """A unit cannot end on a day before documents it drafted, registered or issued afterwards
    (Decree 30/2020/NĐ-CP: a register belongs to the organ that kept it on that day)."""
    after = local_midnight(on + dt.timedelta(days=1))
    later = Document.objects.filter(Q(unit=unit) | Q(drafting_unit=unit)).filter(
        Q(created_at__gte=after) | Q(received_at__gte=after) | Q(issued_on__gt=on)
    )
    if later.exists():
        raise ValidationError(
            _(
                "Đơn vị còn soạn thảo, tiếp nhận hoặc ban hành văn bản sau ngày %(day)s; không "
                "thể cho hết hiệu lực từ ngày đó."
            )
            % {"day": on.strftime("%d/%m/%Y")}
        )


def move_to_successor(sender, *, unit, successor, on, **kwargs) -> dict:
    """A merged unit's open documents continue at its successor: the organ, the drafting and
    the lead unit, the coordinating units and the recipients not yet sent to. Issued numbers,
    registers, versions and the status history keep the old unit (what happened)."""
    open_documents = _open_documents()
    moved = {
        "documents": open_documents.filter(unit=unit).update(unit=successor),
        "drafting": open_documents.filter(drafting_unit=unit).update(drafting_unit=successor),
        "lead": open_documents.filter(lead_unit=unit).update(lead_unit=successor),
        "recipients": Recipient.objects.filter(
            unit=unit, document__in=open_documents, delivered__isnull=True
        ).update(unit=successor),
    }
    links = Document.coordinators.through.objects
    coordinated = links.filter(unit_id=unit.pk, document__in=open_documents)
    ids = list(coordinated.values_list("document_id", flat=True))
    coordinated.delete()
    links.bulk_create(
        [links.model(document_id=pk, unit_id=successor.pk) for pk in ids], ignore_conflicts=True
    )
    moved["coordinators"] = len(ids)
    audit.record(
        "documents.reorganise",
        unit,
        unit_id=successor.pk,
        data={"successor": successor.pk, "on": on, **moved},
    )
    return moved
