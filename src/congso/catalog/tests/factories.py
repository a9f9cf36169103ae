"""Test data for the catalogue, built through the services like real data."""

import datetime as dt

import factory

from congso.catalog import services
from congso.catalog.models import Level, OnlineMode, Procedure, Sector


def version_content(**overrides) -> dict:
    """A complete, valid version: desk and online, one document, two steps, a small form."""
    content = {
        "valid_from": dt.date(2025, 1, 1),
        "applicants": "Công dân",
        "deciding_agency": "Ủy ban nhân dân cấp xã",
        "coordinating_agencies": "",
        "where_to_file": "Bộ phận Một cửa",
        "result": "Giấy xác nhận",
        "conditions": "",
        "legal_basis": "Luật mẫu",
        "change_note": "",
        "form_schema": {
            "title": "Tờ khai mẫu",
            "type": "object",
            "required": ["full_name"],
            "properties": {"full_name": {"type": "string", "title": "Họ và tên"}},
        },
        "channels": {
            "desk": {"time_amount": 3, "time_unit": "working_days", "fee": {"kind": "free"}},
            "online": {"time_amount": 2, "time_unit": "working_days", "fee": {"kind": "free"}},
        },
        "documents": [{"name": "Tờ khai", "is_declaration": True}],
        "steps": [
            {
                "name": "Tiếp nhận",
                "role": "desk_officer",
                "responsible": "commune",
                "amount": 4,
                "unit": "working_hours",
            },
            {
                "name": "Giải quyết",
                "role": "specialist",
                "responsible": "commune",
                "amount": 2,
                "unit": "working_days",
            },
        ],
    }
    content.update(overrides)
    return content


class SectorFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Sector

    code = factory.Sequence(lambda n: f"LV{n}")
    name = factory.Sequence(lambda n: f"Lĩnh vực thử {n}")

    @classmethod
    def _create(cls, model_class, *args, **kwargs):
        return services.create_sector(**kwargs)


class ProcedureFactory(factory.django.DjangoModelFactory):
    """A procedure with its first version (pass ``version=None`` for none)."""

    class Meta:
        model = Procedure

    code = factory.Sequence(lambda n: f"9.{n:06d}")
    name = factory.Sequence(lambda n: f"Thủ tục thử nghiệm số {n}")
    sector = factory.SubFactory(SectorFactory)
    level = Level.COMMUNE
    online_mode = OnlineMode.PARTLY_ONLINE
    version = factory.LazyFunction(version_content)

    @classmethod
    def _create(cls, model_class, *args, **kwargs):
        return services.create_procedure(**kwargs)
