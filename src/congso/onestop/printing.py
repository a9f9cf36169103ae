"""The one-stop forms of Circular 03/2025/TT-VPCP (regulations §1) as PDFs, and the register and
the period report as Excel workbooks.

Each form is built from what the models already hold — the dossier, its documents, the latest
supplement request, the hand-overs, and the note of the event that issued the form — so a form
printed again next year says exactly what it said the day it was issued. Forms 01–05 print on
A5, the control sheet on A4, the register on A4 landscape; the font stack puts Times New Roman
first and falls back to Liberation Serif (same metrics, Debian ``fonts-liberation2``).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from functools import partial
from itertools import islice
from typing import TYPE_CHECKING

import segno
from django.conf import settings
from django.db import models
from django.db.models import OuterRef, Subquery
from django.template.loader import render_to_string
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from congso.core import formatting, longpdf
from congso.core.spreadsheets import workbook
from congso.core.spreadsheets import write as write_workbook
from congso.org import services as org
from congso.org.choices import LOCALITY_KINDS

from . import timeliness
from .lifecycle import Actor, State
from .models import Dossier, Event, HandOver, Step, SupplementRequest
from .reports import KEYS, Period, Report, unit_ids
from .rules import Timeliness

if TYPE_CHECKING:
    from congso.org.models import Unit

FORM_TITLES = {
    "01": gettext_lazy("Giấy tiếp nhận hồ sơ và hẹn trả kết quả"),
    "02": gettext_lazy("Phiếu yêu cầu bổ sung, hoàn thiện hồ sơ"),
    "03": gettext_lazy("Phiếu từ chối tiếp nhận, giải quyết hồ sơ"),
    "04": gettext_lazy("Phiếu xin lỗi và hẹn lại ngày trả kết quả"),
    "05": gettext_lazy("Thông báo về việc dừng xử lý hồ sơ"),
    "06": gettext_lazy("Phiếu kiểm soát quá trình giải quyết hồ sơ"),
    "07": gettext_lazy("Sổ theo dõi hồ sơ"),
}
FORMS = tuple(FORM_TITLES)


class FormNotApplicable(Exception):
    """The dossier never reached the point where this form is issued (Vietnamese message)."""


# --- Shared pieces ----------------------------------------------------------------------------


def lookup_url(code: str) -> str:
    """The public status page the receipt's QR code points to."""
    return f"{settings.PUBLIC_URL}/lookup/?code={code}"


def qr_svg(url: str) -> str:
    """An inline SVG QR code; tests re-encode the expected URL and compare."""
    return segno.make(url, micro=False, error="m").svg_inline(scale=3)


def issuer(unit: Unit) -> tuple[str, str]:
    """The two top-left lines: the governing body, then the issuing unit (upper case).

    Decree 30/2020/NĐ-CP, annex I §II.3: a people's committee has no governing body above its
    name (``UBND XÃ NGHI LONG`` alone); an office inside one (a department, the one-stop desk)
    carries its people's committee's name on the line above."""
    if unit.kind in LOCALITY_KINDS:
        return "", unit.name.upper()
    return unit.locality().name.upper(), unit.name.upper()


#: Prefixes of a locality's short name that the place line leaves out (``Xã Nghi Long``).
_PLACE_PREFIXES = ("thị trấn ", "thành phố ", "thị xã ", "xã ", "phường ", "huyện ", "tỉnh ")


def place_name(unit: Unit) -> str:
    """The place of issue: the locality's proper name without its kind (``Nghi Long``)."""
    locality = unit.locality()
    name = (locality.short_name or locality.name).strip()
    if name.upper().startswith("UBND "):
        name = name[5:]
    for prefix in _PLACE_PREFIXES:
        if name.lower().startswith(prefix):
            return name[len(prefix) :].strip()
    return name


def date_line(place: str, day: dt.date) -> str:
    """``Nghi Long, ngày 05 tháng 3 năm 2026``.

    Decree 30/2020/NĐ-CP, annex I §II.5: days below 10 and the months January and February take
    a leading zero (``ngày 05``, ``tháng 01``, ``tháng 02``); other months do not (``tháng 3``,
    ``tháng 12``)."""
    month = f"{day.month:02d}" if day.month <= 2 else str(day.month)
    return _("%(place)s, ngày %(d)s tháng %(m)s năm %(y)d") % {
        "place": place,
        "d": f"{day.day:02d}",
        "m": month,
        "y": day.year,
    }


