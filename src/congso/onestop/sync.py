"""A dossier in the shape the national public service portal synchronises (regulations §2).

Field names follow the national portal's data set (Vietnamese, PascalCase) so a province can
forward the record unchanged; every timestamp is local time (Asia/Ho_Chi_Minh) written
``yyyyMMddHHmmss``, absent ones are ``null``. Codes:

* ``KenhThucHien`` — 1 at the desk, 2 online, 3 by public post;
* ``LoaiDoiTuong`` — 1 citizen, 2 enterprise, 3 state body, 4 other organisation;
* ``LoaiDinhDanh`` — 1 personal ID number (the only kind the desk records), 0 none;
* ``TrangThaiHoSo`` — the national status code 1–10 (``lifecycle.NATIONAL_CODE``);
* ``HinhThucTraKetQua`` — 1 at the desk, 2 by post, 3 online.

Not recorded yet, so always false: ``DuocLayTuKhoDMQG`` (a document taken from the national data
store: the platform does not connect to it) and ``DaThanhToanTrucTuyen`` (no online payment yet).
"""

import datetime as dt

from django.utils import timezone

from congso.accounts.models import Position

from .lifecycle import NATIONAL_CODE, State
from .models import Dossier
from .serializers import event_label

CHANNEL_CODES = {"desk": 1, "online": 2, "post": 3}
APPLICANT_KIND_CODES = {"citizen": 1, "enterprise": 2, "state_body": 3, "other": 4}
DELIVERY_CODES = {"desk": 1, "post": 2, "online": 3}
REFUSALS = ("refuse_intake", "refuse")


def stamp(instant: dt.datetime | None) -> str | None:
    """``yyyyMMddHHmmss`` in local time, the national portal's timestamp format."""
    if instant is None:
        return None
    return timezone.localtime(instant).strftime("%Y%m%d%H%M%S")


def _agency_id(dossier: Dossier) -> str:
    unit = dossier.receiving_unit
    return unit.agency_id or unit.locality().agency_id or ""


def _attachments(dossier: Dossier) -> list[dict]:
    return [
        {
            "TepDinhKemId": document.pk,
            "TenTepDinhKem": document.name,
            "MaThanhPhanHoSo": document.required_document_id,
            "LoaiBan": document.copy_kind,
            "SoLuong": document.count,
            "MaHash": document.sha256 or None,
            "DuocSoHoa": document.digitised,
            "DuocTaiSuDung": document.reused,
            "DuocLayTuKhoDMQG": False,
            "NopBoSung": document.from_supplement,
        }
        for document in dossier.documents.all()
    ]


def _fees(dossier: Dossier) -> list[dict]:
    if not dossier.fee_amount:
        return []
    return [
        {
            "TenPhiLePhi": "Phí, lệ phí",
            "Gia": dossier.fee_amount,
            "HinhThucThu": 2 if dossier.channel == "online" else 1,
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
            "MaHash": digest,
            "DaKySo": result.signed,
            "NgayTao": stamp(result.created_at),
        }
    ]


def _positions_by_user(user_ids) -> dict[int, list[Position]]:
    by_user: dict[int, list[Position]] = {}
    for position in Position.objects.filter(user_id__in=user_ids).select_related("unit"):
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
    """One row per event: who, with what title, when, in which unit, what, and the deadline of
    the step the dossier was at (taken from the hand-over that brought it there)."""
    events = list(dossier.events.select_related("actor"))
    hand_overs = list(dossier.hand_overs.select_related("to_unit", "step"))
    positions = _positions_by_user({e.actor_id for e in events if e.actor_id})
    log = []
    for event in events:
        before = [h for h in hand_overs if h.at < event.at]
        where = before[-1] if before else None
        units = [where.to_unit, dossier.receiving_unit] if where else [dossier.receiving_unit]
        unit, title = _acting_position(positions.get(event.actor_id, []), units)
        content = event_label(event.transition)
        log.append(
            {
                "NguoiXuLy": event.actor_name,
                "ChucDanh": title,
                "ThoiDiemXuLy": stamp(event.at),
                "PhongBanXuLy": unit.name,
                "NoiDungXuLy": f"{content}: {event.note}" if event.note else content,
                "TrangThai": NATIONAL_CODE[State(event.to_state)],
                "HanXuLyBuoc": stamp(where.step.due_at) if where and where.step else None,
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


def national_record(dossier: Dossier) -> dict:
    """The dossier as the national portal synchronises it."""
    procedure = dossier.procedure
    return {
        "MaHoSo": dossier.code,
        "MaDonViTiepNhan": _agency_id(dossier),
        "DonViTiepNhan": dossier.receiving_unit.name,
        "DonViXuLy": dossier.current_unit.name,
        "MaTTHC": procedure.code,
        "TenTTHC": procedure.name,
        "MaLinhVuc": procedure.sector.code,
        "TenLinhVuc": procedure.sector.name,
        "KenhThucHien": CHANNEL_CODES[dossier.channel],
        "LoaiDoiTuong": APPLICANT_KIND_CODES[dossier.applicant_kind],
        "ChuHoSo": dossier.applicant_name,
        "LoaiDinhDanh": 1 if dossier.applicant_id_number else 0,
        "SoDinhDanh": dossier.applicant_id_number or None,
        "SoDienThoai": dossier.applicant_phone or None,
        "Email": dossier.applicant_email or None,
        "DiaChi": dossier.applicant_address or None,
        "NgayNopHoSo": stamp(dossier.filed_at),
        "NgayTiepNhan": stamp(dossier.received_at),
        "NgayHenTra": stamp(dossier.due_at),
        "NgayHenTraBanDau": stamp(dossier.original_due_at),
        "NgayKetThucXuLy": stamp(dossier.finished_at),
        "NgayTra": stamp(dossier.returned_at),
        "NgayTuChoi": stamp(_refused_at(dossier)),
        "TrangThaiHoSo": dossier.national_status,
        "HinhThucTraKetQua": DELIVERY_CODES[dossier.result_delivery],
        "TaiLieuNop": _attachments(dossier),
        "DanhSachLePhi": _fees(dossier),
        "DaThanhToanTrucTuyen": False,
        "DanhSachHoSoBoSung": _supplements(dossier),
        "DanhSachGiayToKetQua": _results(dossier),
        "QuaTrinhXuLy": _step_log(dossier),
        "XacThucVNeID": _vneid_verified(dossier),
    }


def for_sync():
    """The queryset ``national_record`` reads efficiently."""
    return Dossier.objects.select_related(
        "procedure__sector",
        "receiving_unit",
        "current_unit",
        "applicant",
        "result__signed_file",
    ).prefetch_related("documents", "supplements")


def changed_since(since: dt.datetime):
    """Dossiers with anything recorded from ``since`` on: what an incremental sync sends."""
    return for_sync().filter(events__at__gte=since).distinct().order_by("filed_at", "id")
