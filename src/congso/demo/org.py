"""The demo district: Nghệ An → Nghi Lộc (pre-2025 three tiers), its departments and communes.

Names are real (regulations §11); the agency electronic IDs follow the real pattern
(``000.<level 3>.<level 2>.H41``) but are illustrative, not the registered ones.
"""

import datetime as dt

from congso.org.models import Unit, UnitKind
from congso.org.services import create_unit

PROVINCE_ID = "000.00.00.H41"
DISTRICT_ID = "000.00.29.H41"

COMMUNES = [
    ("Thị trấn Quán Hành", UnitKind.TOWNSHIP, 10000),
    ("Xã Khánh Hợp", UnitKind.COMMUNE, 7000),
    ("Xã Nghi Công Bắc", UnitKind.COMMUNE, 9000),
    ("Xã Nghi Công Nam", UnitKind.COMMUNE, 8000),
    ("Xã Nghi Đồng", UnitKind.COMMUNE, 7000),
    ("Xã Nghi Hưng", UnitKind.COMMUNE, 6000),
    ("Xã Nghi Kiều", UnitKind.COMMUNE, 9000),
    ("Xã Nghi Lâm", UnitKind.COMMUNE, 11000),
    ("Xã Nghi Long", UnitKind.COMMUNE, 12000),
    ("Xã Nghi Mỹ", UnitKind.COMMUNE, 8000),
    ("Xã Nghi Phương", UnitKind.COMMUNE, 10000),
    ("Xã Nghi Quang", UnitKind.COMMUNE, 9000),
    ("Xã Nghi Thạch", UnitKind.COMMUNE, 8000),
    ("Xã Nghi Thiết", UnitKind.COMMUNE, 5000),
    ("Xã Nghi Thuận", UnitKind.COMMUNE, 9000),
    ("Xã Nghi Tiến", UnitKind.COMMUNE, 9000),
    ("Xã Nghi Trung", UnitKind.COMMUNE, 7000),
    ("Xã Nghi Vạn", UnitKind.COMMUNE, 8000),
    ("Xã Nghi Văn", UnitKind.COMMUNE, 13000),
    ("Xã Nghi Xá", UnitKind.COMMUNE, 7000),
    ("Xã Nghi Yên", UnitKind.COMMUNE, 7000),
    ("Xã Diên Hoa", UnitKind.COMMUNE, 8000),
    ("Xã Thịnh Trường", UnitKind.COMMUNE, 6000),
]

DEPARTMENTS = [
    ("Văn phòng HĐND và UBND huyện", "VP"),
    ("Phòng Tư pháp", "TP"),
    ("Phòng Tài chính - Kế hoạch", "TCKH"),
    ("Phòng Tài nguyên và Môi trường", "TNMT"),
    ("Phòng Kinh tế - Hạ tầng", "KTHT"),
    ("Phòng Nông nghiệp và PTNT", "NN"),
    ("Phòng Lao động - Thương binh và Xã hội", "LĐTBXH"),
    ("Phòng Văn hoá và Thông tin", "VHTT"),
    ("Phòng Giáo dục và Đào tạo", "GDĐT"),
    ("Phòng Nội vụ", "NV"),
    ("Phòng Y tế", "YT"),
    ("Thanh tra huyện", "TTr"),
]


def _ensure(agency_id: str, **fields) -> Unit:
    unit = Unit.objects.filter(agency_id=agency_id).first()
    return unit or create_unit(agency_id=agency_id, **fields)


def load() -> dict[str, Unit]:
    since = dt.date(2008, 1, 1)
    province = _ensure(
        PROVINCE_ID,
        name="UBND tỉnh Nghệ An",
        short_name="Nghệ An",
        kind=UnitKind.PROVINCE,
        admin_code="40",
        symbol="UBND",
        valid_from=since,
        address="16 Trường Thi, TP Vinh, Nghệ An",
    )
    district = _ensure(
        DISTRICT_ID,
        parent=province,
        name="UBND huyện Nghi Lộc",
        short_name="Nghi Lộc",
        kind=UnitKind.DISTRICT,
        admin_code="429",
        symbol="UBND",
        valid_from=since,
        population=218005,
        adult_population=160000,
        address="Thị trấn Quán Hành, huyện Nghi Lộc",
        phone="0238 3861 266",
        email="ubnd@nghiloc.nghean.gov.vn",
    )
    units = {"province": province, "district": district}
    for number, (name, symbol) in enumerate(DEPARTMENTS, start=30):
        units[symbol] = _ensure(
            f"000.{number:02d}.29.H41",
            parent=district,
            name=name,
            kind=UnitKind.DEPARTMENT,
            symbol=symbol,
            valid_from=since,
        )
    units["desk"] = _ensure(
        "000.50.29.H41",
        parent=district,
        name="Bộ phận Một cửa huyện Nghi Lộc",
        kind=UnitKind.ONESTOP_DESK,
        symbol="BPMC",
        valid_from=since,
    )
    for number, (name, kind, population) in enumerate(COMMUNES, start=1):
        units[name] = _ensure(
            f"000.{number:02d}.29.H41",
            parent=district,
            name=f"UBND {name[0].lower()}{name[1:]}",
            short_name=name,
            kind=kind,
            symbol="UBND",
            valid_from=since,
            population=population,
            adult_population=int(population * 0.72),
        )
    return units
