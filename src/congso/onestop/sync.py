"""A dossier in the shape the national public service portal synchronises (regulations §2;
Circular 04/2025/TT-VPCP data set and the portal's integration document, issue 15 item 5).

Field names follow the portal's data set (Vietnamese, PascalCase) so a province can forward the
record unchanged; the JSON Schema ``schemas/national_record.schema.json`` describes every field
and a test validates every demo dossier against it. Every timestamp is local time
(Asia/Ho_Chi_Minh) written ``yyyyMMddHHmmss``; absent ones are ``null``. Codes are short strings,
as the portal's data set types them:

* ``KenhThucHien`` — "1" at the desk, "2" online, "3" by public post;
* ``LoaiDoiTuong`` — "1" citizen, "2" enterprise, "3" state body, "4" other organisation;
* ``LoaiDinhDanh`` — "1" personal ID number (the only kind the desk records), ``null`` none;
* ``TrangThaiHoSo`` / ``TrangThai`` — the national status code "1"–"10" (``NATIONAL_CODE``);
* ``HinhThucTra`` — "1" at the desk, "2" by post, "3" online;
* ``NoiNopHoSo`` — "0" at the desk or by post, "2" online on this (provincial) system — the
  national portal's own "1" is never ours (code list unverified, see docs/integrations.md);
* ``TaiKhoanDuocXacThucVoiVNeID`` — "1" filed online from an account bound to VNeID, else "0";
* ``DuocThanhToanTrucTuyen`` — how the fee was actually paid, from the payments app: "1" on the
  national payment platform, "2" through the provincial gateway; **absent** otherwise;
* ``HoSoCoThanhPhanSoHoa`` — "1" when at least one submitted item is digitised;
* ``DuocSoHoa`` / ``DuocTaiSuDung`` / ``DuocLayTuKhoDMQG`` — "1"/"0" per item; the last is always
  "0" (the platform does not connect to the national personal data store);
* ``HinhThucThu`` (fees) — "2" paid online (the settled payment), "1" otherwise.

``NgayHenTra`` is the due instant given at receipt (what timeliness is judged against); an
apology's new date is ``NgayHenTraLai`` and the class ``onestop.timeliness`` gives the dossier now
is ``TienDoXuLy`` — both extensions of ours, marked so in the schema.
"""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING

from django.conf import settings
from django.urls import reverse
from django.utils import timezone

from congso.accounts import services as accounts

from . import timeliness
from .lifecycle import NATIONAL_CODE, State
from .models import Dossier
from .serializers import event_label

if TYPE_CHECKING:
    from congso.accounts.models import Position

CHANNEL_CODES = {"desk": "1", "online": "2", "post": "3"}
APPLICANT_KIND_CODES = {"citizen": "1", "enterprise": "2", "state_body": "3", "other": "4"}
DELIVERY_CODES = {"desk": "1", "post": "2", "online": "3"}
FILED_AT_CODES = {"desk": "0", "post": "0", "online": "2"}
REFUSALS = ("refuse_intake", "refuse")
SCHEMA_PATH = Path(__file__).with_name("schemas") / "national_record.schema.json"


def stamp(instant: dt.datetime | None) -> str | None:
    """``yyyyMMddHHmmss`` in local time, the national portal's timestamp format."""
    if instant is None:
        return None
    return timezone.localtime(instant).strftime("%Y%m%d%H%M%S")


def parse_stamp(text: str) -> dt.datetime:
    """The instant a ``yyyyMMddHHmmss`` local timestamp names (raises ``ValueError``)."""
    if len(text) != 14 or not text.isdigit():
        raise ValueError(text)
    naive = dt.datetime.strptime(text, "%Y%m%d%H%M%S")
    return timezone.make_aware(naive, timezone.get_current_timezone())


def flag(value: bool) -> str:
    return "1" if value else "0"


def schema() -> dict:
    return json.loads(SCHEMA_PATH.read_text(encoding="utf-8"))


# --- How fees were paid: the payments app (above this one) registers its reader ---------------

#: ``codes(dossier_ids) -> {dossier id: "1" | "2"}`` and ``changed(since) -> dossier ids``.
_payments: dict[str, Callable] = {}


def register_payments(codes: Callable, changed: Callable) -> None:
    _payments.update(codes=codes, changed=changed)


def _payment_code(dossier: Dossier) -> str | None:
    cache = getattr(dossier, "_payment_codes", None)
    if cache is None:
        reader = _payments.get("codes")
        cache = reader([dossier.pk]) if reader else {}
    return cache.get(dossier.pk)


def _url(name: str, *args) -> str:
    return settings.PUBLIC_URL + reverse(name, args=args)


