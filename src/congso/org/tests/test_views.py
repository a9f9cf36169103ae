"""Unit administration pages: the tree, details, create, edit, retire; errors in Vietnamese."""

import datetime as dt

import pytest
from django.urls import reverse

from congso.accounts.models import Role
from congso.accounts.tests.support import log_in
from congso.core.models import AuditRecord
from congso.org.models import Unit, UnitKind
from congso.org.services import retire_unit

pytestmark = pytest.mark.django_db
TREE = reverse("org:tree")


@pytest.fixture
def sysadmin(tree, official_at, client):
    admin = official_at(tree["province"], Role.SYSTEM_ADMIN, username="quantri.tinh")
    log_in(client, admin)
    return admin


def _unit_form(**fields):
    return {
        "name": "UBND xã C",
        "short_name": "Xã C",
        "kind": UnitKind.COMMUNE,
        "agency_id": "000.03.01.t01",
        "admin_code": "",
        "symbol": "UBND",
        "valid_from": "01/07/2025",
        "address": "",
        "phone": "",
        "email": "",
        "population": "5000",
        "adult_population": "3600",
        **fields,
    }


def test_tree_is_indented_and_marks_retired_units(client, sysadmin, tree):
    retire_unit(tree["commune_b"], on=dt.date(2025, 6, 30), successor=tree["commune_a"])
    html = client.get(TREE).content.decode()
    names = ["UBND tỉnh Thử", "UBND huyện Thử", "Phòng Tư pháp", "UBND xã A", "UBND xã B"]
    assert [html.index(n) for n in names] == sorted(html.index(n) for n in names)
    assert "indent-2" in html  # communes two levels below the province
    row_b = html.split(f'data-unit="{tree["commune_b"].pk}"')[1].split("</tr>")[0]
    assert "Đã hết hiệu lực · chỉ xem" in row_b and "30/06/2025" in row_b
    assert reverse("org:edit", args=[tree["commune_b"].pk]) not in html
    assert reverse("org:edit", args=[tree["commune_a"].pk]) in html
    active_only = client.get(TREE + "?active=1").content.decode()
    assert "UBND xã B" not in active_only


def test_detail_page(client, sysadmin, tree):
    html = client.get(reverse("org:detail", args=[tree["district"].pk])).content.decode()
    assert "000.00.01.T01" in html and "UBND xã A" in html
    assert reverse("org:create_child", args=[tree["district"].pk]) in html


def test_retired_detail_is_read_only(client, sysadmin, tree):
    retire_unit(tree["commune_b"], on=dt.date(2025, 6, 30), successor=tree["commune_a"])
    url = reverse("org:detail", args=[tree["commune_b"].pk])
    html = client.get(url).content.decode()
    assert "Đơn vị đã sáp nhập" in html and "UBND xã A" in html
    assert reverse("org:edit", args=[tree["commune_b"].pk]) not in html
    for name in ("org:edit", "org:retire", "org:create_child"):
        response = client.post(
            reverse(name, args=[tree["commune_b"].pk]), _unit_form(), follow=True
        )
        assert "chỉ được xem, không được thay đổi" in response.content.decode()
    assert Unit.objects.get(pk=tree["commune_b"].pk).name == "UBND xã B"


def test_create_a_child_unit(client, sysadmin, tree):
    response = client.post(reverse("org:create_child", args=[tree["district"].pk]), _unit_form())
    unit = Unit.objects.get(name="UBND xã C")
    assert response.status_code == 302 and response.url == reverse("org:detail", args=[unit.pk])
    assert unit.parent == tree["district"] and unit.agency_id == "000.03.01.T01"
    assert unit.path.startswith(tree["district"].path + ".")
    assert AuditRecord.objects.filter(action="org.unit.create", object_id=str(unit.pk)).exists()


def test_kinds_offered_fit_the_parent(client, sysadmin, tree):
    html = client.get(reverse("org:create_child", args=[tree["commune_a"].pk])).content.decode()
    assert 'value="department"' in html and 'value="district"' not in html
    response = client.post(
        reverse("org:create_child", args=[tree["commune_a"].pk]),
        _unit_form(kind=UnitKind.DISTRICT),
    )
    assert "Loại đơn vị này không đặt được ở vị trí này trong cây." in response.content.decode()


@pytest.mark.parametrize(
    ("fields", "message"),
    [
        ({"agency_id": "123"}, "Mã định danh điện tử phải có 13 ký tự dạng 000.00.00.H41."),
        ({"agency_id": "000.01.01.T01"}, "Mã định danh 000.01.01.T01 đã được dùng cho đơn vị"),
        ({"valid_from": "32/13/2025"}, "Nhập ngày theo dạng dd/mm/yyyy, ví dụ 01/07/2025."),
        (
            {"valid_from": "31/12/1999"},
            "không được trước ngày hiệu lực của đơn vị cấp trên (01/01/2000)",
        ),
        ({"name": ""}, "Hãy nhập tên đơn vị."),
        ({"kind": "kingdom"}, "Loại đơn vị này không đặt được ở vị trí này trong cây."),
        ({"population": "-5"}, "Dân số phải là số nguyên không âm."),
        ({"population": "abc"}, "Dân số phải là số nguyên không âm."),
        ({"adult_population": "9000"}, "Dân số từ 15 tuổi không được lớn hơn tổng dân số."),
        ({"email": "khong-hop-le"}, "Địa chỉ thư điện tử không hợp lệ."),
    ],
)
def test_create_explains_mistakes_in_vietnamese(client, sysadmin, tree, fields, message):
    response = client.post(
        reverse("org:create_child", args=[tree["district"].pk]), _unit_form(**fields)
    )
    assert response.status_code == 200
    assert message in response.content.decode()
    assert not Unit.objects.filter(short_name="Xã C").exists()