def place_and_date(unit: Unit, when: dt.datetime | dt.date) -> str:
    """The place-and-date line of a form issued by ``unit`` on ``when`` (local day)."""
    if isinstance(when, dt.datetime):
        when = timezone.localtime(when).date() if timezone.is_aware(when) else when.date()
    return date_line(place_name(unit), when)


def _event(dossier: Dossier, *names: str) -> Event | None:
    return dossier.events.filter(transition__in=names).order_by("-at", "-id").first()


def lead_unit(dossier: Dossier) -> Unit:
    """The organ that decides: the unit of the dossier's last leader step (the receiving unit
    for a dossier without a plan)."""
    step = (
        dossier.steps.filter(actor=Actor.LEADER)
        .select_related("unit")
        .order_by("-position")
        .first()
    )
    return step.unit.locality() if step else dossier.receiving_unit.locality()


def _base(dossier: Dossier, form: str, unit: Unit, when) -> dict:
    upper, lower = issuer(unit)
    return {
        "form": form,
        "title": FORM_TITLES[form],
        "dossier": dossier,
        "issuer_upper": upper,
        "issuer_lower": lower,
        "place_date": place_and_date(unit, when) if when else "",
        "page": "A4" if form == "06" else "A5",
    }


# --- Form contexts: what each form shows, gathered from the models ------------------------------


def register_line(dossier: Dossier) -> dict:
    """Where the receipt is entered in the register (form 07): the book of the receiving unit
    for the month, and the dossier's number in it — the row form 07 prints for it."""
    received = timezone.localtime(dossier.received_at)
    period = Period.month_of(received.date())
    number = (
        Dossier.objects.filter(
            receiving_unit_id__in=unit_ids(dossier.receiving_unit),
            received_at__gte=period.begin,
            received_at__lt=period.finish,
        )
        .filter(
            models.Q(received_at__lt=dossier.received_at)
            | models.Q(received_at=dossier.received_at, pk__lte=dossier.pk)
        )
        .count()
    )
    return {"register_book": f"{received.month:02d}/{received.year}", "register_number": number}


def _context_01(dossier: Dossier) -> dict:
    if dossier.received_at is None:
        raise FormNotApplicable(_("Hồ sơ chưa được tiếp nhận nên chưa có giấy tiếp nhận."))
    receipt = _event(dossier, "receive", "accept")
    terms = dossier.version.channel(dossier.channel)
    url = lookup_url(dossier.code)
    return {
        **_base(dossier, "01", dossier.receiving_unit, dossier.received_at),
        "number": dossier.code.rsplit("-", 1)[-1],
        **register_line(dossier),
        "sets": 1,
        "documents": [
            {"name": d.name, "copy_kind": d.get_copy_kind_display(), "count": d.count}
            for d in dossier.documents.filter(from_supplement=False)
        ],
        "legal_time": terms.time_display,
        "received": formatting.datetime(dossier.received_at),
        "due": formatting.datetime(dossier.due_at),
        "delivery": dossier.get_result_delivery_display(),
        "officer": receipt.actor_name if receipt else "",
        "lookup_url": url,
        "qr": qr_svg(url),
    }


def _context_02(dossier: Dossier) -> dict:
    request = (
        SupplementRequest.objects.filter(dossier=dossier)
        .select_related("requested_by")
        .order_by("-requested_at", "-id")
        .first()
    )
    if request is None:
        raise FormNotApplicable(_("Hồ sơ chưa từng được yêu cầu bổ sung."))
    officer = request.requested_by
    return {
        **_base(dossier, "02", dossier.receiving_unit, request.requested_at),
        "items": request.items,
        "reason": request.reason,
        "requested": formatting.datetime(request.requested_at),
        "officer": officer.get_full_name() if officer else "",
        "officer_phone": getattr(officer, "phone", "") or dossier.receiving_unit.phone,
    }


