"""Demo data of the feedback app for the Nghi Lộc demo district: ratings of about a third of
the returned demo dossiers (a few unsatisfied) and a dozen complaints, some answered late, some
still open. Written with ``bulk_create`` (a year of history through the services would be slow)
and announced by one audit record. Idempotent: nothing is added when ratings exist.
"""

from __future__ import annotations

import datetime as dt
import random
from typing import TYPE_CHECKING

from django.db import transaction
from django.utils import timezone

from congso.core import audit
from congso.core.numbering import next_value
from congso.feedback import rules
from congso.feedback.lifecycle import ComplaintState
from congso.feedback.models import CRITERIA, Complaint, Overall, Rating, RatingChannel
from congso.onestop.lifecycle import State
from congso.onestop.services import dossiers
from congso.worktime.services import calendar_for

if TYPE_CHECKING:  # type names only: no import of another app's models at run time
    from congso.onestop.models import Dossier

DEMO_SEED = 766
RATED_SHARE = 0.35
#: Overall ratings drawn with these weights (most citizens are satisfied).
OVERALL_WEIGHTS = {Overall.VERY_SATISFIED: 55, Overall.SATISFIED: 39, Overall.UNSATISFIED: 6}
COMPLAINTS = [
    (
        "feedback",
        "Cán bộ hẹn trả kết quả nhiều lần",
        "Tôi đã đến nhận kết quả hai lần nhưng chưa có.",
    ),
    ("feedback", "Thái độ tiếp dân chưa niềm nở", "Cán bộ một cửa trả lời cộc lốc khi tôi hỏi."),
    (
        "suggestion",
        "Đề nghị niêm yết phí rõ hơn",
        "Bảng niêm yết phí, lệ phí ở bộ phận một cửa khó đọc.",
    ),
    ("suggestion", "Đề nghị bố trí thêm ghế chờ", "Buổi sáng thứ Hai rất đông, không đủ chỗ ngồi."),
    (
        "feedback",
        "Yêu cầu bổ sung giấy tờ không có trong quy định",
        "Tôi bị yêu cầu nộp thêm bản sao sổ hộ khẩu.",
    ),
    (
        "feedback",
        "Kết quả trả qua bưu điện bị chậm",
        "Tôi nhận kết quả muộn một tuần so với ngày hẹn.",
    ),
    (
        "suggestion",
        "Đề nghị mở thanh toán trực tuyến cho lệ phí hộ tịch",
        "Thanh toán tại quầy mất thời gian.",
    ),
    (
        "feedback",
        "Không gọi được số điện thoại đường dây nóng",
        "Số điện thoại niêm yết không ai nghe máy.",
    ),
    (
        "suggestion",
        "Đề nghị làm việc sáng thứ Bảy",
        "Người đi làm khó đến nộp hồ sơ trong giờ hành chính.",
    ),
    ("feedback", "Thông tin trên giấy chứng nhận bị sai", "Tên đệm của tôi bị ghi sai một chữ."),
    (
        "feedback",
        "Hồ sơ quá hạn nhưng không có phiếu xin lỗi",
        "Hồ sơ trễ hạn nhưng tôi không nhận được thông báo.",
    ),
    (
        "suggestion",
        "Đề nghị hướng dẫn nộp hồ sơ trực tuyến",
        "Người cao tuổi cần được hướng dẫn tại quầy.",
    ),
]


def _ratings(returned: list[Dossier], rng: random.Random) -> list[Rating]:
    overall_values, weights = list(OVERALL_WEIGHTS), list(OVERALL_WEIGHTS.values())
    rows = []
    for dossier in returned:
        if rng.random() >= RATED_SHARE:
            continue
        overall = rng.choices(overall_values, weights)[0]
        low = 0 if overall == Overall.UNSATISFIED else 1
        rows.append(
            Rating(
                dossier_id=dossier.pk,
                dossier_code=dossier.code,
                unit_id=dossier.receiving_unit_id,
                procedure_id=dossier.procedure_id,
                overall=overall,
                scores={key: rng.randint(low, 2) for key in CRITERIA},
                comment="Thời gian chờ còn lâu." if overall == Overall.UNSATISFIED else "",
                channel=RatingChannel.ONLINE if dossier.applicant_id else RatingChannel.DESK,
                created_at=dossier.returned_at + dt.timedelta(minutes=rng.randint(1, 600)),
            )
        )
    return rows


def _complaint(index, spec, dossier, author, now, rng) -> Complaint:
    kind, subject, content = spec
    received_at = now - dt.timedelta(days=3 + index * 9, hours=rng.randint(0, 6))
    due_at = rules.answer_due(
        calendar_for(dossier.receiving_unit), received_at, rules.answer_days(kind)
    )
    day = timezone.localtime(received_at).date()
    code = rules.complaint_code(day, next_value(f"feedback.complaint.{day:%Y%m%d}"))
    complaint = Complaint(
        code=code,
        kind=kind,
        subject=subject,
        content=content,
        unit_id=dossier.receiving_unit_id,
        dossier_id=dossier.pk,
        dossier_code=dossier.code,
        procedure_id=dossier.procedure_id,
        author=author,
        received_at=received_at,
        due_at=due_at,
    )
    if index < 2:  # the newest are still waiting for an answer
        return complaint
    late = index % 4 == 0
    answered_at = due_at + dt.timedelta(days=3) if late else received_at + dt.timedelta(days=4)
    complaint.state = ComplaintState.CLOSED if index % 3 else ComplaintState.ANSWERED
    complaint.answer = "Đơn vị đã kiểm tra, chấn chỉnh và xin lỗi ông/bà vì sự bất tiện."
    complaint.answered_at = complaint.settled_at = answered_at
    if complaint.state == ComplaintState.CLOSED:
        complaint.closed_at = answered_at + dt.timedelta(days=1)
        complaint.citizen_satisfied = not late
    return complaint


def load(loaded: dict) -> None:
    if Rating.objects.exists() or Complaint.objects.exists():
        return
    rng = random.Random(DEMO_SEED)
    returned = list(
        dossiers()
        .filter(state=State.RETURNED, returned_at__isnull=False)
        .only("pk", "code", "receiving_unit_id", "procedure_id", "applicant_id", "returned_at")
        .order_by("pk")
    )
    if not returned:
        return
    ratings = _ratings(returned, rng)
    people = loaded.get("people", {})
    authors = [people[name] for name in ("congdan.an", "congdan.binh") if name in people]
    now = timezone.now()
    complaints = []
    with transaction.atomic():
        if authors:
            picked = rng.sample(returned, min(len(COMPLAINTS), len(returned)))
            complaints = [
                _complaint(i, spec, dossier, authors[i % len(authors)], now, rng)
                for i, (spec, dossier) in enumerate(zip(COMPLAINTS, picked, strict=False))
            ]
        Rating.objects.bulk_create(ratings, batch_size=2000)
        Complaint.objects.bulk_create(complaints)
        audit.record(
            "feedback.demo_load",
            object_type="feedback.rating",
            data={"ratings": len(ratings), "complaints": len(complaints)},
        )
    loaded["feedback"] = {"ratings": len(ratings), "complaints": len(complaints)}