def test_edit_a_unit(client, sysadmin, tree):
    url = reverse("org:edit", args=[tree["commune_a"].pk])
    assert 'value="01/01/2000"' in client.get(url).content.decode()
    form = _unit_form(name="UBND xã A (mới)", agency_id="000.01.01.T01", valid_from="01/01/2000")
    assert client.post(url, form).status_code == 302
    unit = Unit.objects.get(pk=tree["commune_a"].pk)
    assert unit.name == "UBND xã A (mới)" and unit.population == 5000
    record = AuditRecord.objects.get(action="org.unit.update")
    assert record.data["changed"]["name"] == ["UBND xã A", "UBND xã A (mới)"]


def test_edit_refuses_another_units_agency_id(client, sysadmin, tree):
    url = reverse("org:edit", args=[tree["commune_a"].pk])
    response = client.post(url, _unit_form(agency_id="000.02.01.T01", valid_from="01/01/2000"))
    assert (
        "Mã định danh 000.02.01.T01 đã được dùng cho đơn vị “UBND xã B”."
        in response.content.decode()
    )


def test_merge_through_the_page(client, sysadmin, tree):
    url = reverse("org:retire", args=[tree["commune_b"].pk])
    html = client.get(url).content.decode()
    assert f'value="{tree["commune_a"].pk}"' in html
    assert f'<option value="{tree["commune_b"].pk}"' not in html  # not its own successor
    form = {"mode": "merge", "on": "30/06/2025", "successor": tree["commune_a"].pk}
    assert client.post(url, form).status_code == 302
    unit = Unit.objects.get(pk=tree["commune_b"].pk)
    assert unit.valid_until == dt.date(2025, 6, 30) and unit.successor == tree["commune_a"]


@pytest.mark.parametrize(
    ("form", "message"),
    [
        ({"mode": "merge", "on": "30/06/2025"}, "Khi sáp nhập phải chọn đơn vị kế thừa."),
        ({"mode": "abolish", "on": "30/06/2025", "successor": "A"}, "Đơn vị kế thừa không hợp lệ"),
        ({"mode": "explode", "on": "30/06/2025"}, "Hình thức không hợp lệ."),
        ({"mode": "abolish", "on": "hôm qua"}, "Nhập ngày theo dạng dd/mm/yyyy"),
        (
            {"mode": "abolish", "on": "31/12/1999"},
            "không được trước ngày bắt đầu hiệu lực (01/01/2000)",
        ),
        ({}, "Hãy chọn sáp nhập hoặc giải thể."),
    ],
)
def test_retire_explains_mistakes(client, sysadmin, tree, form, message):
    response = client.post(reverse("org:retire", args=[tree["commune_b"].pk]), form)
    assert response.status_code == 200
    assert message in response.content.decode()
    assert Unit.objects.get(pk=tree["commune_b"].pk).valid_until is None


def test_abolish_with_a_successor_is_refused(client, sysadmin, tree):
    form = {"mode": "abolish", "on": "30/06/2025", "successor": tree["commune_a"].pk}
    response = client.post(reverse("org:retire", args=[tree["commune_b"].pk]), form)
    assert "Khi giải thể thì không chọn đơn vị kế thừa." in response.content.decode()


def test_service_refusal_shows_on_the_form(client, sysadmin, tree):
    form = {"mode": "abolish", "on": "30/06/2025"}
    response = client.post(reverse("org:retire", args=[tree["district"].pk]), form)
    assert "4 đơn vị trực thuộc còn hiệu lực" in response.content.decode()


def test_only_system_admins_manage_units(client, tree, official_at):
    log_in(client, official_at(tree["district"], Role.UNIT_ADMIN))
    assert client.get(TREE).status_code == 403
    assert client.get(reverse("org:detail", args=[tree["district"].pk])).status_code == 403


def test_system_admin_of_another_province_is_refused(client, tree, two_tier, official_at):
    log_in(client, official_at(two_tier["province"], Role.SYSTEM_ADMIN))
    assert "UBND tỉnh Thử" not in client.get(TREE).content.decode()
    assert client.get(reverse("org:edit", args=[tree["commune_a"].pk])).status_code == 403


def test_unknown_units_are_404(client, sysadmin):
    assert client.get(reverse("org:detail", args=[999999])).status_code == 404
    assert client.get("/units/abc/").status_code == 404


def test_two_tier_tree(client, two_tier, official_at):
    log_in(client, official_at(two_tier["province"], Role.SYSTEM_ADMIN))
    html = client.get(TREE).content.decode()
    assert all(c.name in html for c in two_tier["communes"])
    assert "indent-1" in html
