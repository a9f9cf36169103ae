"""Demo people of Nghi Lộc. Their password is ``CONGSO_DEMO_PASSWORD``; they can log in only while
``CONGSO_DEMO`` is on (never in production by default).

Signers (leaders, clerks) need the second factor like anywhere else; so that a visitor can try
them, they are enrolled with one published key (``TOTP_SECRET``, printed with the logins) to add
to any authenticator app. The demo administrator is not: it shows the enrolment on first login.
Demo passwords are not flagged for a forced change (everyone shares them on purpose)."""

import datetime as dt

from django.conf import settings
from django.utils import timezone

from congso.accounts.models import IdProof, Position, Role, User, UserKind
from congso.accounts.permissions import signing_roles

#: The published TOTP key of the demo signers (base32); never a secret, like the password.
TOTP_SECRET = "CONGSODEMONGHILOCKYSOVANBAN23456"

#: username, full name, role, unit key (from ``org.demo.load``), title
OFFICIALS = [
    ("admin", "Quản trị hệ thống", Role.SYSTEM_ADMIN, "province", "Quản trị hệ thống"),
    ("quantri.nghiloc", "Hồ Văn Quân", Role.UNIT_ADMIN, "district", "Quản trị đơn vị"),
    ("lanhdao.nghiloc", "Nguyễn Văn Lãnh", Role.LEADER, "district", "Chủ tịch UBND huyện"),
    ("vanthu.nghiloc", "Trần Thị Thư", Role.CLERK, "VP", "Văn thư"),
    ("motcua.nghiloc", "Lê Thị Cửa", Role.DESK_OFFICER, "desk", "Cán bộ Bộ phận Một cửa"),
    ("chuyenvien.tuphap", "Phạm Văn Pháp", Role.SPECIALIST, "TP", "Chuyên viên Phòng Tư pháp"),
    ("lanhdao.nghilong", "Hoàng Văn Long", Role.LEADER, "Xã Nghi Long", "Chủ tịch UBND xã"),
    ("motcua.nghilong", "Võ Thị Hoa", Role.DESK_OFFICER, "Xã Nghi Long", "Cán bộ Một cửa xã"),
    (
        "congchuc.nghilong",
        "Đặng Thị Hộ",
        Role.SPECIALIST,
        "Xã Nghi Long",
        "Công chức Tư pháp - Hộ tịch",
    ),
    ("vanthu.nghilong", "Nguyễn Thị Văn", Role.CLERK, "Xã Nghi Long", "Văn thư UBND xã"),
]

CITIZENS = [
    (
        "congdan.an",
        "Nguyễn Văn An",
        "040090001234",
        dt.date(1990, 5, 12),
        "male",
        "+84912345678",
        "an@example.vn",
        "Xã Nghi Long",
    ),
    (
        "congdan.binh",
        "Trần Thị Bình",
        "040195004321",
        dt.date(1995, 8, 3),
        "female",
        "+84987654321",
        "binh@example.vn",
        "Thị trấn Quán Hành",
    ),
]


def _user(username: str, **fields) -> User:
    user, created = User.objects.get_or_create(
        username=username, defaults={**fields, "is_demo": True}
    )
    if created:
        user.set_password(settings.DEMO_PASSWORD)
        user.save()
    return user


def load(units: dict) -> dict[str, User]:
    people = {}
    for username, name, role, unit_key, title in OFFICIALS:
        superuser = role == Role.SYSTEM_ADMIN
        user = _user(
            username,
            full_name=name,
            kind=UserKind.OFFICIAL,
            is_staff=superuser,
            is_superuser=superuser,
            email=f"{username}@nghiloc.demo.vn",
        )
        Position.objects.get_or_create(
            user=user,
            unit=units[unit_key],
            role=role,
            defaults={"title": title, "valid_from": dt.date(2020, 1, 1)},
        )
        if role in signing_roles() and not user.totp_confirmed:
            user.totp_secret, user.totp_confirmed = TOTP_SECRET, True
            user.save(update_fields=["totp_secret", "totp_confirmed"])
        people[username] = user
    for username, name, id_number, born, sex, phone, email, home in CITIZENS:
        people[username] = _user(
            username,
            full_name=name,
            kind=UserKind.CITIZEN,
            id_number=id_number,
            id_proven_by=IdProof.DESK,  # the demo citizens showed their card at the desk
            id_proven_at=timezone.now(),
            date_of_birth=born,
            sex=sex,
            phone=phone,
            email=email,
            home_unit=units[home],
            address=f"{units[home].short_name}, Nghi Lộc, Nghệ An",
        )
    return people


def logins() -> list[tuple[str, str]]:
    """(username, what the account is) for the banner ``make run`` prints."""
    key = f" (mã xác thực hai lớp: khoá TOTP {TOTP_SECRET})"
    rows = [
        (u, f"{title}{key if role in signing_roles() else ''}")
        for u, _n, role, _k, title in OFFICIALS
    ]
    rows += [(u, f"Công dân {name}") for u, name, *_rest in CITIZENS]
    return rows
