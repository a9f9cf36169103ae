"""Demo data of the documents app for the Nghi Lộc demo district: a commune clerk at Nghi Long,
a few months of outgoing documents of the district (signed, issued and delivered to communes on
the platform, one to a provincial department by edXML) and incoming documents in different
states, so the registers look alive. Idempotent and fast: one composed PDF is reused."""

import datetime as dt

from django.core.files.base import ContentFile
from django.utils import timezone
from django.utils.translation import gettext as _

from congso.documents import services
from congso.documents.models import Document

OUTGOING = [
    ("KH", "Kế hoạch chuyển đổi số năm 2026 trên địa bàn huyện", 100),
    ("QĐ", "Về việc kiện toàn Tổ công nghệ số cộng đồng các xã", 80),
    ("CV", "V/v báo cáo kết quả giải quyết thủ tục hành chính quý III", 60),
    ("TB", "Thông báo lịch tiếp công dân tháng 10", 45),
    ("CV", "V/v triển khai chữ ký số cho cán bộ cấp xã", 20),
    ("GM", "Giấy mời dự giao ban trực tuyến chuyển đổi số", 6),
]

INCOMING = [
    (
        "CV",
        "V/v hướng dẫn số hoá hồ sơ, kết quả giải quyết TTHC",
        "Văn phòng UBND tỉnh Nghệ An",
        "1520/VP-KSTT",
        90,
        "done",
    ),
    (
        "QĐ",
        "Quyết định công bố danh mục thủ tục hành chính",
        "UBND tỉnh Nghệ An",
        "2150/QĐ-UBND",
        70,
        "done",
    ),
    (
        "KH",
        "Kế hoạch tuyên truyền Ngày chuyển đổi số quốc gia",
        "Sở Thông tin và Truyền thông",
        "845/KH-STTTT",
        40,
        "handling",
    ),
    (
        "CV",
        "V/v rà soát hạ tầng mạng tại UBND các xã",
        "Sở Thông tin và Truyền thông",
        "912/STTTT-BCVT",
        12,
        "assigned",
    ),
    (
        "TB",
        "Thông báo kết luận hội nghị trực tuyến",
        "Văn phòng UBND tỉnh Nghệ An",
        "301/TB-VP",
        3,
        "registered",
    ),
]


def _at(days_ago: int) -> dt.datetime:
    moment = timezone.localtime() - dt.timedelta(days=days_ago)
    return moment.replace(hour=9, minute=0, second=0, microsecond=0)


def load(loaded: dict) -> None:
    units, people = loaded["units"], loaded["people"]
    district = units["district"]
    if Document.objects.filter(unit=district).exists():
        return
    communes = [units[k] for k in ("Xã Nghi Long", "Xã Nghi Thạch", "Xã Nghi Phong") if k in units]
    specialist, leader = people["chuyenvien.tuphap"], people["lanhdao.nghiloc"]
    clerk = people["vanthu.nghiloc"]
    pdf = None
    this_year = timezone.localdate().year
    for index, (doc_type, subject, days_ago) in enumerate(OUTGOING):
        at = _at(days_ago)
        if at.year != this_year:
            continue
        draft = services.Draft(
            unit=district,
            doc_type=doc_type,
            subject=subject,
            drafting_unit=units["VP"],
            signer=leader,
            signer_position="Chủ tịch UBND huyện",
            body="Căn cứ Nghị định số 30/2020/NĐ-CP ngày 05/3/2020 của Chính phủ về công tác "
            "văn thư.\nUBND huyện đề nghị các đơn vị triển khai thực hiện.",
            recipient_units=communes[: 1 + index % len(communes)],
            external=[
                services.ExternalRecipient(
                    "Sở Thông tin và Truyền thông tỉnh Nghệ An", "000.00.15.H40"
                )
            ]
            if index == 0
            else [],
        )
        upload = ContentFile(pdf, name="du-thao.pdf") if pdf else None
        document = services.create_outgoing(draft, actor=specialist, upload=upload)
        pdf = pdf or document.current_version().read()
        Document.objects.filter(pk=document.pk).update(created_at=at)
        for name, who in (("submit", specialist), ("approve", leader)):
            document = services.transition(document, name, actor=who)
        document = signed_on_demo_phone(document, leader)
        services.transition(document, "issue", actor=clerk, now=at)
    _incoming(units, people, pdf, this_year)


def signed_on_demo_phone(document, leader):
    """The leader signs at the demo CA's remote-signing service, confirming at once."""
    from congso.demo.signing import sign_on_phone
    from congso.signing.services import personal_certificate

    signed = sign_on_phone(
        document.current_version().read(),
        certificate=personal_certificate(leader),
        user=leader,
        reason=_("Người ký văn bản"),
    )
    return services.transition(document, "sign", actor=leader, signed_pdf=signed)


def _incoming(units, people, pdf, this_year):
    district, clerk = units["district"], people["vanthu.nghiloc"]
    leader, specialist = people["lanhdao.nghiloc"], people["chuyenvien.tuphap"]
    steps = {
        "registered": [],
        "assigned": ["present", "assign"],
        "handling": ["present", "assign", "start"],
        "done": ["present", "assign", "start", "finish"],
    }
    for doc_type, subject, author, notation, days_ago, state in INCOMING:
        at = _at(days_ago)
        if at.year != this_year:
            continue
        arrival = services.Arrival(
            unit=district,
            doc_type=doc_type,
            subject=subject,
            author=author,
            notation=notation,
            issued_on=(at - dt.timedelta(days=2)).date(),
        )
        document = services.register_incoming(
            arrival, [(f"{notation.replace('/', '-')}.pdf", pdf)], actor=clerk, now=at
        )
        for name in steps[state]:
            who = {"present": clerk, "assign": leader}.get(name, specialist)
            options = {"lead_unit": units["TP"], "lead_user": specialist, "due_days": 10}
            document = services.transition(
                document, name, actor=who, **(options if name == "assign" else {})
            )