def organ_signer(dossier: Dossier, unit: Unit, event: Event) -> tuple[str, str]:
    """``(title, name)`` of the official who signs a notice of the organ (forms 03, 05): the
    official who acted, or — when the applicant acted (a withdrawal filed online) or nobody
    did — the head of the people's committee. Never the applicant: the notice is the organ's
    (Circular 03/2025/TT-VPCP, forms 03 and 05: signer's title and name)."""
    from congso.accounts import services as accounts
    from congso.accounts.choices import Role

    locality = unit.locality()
    official = event.actor if event.actor_id and event.actor_id != dossier.applicant_id else None
    if official is not None and not official.is_official:
        official = None
    if official is not None:
        position = (
            accounts.current_positions(set(Role.values), user=official).order_by("pk").first()
        )
    else:
        position = accounts.current_positions({Role.LEADER}, unit=locality).order_by("pk").first()
        official = position.user if position else None
    title = (position.title or position.get_role_display()) if position else ""
    return str(title), official.get_full_name() if official else ""


def _signer_context(dossier: Dossier, unit: Unit, event: Event) -> dict:
    title, name = organ_signer(dossier, unit, event)
    return {"signer_title": title, "officer": name}


def _context_03(dossier: Dossier) -> dict:
    event = _event(dossier, "refuse_intake", "refuse")
    if event is None:
        raise FormNotApplicable(_("Hồ sơ không bị từ chối tiếp nhận hay giải quyết."))
    unit = dossier.receiving_unit if event.transition == "refuse_intake" else lead_unit(dossier)
    return {
        **_base(dossier, "03", unit, event.at),
        "at_intake": event.transition == "refuse_intake",
        "reason": event.note,
        "refused": formatting.datetime(event.at),
        **_signer_context(dossier, unit, event),
    }


def _context_04(dossier: Dossier) -> dict:
    event = _event(dossier, "apologise")
    if event is None or not dossier.rescheduled:
        raise FormNotApplicable(_("Hồ sơ chưa từng được hẹn lại ngày trả kết quả."))
    return {
        **_base(dossier, "04", lead_unit(dossier), event.at),
        "reason": event.note,
        "original_due": formatting.datetime(dossier.original_due_at),
        "new_due": formatting.datetime(dossier.apology_due_at or dossier.due_at),
        "officer": event.actor_name,
    }


def _context_05(dossier: Dossier) -> dict:
    event = _event(dossier, "withdraw")
    if event is None:
        raise FormNotApplicable(_("Người nộp chưa rút hồ sơ nên không có thông báo dừng xử lý."))
    return {
        **_base(dossier, "05", dossier.receiving_unit, event.at),
        "reason": event.note,
        "withdrawn": formatting.datetime(event.at),
        **_signer_context(dossier, dossier.receiving_unit, event),
    }


def _party(user, unit) -> str:
    name = user.get_full_name() if user else ""
    where = unit.name if unit else ""
    return f"{name} ({where})" if name and where else name or where


def _context_06(dossier: Dossier) -> dict:
    if dossier.received_at is None:
        raise FormNotApplicable(_("Hồ sơ chưa được tiếp nhận nên chưa có phiếu kiểm soát."))
    hand_overs = HandOver.objects.filter(dossier=dossier).select_related(
        "from_user", "from_unit", "to_user", "to_unit"
    )
    # the result column is the giving step's: the step that finished when it handed over
    given = dict(
        dossier.steps.filter(finished_at__isnull=False)
        .exclude(timeliness="")
        .values_list("finished_at", "timeliness")
    )
    return {
        **_base(dossier, "06", dossier.receiving_unit, dossier.received_at),
        "received": formatting.datetime(dossier.received_at),
        "due": formatting.datetime(dossier.due_at),
        "rows": [
            {
                "giver": _party(h.from_user, h.from_unit),
                "receiver": _party(h.to_user, h.to_unit),
                "at": formatting.datetime(h.at),
                "timeliness": Timeliness(given[h.at]).label if given.get(h.at) else "",
                "note": h.note,
            }
            for h in hand_overs
        ],
    }


