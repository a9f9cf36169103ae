"""Procedures and their versions: publishing, the version in force, audit, all-or-nothing."""

import datetime as dt

import pytest
from django.core.exceptions import ObjectDoesNotExist, ValidationError

from congso.catalog import services
from congso.catalog.models import Procedure, ProcedureVersion, version_in_force
from congso.catalog.tests.factories import ProcedureFactory, SectorFactory, version_content
from congso.core.models import AuditRecord

pytestmark = pytest.mark.django_db


def _desk(days: int) -> dict:
    return {"desk": {"time_amount": days, "time_unit": "working_days", "fee": {"kind": "free"}}}


def test_create_procedure_with_first_version_saves_everything_and_audits():
    procedure = ProcedureFactory(code="1.001193", name="Đăng ký khai sinh")
    version = procedure.versions.get()
    assert version.number == 1 and version.valid_until is None
    assert [c.channel for c in version.channels.all()] == ["desk", "online"]
    assert [d.name for d in version.documents.all()] == ["Tờ khai"]
    assert [s.position for s in version.steps.all()] == [1, 2]
    assert procedure.search_name == "dang ky khai sinh"
    assert "1.001193" in procedure.search_text
    actions = list(AuditRecord.objects.values_list("action", flat=True))
    assert actions.count("catalog.procedure.create") == 1
    assert actions.count("catalog.version.publish") == 1


def test_publishing_ends_the_previous_version_the_day_before():
    procedure = ProcedureFactory(version=version_content(channels=_desk(5)))
    second = services.publish_version(
        procedure, version_content(valid_from=dt.date(2025, 7, 1), channels=_desk(3))
    )
    first = procedure.versions.get(number=1)
    assert second.number == 2
    assert first.valid_until == dt.date(2025, 6, 30)
    assert version_in_force(procedure, dt.date(2025, 6, 30)) == first
    assert version_in_force(procedure, dt.date(2025, 7, 1)) == second


def test_version_in_force_follows_the_receipt_time():
    procedure = ProcedureFactory(version=version_content(channels=_desk(5)))
    services.publish_version(
        procedure, version_content(valid_from=dt.date(2025, 7, 1), channels=_desk(3))
    )
    received = dt.datetime(2025, 6, 30, 16, 59, tzinfo=dt.UTC)  # 23:59 in Hà Nội: still June
    assert services.get_processing_time(procedure.code, at=received).amount == 5
    later = dt.datetime(2025, 6, 30, 17, 0, tzinfo=dt.UTC)  # 00:00 on 1 July in Hà Nội
    assert services.get_processing_time(procedure.code, at=later).amount == 3


def test_no_version_before_the_first_one_starts():
    procedure = ProcedureFactory()
    with pytest.raises(ProcedureVersion.DoesNotExist):
        version_in_force(procedure, dt.date(2024, 12, 31))
    assert procedure.current_version(dt.date(2024, 12, 31)) is None


def test_new_version_must_start_after_the_latest():
    procedure = ProcedureFactory()
    with pytest.raises(ValidationError) as caught:
        services.publish_version(procedure, version_content(valid_from=dt.date(2025, 1, 1)))
    assert "01/01/2025" in caught.value.message_dict["valid_from"][0]
    assert procedure.versions.count() == 1


def test_bad_content_saves_nothing():
    sector = SectorFactory()
    bad = version_content(documents=[{"name": "Tờ khai", "count": 0}])
    with pytest.raises(ValidationError) as caught:
        services.create_procedure(
            code="1.000001",
            name="Thủ tục lỗi",
            sector=sector,
            level="commune",
            online_mode="partly_online",
            version=bad,
        )
    assert "documents.0.count" in caught.value.message_dict
    assert not Procedure.objects.filter(code="1.000001").exists()
    assert not AuditRecord.objects.filter(action="catalog.procedure.create").exists()


def test_content_errors_are_vietnamese_and_keyed_by_path():
    content = version_content(
        result="",
        channels={"desk": {"time_amount": 0, "time_unit": "working_days", "fee": {"kind": "x"}}},
        steps=[{"name": "B", "role": "boss", "responsible": "commune", "amount": 1, "unit": "x"}],
        form_schema={"type": "object", "properties": {"a": {"type": "strnig"}}, "title": "T"},
    )
    with pytest.raises(ValidationError) as caught:
        services.publish_version(ProcedureFactory(), content)
    errors = caught.value.message_dict
    assert errors["result"] == ["Chưa nhập kết quả."]
    assert "Thời hạn phải từ 1" in errors["channels.desk.time_amount"][0]
    assert "Loại phí “x” không hợp lệ" in errors["channels.desk.fee"][0]
    assert "Vai trò “boss” không hợp lệ" in errors["steps.0.role"][0]
    assert "JSON Schema" in errors["form_schema"][0]


def test_information_only_procedure_takes_no_online_channel():
    with pytest.raises(ValidationError) as caught:
        ProcedureFactory(online_mode="information")
    assert "channels.online" in caught.value.message_dict


def test_update_procedure_changes_identity_and_search_text():
    procedure = ProcedureFactory(name="Tên cũ")
    other = SectorFactory(name="Chứng thực")
    services.update_procedure(procedure, name="Chứng thực chữ ký", sector=other)
    procedure.refresh_from_db()
    assert procedure.search_name == "chung thuc chu ky"
    assert "chung thuc" in procedure.search_text
    record = AuditRecord.objects.get(action="catalog.procedure.update")
    assert record.data["changed"]["name"] == ["Tên cũ", "Chứng thực chữ ký"]


def test_update_refuses_versioned_fields():
    with pytest.raises(ValidationError):
        services.update_procedure(ProcedureFactory(), code="2.000000")


def test_processing_time_per_channel_and_missing_things():
    procedure = ProcedureFactory()
    desk = services.get_processing_time(procedure.code)
    online = services.get_processing_time(procedure.code, channel="online")
    assert (desk.amount, desk.unit, online.amount) == (3, "working_days", 2)
    with pytest.raises(ObjectDoesNotExist):
        services.get_processing_time(procedure.code, channel="post")
    with pytest.raises(ObjectDoesNotExist):
        services.get_processing_time("0.000000")
    with pytest.raises(ObjectDoesNotExist):
        services.get_processing_time(procedure.code, at=dt.date(2020, 1, 1))


def test_same_day_has_amount_zero():
    content = version_content(channels={"desk": {"time_amount": 4, "time_unit": "same_day"}})
    procedure = ProcedureFactory(version=content)
    assert services.get_processing_time(procedure.code).amount == 0


def test_units_offering_a_procedure_by_level_and_explicitly(tree):
    commune_level = ProcedureFactory(level="commune")
    assert set(services.offering_units(commune_level)) == {tree["commune_a"], tree["commune_b"]}
    assert services.offers(commune_level, tree["commune_a"])
    assert not services.offers(commune_level, tree["district"])
    district_level = ProcedureFactory(level="district")
    assert services.offers(district_level, tree["desk"])  # the district's one-stop desk
    services.update_procedure(commune_level, units=[tree["district"]])
    assert services.offers(commune_level, tree["department"])
    assert commune_level in services.procedures_offered_at(tree["district"])
    assert district_level not in services.procedures_offered_at(tree["commune_a"])
