"""Approved minutes issued as a PDF in the Decree 30 layout (A4, Times New Roman metrics), signed
with the host unit's organisation seal when it has a usable one.

The rendered PDF is kept as it was; the signed copy is a separate ``SignedFile`` (signing app)
with its own SHA-256. Without a usable seal the minutes stay *unsigned*, with the reason shown.
"""

import hashlib

from django.core.exceptions import ValidationError
from django.template.loader import render_to_string
from django.utils import timezone
from django.utils.translation import gettext as _

from congso.core import audit, numbering
from congso.core.collation import by_vietnamese
from congso.core.formatting import datetime as vndatetime
from congso.core.uploads import PDF, inert
from congso.onestop.printing import html_to_pdf, issuer, place_and_date

from .models import AttendanceStatus, Minutes


def _name(user) -> str:
    return (user.get_full_name() or user.username) if user else ""


def minutes_html(minutes: Minutes) -> str:
    meeting = minutes.meeting
    upper, lower = issuer(meeting.host_unit)
    attendance = {a.unit_id: a.get_status_display() for a in meeting.attendance.all()}
    roll = [
        {
            "unit": inv.unit.name,
            "status": attendance.get(inv.unit_id, AttendanceStatus.ABSENT.label),
        }
        for inv in meeting.invitations.select_related("unit").order_by(by_vietnamese("unit__name"))
    ]
    context = {
        "meeting": meeting,
        "minutes": minutes,
        "issuer_upper": upper,
        "issuer_lower": lower,
        "place_date": place_and_date(meeting.host_unit, minutes.approved_at),
        "start": vndatetime(meeting.start),
        "end": vndatetime(meeting.end),
        "chair": _name(meeting.chair),
        "secretary": _name(meeting.secretary),
        "roll": roll,
        "agenda": list(meeting.agenda.all()),
        "paragraphs": [line.strip() for line in minutes.text.splitlines() if line.strip()],
        "conclusions": list(meeting.conclusions.all()),
        "approved": vndatetime(minutes.approved_at),
    }
    return render_to_string("meetings/pdf/minutes.html", context)


def render(minutes: Minutes) -> bytes:
    return html_to_pdf(minutes_html(minutes))


def _number(minutes: Minutes) -> str:
    """``7/BB-UBND``: gap-free per host unit and year (inside the approval's transaction)."""
    year = timezone.localtime(minutes.approved_at).year
    value = numbering.next_value(f"meetings.minutes:{minutes.meeting.host_unit_id}:{year}")
    return f"{value}/BB-UBND"


def issue(minutes: Minutes, actor) -> Minutes:
    """Number, render and sign the just-approved minutes (the caller holds the meeting's lock)."""
    minutes.number = _number(minutes)
    data = render(minutes)
    minutes.sha256 = hashlib.sha256(data).hexdigest()
    name = f"bien-ban-{minutes.meeting_id}.pdf"
    minutes.pdf.save(name, inert(data, name, allowed=(PDF,)), save=False)
    minutes.signed_file, minutes.unsigned_reason = _sign(minutes, data, actor, name)
    minutes.save(update_fields=["number", "pdf", "sha256", "signed_file", "unsigned_reason"])
    audit.record(
        "meetings.minutes.issued",
        minutes,
        unit_id=minutes.meeting.host_unit_id,
        data={
            "number": minutes.number,
            "sha256": minutes.sha256,
            "signed_sha256": minutes.signed_file.sha256 if minutes.signed_file else None,
            "unsigned_reason": minutes.unsigned_reason,
        },
    )
    return minutes


def _sign(minutes: Minutes, data: bytes, actor, name: str):
    """(signed file, "") or (None, why it stays unsigned)."""
    from congso.signing import services as signing

    unit = minutes.meeting.host_unit
    key = signing.organisation_key(unit)
    if key is None:
        return None, _("%(unit)s chưa có chữ ký số của cơ quan.") % {"unit": unit}
    try:
        signed = signing.sign_pdf(
            data,
            key=key,
            reason=_("Biên bản %(number)s") % {"number": minutes.number},
            location=unit.locality().short_name or unit.locality().name,
            signer_user=actor,
        )
    except ValidationError as exc:
        return None, "; ".join(exc.messages)[:300]
    return signing.store_signed_file(signed, name=name.replace(".pdf", "-da-ky.pdf")), ""