CONTEXTS = {
    "01": _context_01,
    "02": _context_02,
    "03": _context_03,
    "04": _context_04,
    "05": _context_05,
    "06": _context_06,
}


def applicable_forms(dossier: Dossier) -> list[tuple[str, str]]:
    """``(number, title)`` of each form issued for ``dossier`` so far (01–06; the register 07
    is linked from the queue): what the dossier page links to. Two queries."""
    events = set(dossier.events.values_list("transition", flat=True))
    issued = {
        "01": dossier.received_at is not None,
        "02": dossier.supplements.exists(),
        "03": bool(events & {"refuse_intake", "refuse"}),
        "04": dossier.rescheduled and "apologise" in events,
        "05": "withdraw" in events,
        "06": dossier.received_at is not None,
    }
    return [(form, str(FORM_TITLES[form])) for form, done in issued.items() if done]


def issuing_unit(dossier: Dossier, form: str) -> Unit:
    """The unit whose seal a form carries: the deciding organ for the refusal of a dossier in
    processing (03) and the apology (04), the receiving unit for the others."""
    if form == "04" or (form == "03" and _event(dossier, "refuse_intake") is None):
        return lead_unit(dossier)
    return dossier.receiving_unit


def seal(data: bytes, unit: Unit, *, reason: str, user=None) -> bytes:
    """A form issued electronically carries the organisation's signature of ``unit`` (Circular
    03/2025/TT-VPCP: electronic forms are signed with the organ's digital signature). Without a
    usable seal key, or when signing fails, the form is served as printed."""
    from django.core.exceptions import ValidationError

    from congso.signing import services as signing

    key = signing.organisation_key(unit)
    if key is None:
        return data
    try:
        return signing.sign_pdf(
            data,
            key=key,
            reason=reason,
            location=unit.short_name or unit.name,
            signer_user=user,
        )
    except ValidationError:
        return data


def html_to_pdf(html: str) -> bytes:
    from weasyprint import HTML

    return HTML(string=html).write_pdf()


def form_html(dossier: Dossier, form: str) -> str:
    """The HTML of form ``form`` for ``dossier`` (``FormNotApplicable`` when it does not apply)."""
    if form not in FORM_TITLES:
        raise FormNotApplicable(_("Không có mẫu số %(form)s.") % {"form": form})
    if form == "07":
        unit, period = register_scope(dossier)
        return register_html(unit, period, register_rows(unit, period), highlight=dossier.code)
    return render_to_string(f"onestop/pdf/form_{form}.html", CONTEXTS[form](dossier))


def render_form(dossier: Dossier, form: str) -> bytes:
    """Form ``form`` ("01" … "07") of ``dossier`` as PDF bytes."""
    return html_to_pdf(form_html(dossier, form))


def sealed_form(dossier: Dossier, form: str) -> bytes:
    """Form ``form`` ("01" … "06") as issued: printed and sealed by the unit that issues it."""
    reason = _("Mẫu %(form)s của hồ sơ %(code)s") % {"form": form, "code": dossier.code}
    return seal(render_form(dossier, form), issuing_unit(dossier, form), reason=reason)


# --- Form 07: the dossier register --------------------------------------------------------------


@dataclass
class RegisterRow:
    number: int
    code: str
    procedure: str
    applicant: str
    lead_organ: str
    received: str
    due: str
    transferred: str
    result_back: str
    returned: str
    notes: str

    CELLS = (
        "number",
        "code",
        "procedure",
        "applicant",
        "lead_organ",
        "received",
        "due",
        "transferred",
        "result_back",
        "returned",
        "notes",
    )

    def cells(self) -> list:
        return [getattr(self, name) for name in self.CELLS]


REGISTER_HEADINGS = [
    gettext_lazy("STT"),
    gettext_lazy("Mã hồ sơ"),
    gettext_lazy("Tên thủ tục"),
    gettext_lazy("Người nộp"),
    gettext_lazy("Cơ quan chủ trì giải quyết"),
    gettext_lazy("Ngày, giờ tiếp nhận"),
    gettext_lazy("Hẹn trả kết quả"),
    gettext_lazy("Chuyển xử lý"),
    gettext_lazy("Có kết quả"),
    gettext_lazy("Đã trả kết quả"),
    gettext_lazy("Ghi chú"),
]