def _agency_id(dossier: Dossier) -> str:
    unit = dossier.receiving_unit
    return unit.agency_id or unit.locality().agency_id or ""


def _attachments(dossier: Dossier) -> list[dict]:
    return [
        {
            "TepDinhKemId": str(document.pk),
            "TenTepDinhKem": document.name,
            "IsDeleted": "0",
            "MaThanhPhanHoSo": (
                str(document.required_document_id) if document.required_document_id else None
            ),
            "DuongDanTaiTepTin": (
                _url("onestop:document", dossier.code, document.pk) if document.file else None
            ),
            "DuocSoHoa": flag(document.digitised),
            "DuocTaiSuDung": flag(document.reused),
            "DuocLayTuKhoDMQG": "0",
            "MaHash": document.sha256 or None,
            "NopBoSung": document.from_supplement,
        }
        for document in dossier.documents.all()
    ]


def _fees(dossier: Dossier, paid_online: str | None) -> list[dict]:
    if not dossier.fee_amount:
        return []
    return [
        {
            "TenPhiLePhi": "Phí, lệ phí",
            "MaPhiLePhi": None,
            "HinhThucThu": "2" if paid_online else "1",
            "Gia": dossier.fee_amount,
            "LoaiPhiLePhi": None,
        }
    ]


def _supplements(dossier: Dossier) -> list[dict]:
    return [
        {
            "NgayYeuCau": stamp(request.requested_at),
            "NoiDungYeuCau": list(request.items),
            "LyDo": request.reason,
            "NgayBoSung": stamp(request.answered_at),
        }
        for request in dossier.supplements.all()
    ]


def _results(dossier: Dossier) -> list[dict]:
    result = getattr(dossier, "result", None)
    if result is None:
        return []
    # The applicant receives the signed copy when there is one: that is the file to fingerprint.
    digest = result.signed_file.sha256 if result.signed_file_id else result.sha256
    return [
        {
            "TenGiayTo": result.title,
            "MaThanhPhanHoSo": None,
            "GiayToId": str(result.pk),
            "MaGiayToKetQua": dossier.code,
            "DuongDanTepTinKetQua": _url("onestop:result_file", dossier.code),
            "MaHash": digest,
            "DaKySo": result.signed,
            "NgayTao": stamp(result.created_at),
        }
    ]


def _positions_by_user(user_ids) -> dict[int, list[Position]]:
    by_user: dict[int, list[Position]] = {}
    for position in accounts.positions(user_id__in=user_ids):
        by_user.setdefault(position.user_id, []).append(position)
    return by_user


def _acting_position(positions: list[Position], units) -> tuple[object, str]:
    """The unit an officer acted for and their title there: the first of ``units`` (where the
    dossier was, then the desk) at or inside one of their positions."""
    for unit in units:
        for position in positions:
            if unit.pk == position.unit_id or unit.path.startswith(position.unit.path + "."):
                return unit, position.title or position.get_role_display()
    return units[0], ""


def _step_log(dossier: Dossier) -> list[dict]:
    """One row per event: who, with what title, when, in which unit, what, the national status,
    and the start and statutory end of the step the dossier was at (taken from the hand-over
    that brought it there)."""
    events = list(dossier.events.select_related("actor"))
    hand_overs = list(dossier.hand_overs.select_related("to_unit", "step"))
    positions = _positions_by_user({e.actor_id for e in events if e.actor_id})
    log = []
    for event in events:
        before = [h for h in hand_overs if h.at < event.at]
        where = before[-1] if before else None
        units = [where.to_unit, dossier.receiving_unit] if where else [dossier.receiving_unit]
        unit, title = _acting_position(positions.get(event.actor_id, []), units)
        step = where.step if where else None
        content = event_label(event.transition)
        log.append(
            {
                "NguoiXuLy": event.actor_name,
                "ChucDanh": title,
                "ThoiDiemXuLy": stamp(event.at),
                "PhongBanXuLy": unit.name,
                "NoiDungXuLy": f"{content}: {event.note}" if event.note else content,
                "TrangThai": str(NATIONAL_CODE[State(event.to_state)]),
                "NgayBatDau": stamp(step.started_at) if step else None,
                "NgayKetThucTheoQuyDinh": stamp(step.due_at) if step else None,
            }
        )
    return log


def _refused_at(dossier: Dossier) -> dt.datetime | None:
    event = dossier.events.filter(transition__in=REFUSALS).order_by("-at").first()
    return event.at if event else None


def _vneid_verified(dossier: Dossier) -> bool:
    """Filed online from an account bound to the national eID (VNeID login)."""
    return bool(
        dossier.channel == "online" and dossier.applicant_id and dossier.applicant.eid_subject
    )


