import datetime as dt

import factory
from django.utils import timezone

from congso.accounts.models import IdProof, Position, Role, User, UserKind

PASSWORD = "Mat-khau-th3-nghiem"


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = User
        skip_postgeneration_save = True

    username = factory.Sequence(lambda n: f"user{n}")
    full_name = factory.Sequence(lambda n: f"Người Dùng {n}")
    kind = UserKind.CITIZEN
    email = factory.LazyAttribute(lambda u: f"{u.username}@example.vn")
    id_number = None
    # a number on an account is a proven one: the factory's people showed their card at the desk
    id_proven_by = factory.LazyAttribute(lambda u: IdProof.DESK if u.id_number else IdProof.NONE)
    id_proven_at = factory.LazyAttribute(lambda u: timezone.now() if u.id_number else None)
    password = factory.PostGenerationMethodCall("set_password", PASSWORD)

    @factory.post_generation
    def _save(obj, create, extracted, **kwargs):
        if create:
            obj.save()


class CitizenFactory(UserFactory):
    id_number = factory.Sequence(lambda n: f"04009{n % 10}{n:06d}"[:12])
    date_of_birth = factory.LazyAttribute(lambda u: dt.date(1900 + int(u.id_number[4:6]), 1, 1))
    sex = "male"


class OfficialFactory(UserFactory):
    kind = UserKind.OFFICIAL


class PositionFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Position

    user = factory.SubFactory(OfficialFactory)
    unit = factory.SubFactory("congso.org.tests.factories.UnitFactory")
    role = Role.SPECIALIST


def cccd_payload(
    serial: int = 1,
    *,
    name: str = "Nguyễn Thị Mai",
    born: dt.date = dt.date(1990, 5, 17),
    sex: str = "female",
    old: str = "186543210",
    address: str = "Xóm 3, xã Nghi Long, huyện Nghi Lộc, Nghệ An",
    issued: dt.date = dt.date(2021, 7, 2),
) -> str:
    """The text a chip-based citizen ID card's QR code holds (``accounts.cccd``), for a made-up
    person of Nghệ An (province 040) whose number agrees with the birth year and sex."""
    century = (born.year // 100 - 19) * 2 + (sex == "female")
    number = f"040{century}{born.year % 100:02d}{serial:06d}"
    sex_word = "Nữ" if sex == "female" else "Nam"
    return "|".join(
        [number, old, name, born.strftime("%d%m%Y"), sex_word, address, issued.strftime("%d%m%Y")]
    )