def register_scope(dossier: Dossier) -> tuple[Unit, Period]:
    """Form 07 of a dossier: the register of its receiving unit for the month it was received."""
    if dossier.received_at is None:
        raise FormNotApplicable(_("Hồ sơ chưa được tiếp nhận nên chưa vào sổ theo dõi."))
    return dossier.receiving_unit, Period.month_of(timezone.localtime(dossier.received_at).date())


def _notes(row: dict, clock: timeliness.Clock, cutoff) -> str:
    """State (when not a result), the timeliness class at ``cutoff`` (``onestop.timeliness``:
    the same class the period report counts) and the apology (form 04)."""
    notes = []
    if row["state"] not in (State.RETURNED, State.PROCESSED):
        notes.append(str(State(row["state"]).label))
    kind = timeliness.classify(clock, cutoff)
    if kind is not None:
        notes.append(str(kind.label))
    if clock.apologised or row["rescheduled"]:
        notes.append(_("Đã hẹn lại ngày trả"))
    return "; ".join(notes)


def register_dossiers(unit: Unit, period: Period):
    """The register's dossiers: received by ``unit`` (or a unit below it) in ``period``, in
    order of receipt, as the register's columns only (a lazy queryset: a page of it, or all)."""
    first_hand_over = HandOver.objects.filter(dossier=OuterRef("pk")).order_by("at", "id")
    last_leader = Step.objects.filter(dossier=OuterRef("pk"), actor=Actor.LEADER).order_by(
        "-position"
    )
    return (
        Dossier.objects.filter(
            receiving_unit_id__in=unit_ids(unit),
            received_at__gte=period.begin,
            received_at__lt=period.finish,
        )
        .annotate(
            transferred_at=Subquery(first_hand_over.values("at")[:1]),
            lead_name=Subquery(last_leader.values("unit__name")[:1]),
        )
        .order_by("received_at", "id")
        .values(
            *timeliness.CLOCK_FIELDS,
            "code",
            "procedure__name",
            "applicant_name",
            "lead_name",
            "transferred_at",
            "returned_at",
            "rescheduled",
        )
    )


def register_rows(
    unit: Unit, period: Period, dossiers=None, *, first: int = 1
) -> list[RegisterRow]:
    """One row per dossier of ``dossiers`` (default: the whole register of ``unit`` and
    ``period``, ``register_dossiers``), numbered from ``first``: one query, each class from
    the dossier's clock fields (``timeliness``), judged at the period's end or now."""
    dossiers = list(register_dossiers(unit, period) if dossiers is None else dossiers)
    fields = timeliness.CLOCK_FIELDS
    clocks = [
        clock for clock, _extra in timeliness.clocks(tuple(d[f] for f in fields) for d in dossiers)
    ]
    cutoff = timeliness.cutoff_for(period.finish)
    return [
        RegisterRow(
            number=n,
            code=d["code"],
            procedure=d["procedure__name"],
            applicant=d["applicant_name"],
            lead_organ=d["lead_name"] or "",
            received=formatting.datetime(d["received_at"]),
            due=formatting.datetime(d["due_at"]),
            transferred=formatting.datetime(d["transferred_at"]),
            result_back=formatting.datetime(d["finished_at"]),
            returned=formatting.datetime(d["returned_at"]),
            notes=_notes(d, clock, cutoff),
        )
        for n, (d, clock) in enumerate(zip(dossiers, clocks, strict=True), start=first)
    ]


def register_html(
    unit: Unit,
    period: Period,
    rows,
    *,
    highlight: str = "",
    first: bool = True,
    first_page: int = 1,
) -> str:
    """Form 07 for ``unit`` and ``period`` with ``rows`` (``register_rows``): the whole form, or
    one part of a long one (``core.longpdf``: the heading on the ``first`` part only, the pages
    numbered from ``first_page``)."""
    upper, lower = issuer(unit)
    return render_to_string(
        "onestop/pdf/register.html",
        {
            "title": FORM_TITLES["07"],
            "issuer_upper": upper,
            "issuer_lower": lower,
            "unit": unit,
            "start": formatting.date(period.start),
            "end": formatting.date(period.end),
            "headings": REGISTER_HEADINGS,
            "rows": rows,
            "highlight": highlight,
            "page": "A4 landscape",
            "first": first,
            "first_page": first_page,
        },
    )