def _apology_due(dossier: Dossier) -> dt.datetime | None:
    """The new date an apology (form 04) gave the citizen, if any."""
    if not dossier.rescheduled:
        return None
    return dossier.due_at


def national_record(dossier: Dossier, *, now: dt.datetime | None = None) -> dict:
    """The dossier as the national portal synchronises it."""
    procedure = dossier.procedure
    documents = list(dossier.documents.all())
    paid_online = _payment_code(dossier)
    clock = timeliness.clock_with_history(dossier)
    kind = timeliness.classify(clock, now or timezone.now())
    record = {
        "MaHoSo": dossier.code,
        "MaDonViTiepNhan": _agency_id(dossier),
        "DonViTiepNhan": dossier.receiving_unit.name,
        "DonViXuLy": dossier.current_unit.name,
        "MaTTHC": procedure.code,
        "TenTTHC": procedure.name,
        "MaLinhVuc": procedure.sector.code,
        "TenLinhVuc": procedure.sector.name,
        "KenhThucHien": CHANNEL_CODES[dossier.channel],
        "NoiNopHoSo": FILED_AT_CODES[dossier.channel],
        "LoaiDoiTuong": APPLICANT_KIND_CODES[dossier.applicant_kind],
        "ChuHoSo": dossier.applicant_name,
        "LoaiDinhDanh": "1" if dossier.applicant_id_number else None,
        "SoDinhDanh": dossier.applicant_id_number or None,
        "SoDienThoai": dossier.applicant_phone or None,
        "Email": dossier.applicant_email or None,
        "DiaChi": dossier.applicant_address or None,
        "NgayNopHoSo": stamp(dossier.filed_at),
        "NgayTiepNhan": stamp(dossier.received_at),
        "NgayHenTra": stamp(clock.due),
        "NgayHenTraLai": stamp(_apology_due(dossier)),
        "NgayKetThucXuLy": stamp(dossier.finished_at),
        "NgayTra": stamp(dossier.returned_at),
        "NgayTuChoi": stamp(_refused_at(dossier)),
        "TrangThaiHoSo": str(dossier.national_status),
        "TienDoXuLy": kind.value if kind else None,
        "HinhThucTra": DELIVERY_CODES[dossier.result_delivery],
        "TaiKhoanDuocXacThucVoiVNeID": flag(_vneid_verified(dossier)),
        "HoSoCoThanhPhanSoHoa": flag(any(d.digitised for d in documents)),
        "TaiLieuNop": _attachments(dossier),
        "DanhSachLePhi": _fees(dossier, paid_online),
        "DanhSachHoSoBoSung": _supplements(dossier),
        "DanhSachGiayToKetQua": _results(dossier),
        "QuaTrinhXuLy": _step_log(dossier),
    }
    if paid_online:
        record["DuocThanhToanTrucTuyen"] = paid_online
    return record


def for_sync():
    """The queryset ``national_record`` reads efficiently."""
    return Dossier.objects.select_related(
        "procedure__sector",
        "receiving_unit",
        "current_unit",
        "applicant",
        "result__signed_file",
    ).prefetch_related("documents", "supplements", "clock_changes")


def records(queryset, *, now: dt.datetime | None = None) -> list[dict]:
    """``national_record`` of every dossier of ``queryset``, the fee payments read at once."""
    dossiers = list(queryset)
    reader = _payments.get("codes")
    codes = reader([d.pk for d in dossiers]) if reader else {}
    for dossier in dossiers:
        dossier._payment_codes = codes
    return [national_record(d, now=now) for d in dossiers]


def whole_second(instant: dt.datetime) -> dt.datetime:
    return instant.replace(microsecond=0)


def changed_since(since: dt.datetime, until: dt.datetime | None = None):
    """Dossiers with anything recorded in [``since``, ``until``) — both to the second: an event
    of their history, or a fee payment settled. A sync job stores ``until`` and passes it as the
    next ``since``: nothing is sent twice, nothing is missed."""
    since = whole_second(since)
    events = {"events__at__gte": since}
    if until is not None:
        events["events__at__lt"] = whole_second(until)
    ids = set(Dossier.objects.filter(**events).values_list("pk", flat=True))
    changed = _payments.get("changed")
    if changed:
        ids |= set(changed(since, whole_second(until) if until else None))
    return for_sync().filter(pk__in=ids).order_by("filed_at", "id")


def incremental(since: dt.datetime, *, now: dt.datetime | None = None) -> tuple[list[dict], str]:
    """The records changed from ``since`` up to the current second, and the ``yyyyMMddHHmmss``
    stamp to start the next run from."""
    until = whole_second(now or timezone.now())
    return records(changed_since(since, until), now=until), stamp(until)
