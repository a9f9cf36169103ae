import datetime as dt

import factory

from .models import Position, Role, User, UserKind

PASSWORD = "Mat-khau-th3-nghiem"


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = User
        skip_postgeneration_save = True

    username = factory.Sequence(lambda n: f"user{n}")
    full_name = factory.Sequence(lambda n: f"Người Dùng {n}")
    kind = UserKind.CITIZEN
    email = factory.LazyAttribute(lambda u: f"{u.username}@example.vn")
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
    unit = factory.SubFactory("congso.org.factories.UnitFactory")
    role = Role.SPECIALIST