# --- Excel ------------------------------------------------------------------------------------


#: Dossiers read and turned into register rows at a time by the streamed exports.
STREAM_CHUNK = 2000


def streamed_register_rows(unit: Unit, period: Period):
    """The whole register of ``unit`` and ``period`` row by row, read from a server-side cursor
    ``STREAM_CHUNK`` dossiers at a time: a province's year never sits in memory at once."""
    dossiers = register_dossiers(unit, period).iterator(chunk_size=STREAM_CHUNK)
    number = 1
    while chunk := list(islice(dossiers, STREAM_CHUNK)):
        yield from register_rows(unit, period, chunk, first=number)
        number += len(chunk)


def _register_lines(unit: Unit, period: Period) -> list[str]:
    return [
        f"{FORM_TITLES['07'].upper()} — {unit.name}",
        _("Từ ngày %(start)s đến ngày %(end)s")
        % {"start": formatting.date(period.start), "end": formatting.date(period.end)},
    ]


def register_xlsx(unit: Unit, period: Period) -> bytes:
    """Form 07 as a workbook: the same rows as the PDF, one per dossier."""
    return workbook(
        _("Sổ theo dõi hồ sơ"),
        _register_lines(unit, period),
        REGISTER_HEADINGS,
        [row.cells() for row in register_rows(unit, period)],
    )


def _unit_and_period(params: dict) -> tuple[Unit, Period]:
    period = Period(dt.date.fromisoformat(params["start"]), dt.date.fromisoformat(params["end"]))
    return org.units().get(pk=params["unit"]), period


def export_params(unit: Unit, period: Period, **extra) -> dict:
    """What a background export of ``unit`` and ``period`` records (``core.exports``)."""
    return {
        "unit": unit.pk,
        "start": period.start.isoformat(),
        "end": period.end.isoformat(),
        **extra,
    }


def build_register_xlsx(params: dict, out, progress) -> int:
    """Background builder of Form 07 as a workbook (``core.exports``), streaming its rows."""
    unit, period = _unit_and_period(params)
    rows = (row.cells() for row in streamed_register_rows(unit, period))
    return write_workbook(
        out,
        _("Sổ theo dõi hồ sơ"),
        _register_lines(unit, period),
        REGISTER_HEADINGS,
        rows,
        progress=progress,
    )


def build_register_pdf(params: dict, out, progress) -> int:
    """Background builder of Form 07 as a PDF, its rows streamed and laid out a part at a time
    (``core.longpdf``): a province's year never sits in memory at once."""
    unit, period = _unit_and_period(params)
    return longpdf.write(
        out,
        partial(register_html, unit, period),
        streamed_register_rows(unit, period),
        progress=progress,
    )


def build_report_xlsx(params: dict, out, progress) -> int:
    """Background builder of the period report as a workbook (one row per unit or procedure)."""
    from .reports import period_report

    unit, period = _unit_and_period(params)
    report = period_report(unit, period, by=params.get("by") or "unit")
    return write_workbook(out, *_report_sheet(report), progress=progress)


def report_xlsx(report: Report) -> bytes:
    """The period report as a workbook: the on-screen table, the total row last."""
    return workbook(*_report_sheet(report))


def _report_sheet(report: Report) -> tuple:
    from .reports import COLUMNS

    first = _("Đơn vị tiếp nhận") if report.by == "unit" else _("Thủ tục")
    return (
        _("Báo cáo"),
        [
            _("BÁO CÁO TÌNH HÌNH GIẢI QUYẾT HỒ SƠ — %(unit)s") % {"unit": report.unit.name},
            _("Từ ngày %(start)s đến ngày %(end)s")
            % {
                "start": formatting.date(report.period.start),
                "end": formatting.date(report.period.end),
            },
        ],
        [first, *[heading for _key, heading in COLUMNS]],
        [[row.label, *[row.figures[k] for k in KEYS]] for row in [*report.rows, report.total]],
    )
