import factory

from congso.org.models import Unit, UnitKind
from congso.org.services import create_unit


class UnitFactory(factory.django.DjangoModelFactory):
    """Units go through ``create_unit`` so their tree path is right."""

    class Meta:
        model = Unit

    name = factory.Sequence(lambda n: f"UBND xã Thử Nghiệm {n}")
    kind = UnitKind.COMMUNE
    agency_id = factory.Sequence(lambda n: f"{n // 100:03d}.{n % 100:02d}.99.T01")
    parent = None

    @classmethod
    def _create(cls, model_class, *args, **kwargs):
        return create_unit(**kwargs)
