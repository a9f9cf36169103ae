"""Demo data of this app: the announced 2025–2027 exceptions to the working calendar.

Each entry is added only when the ``holidays`` package does not already give that day the
announced status, so a newer package (which learns the swaps) and this list never disagree.
With holidays 0.109 the package already knows the 2025 Reunification Day swap and the 2026
National Day swap; only New Year 2026 is added. The 2026 Tết break (14–22/02/2026) is the five
statutory days plus two weekends, which the package gives; nothing was found announced for 2027.
"""

import datetime as dt

from congso.worktime.deadlines import base_day_kind
from congso.worktime.models import CalendarException, ExceptionKind
from congso.worktime.services import add_exception

DAY_OFF, WORKING_DAY = ExceptionKind.DAY_OFF, ExceptionKind.WORKING_DAY

ANNOUNCED = [
    (
        dt.date(2025, 5, 2),
        DAY_OFF,
        "Nghỉ dịp 30/4–1/5/2025, hoán đổi với thứ Bảy 26/04/2025.",
        "Thông báo hoán đổi ngày làm việc dịp 30/4–1/5/2025 (số văn bản chưa đối chiếu).",
    ),
    (
        dt.date(2025, 4, 26),
        WORKING_DAY,
        "Làm việc bù cho thứ Sáu 02/05/2025.",
        "Thông báo hoán đổi ngày làm việc dịp 30/4–1/5/2025 (số văn bản chưa đối chiếu).",
    ),
    (
        dt.date(2026, 1, 2),
        DAY_OFF,
        "Nghỉ Tết Dương lịch 2026 (01–04/01/2026), hoán đổi với thứ Bảy 10/01/2026.",
        "Văn bản 12729/VPCP-KGVX ngày 25/12/2025 của Văn phòng Chính phủ.",
    ),
    (
        dt.date(2026, 1, 10),
        WORKING_DAY,
        "Làm việc bù cho thứ Sáu 02/01/2026.",
        "Văn bản 12729/VPCP-KGVX ngày 25/12/2025 của Văn phòng Chính phủ.",
    ),
    (
        dt.date(2026, 8, 31),
        DAY_OFF,
        "Nghỉ Quốc khánh 2026 (29/08–02/09), hoán đổi với thứ Bảy 22/08/2026.",
        "Theo dữ liệu của gói holidays; số văn bản thông báo chưa đối chiếu.",
    ),
    (
        dt.date(2026, 8, 22),
        WORKING_DAY,
        "Làm việc bù cho thứ Hai 31/08/2026.",
        "Theo dữ liệu của gói holidays; số văn bản thông báo chưa đối chiếu.",
    ),
]


def _already_so(day: dt.date, kind: str) -> bool:
    return base_day_kind(day).is_working == (kind == WORKING_DAY)


def load(loaded: dict) -> None:
    """Add the announced exceptions the package lacks; running it twice changes nothing."""
    for day, kind, reason, legal_basis in ANNOUNCED:
        if _already_so(day, kind) or CalendarException.objects.filter(date=day).exists():
            continue
        add_exception(date=day, kind=kind, reason=reason, legal_basis=legal_basis)
