"""People administration rules, straight on the services."""

import datetime as dt

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone
from rest_framework.authtoken.models import Token

from congso.accounts import services
from congso.accounts.models import Factor, Lockout, Position, Role, User
from congso.accounts.tests.factories import OfficialFactory, PositionFactory
from congso.core.models import AuditRecord
from congso.org.services import retire_unit

pytestmark = pytest.mark.django_db
GOOD = "Lua-chin-vang-2024"


@pytest.fixture
def admin_a(tree, official_at):
    return official_at(tree["commune_a"], Role.UNIT_ADMIN, username="quantri.a")


def _create(actor, unit, role=Role.DESK_OFFICER, **fields):
    data = {"username": "motcua.moi", "full_name": "Lê Thị Mới", "password": GOOD, **fields}
    return services.create_official(actor=actor, unit=unit, role=role, **data)


def _errors(call) -> dict:
    with pytest.raises(ValidationError) as caught:
        call()
    return caught.value.message_dict


# --- creating officials ----------------------------------------------------------------------


def test_unit_admin_creates_an_official_in_their_commune(tree, admin_a):
    person, generated = _create(
        admin_a, tree["commune_a"], email="Moi@Example.vn", phone="0912 345 678", title="Một cửa"
    )
    assert generated is None
    person.refresh_from_db()
    assert person.is_official and person.check_password(GOOD)
    assert person.email == "moi@example.vn" and person.phone == "+84912345678"
    position = person.positions.get()
    assert (position.unit, position.role, position.title) == (
        tree["commune_a"],
        Role.DESK_OFFICER,
        "Một cửa",
    )
    records = AuditRecord.objects.filter(action__startswith="accounts.")
    assert {r.action for r in records} == {"accounts.official.create", "accounts.position.add"}
    assert {r.unit_id for r in records} == {tree["commune_a"].pk}
    assert all(GOOD not in str(r.data) for r in records)


def test_generated_password_is_returned_once_and_works(tree, admin_a):
    person, generated = _create(admin_a, tree["commune_a"], password=None)
    assert generated and person.check_password(generated)


def test_unit_admin_cannot_create_at_another_commune(tree, admin_a):
    with pytest.raises(PermissionDenied):
        _create(admin_a, tree["commune_b"])
    assert not User.objects.filter(username="motcua.moi").exists()


def test_unit_admin_cannot_grant_system_admin(tree, admin_a):
    with pytest.raises(PermissionDenied):
        _create(admin_a, tree["commune_a"], role=Role.SYSTEM_ADMIN)
    assert Role.SYSTEM_ADMIN not in services.grantable_roles(admin_a)


def test_unit_admin_grants_unit_admin_only_within_scope(tree, admin_a):
    _create(admin_a, tree["commune_a"], role=Role.UNIT_ADMIN)
    with pytest.raises(PermissionDenied):
        _create(admin_a, tree["district"], role=Role.UNIT_ADMIN, username="quantri.huyen")


def test_system_admin_may_grant_system_admin(tree, official_at):
    root = official_at(tree["province"], Role.SYSTEM_ADMIN)
    person, _ = _create(root, tree["district"], role=Role.SYSTEM_ADMIN)
    assert person.positions.get().role == Role.SYSTEM_ADMIN


@pytest.mark.parametrize(
    ("fields", "field"),
    [
        ({"username": "ab"}, "username"),
        ({"username": "Có Dấu"}, "username"),
        ({"username": "0912345678"}, "username"),
        ({"username": "QUANTRI.A"}, "username"),  # taken, whatever the case
        ({"full_name": "   "}, "full_name"),
        ({"email": "khong-phai-email"}, "email"),
        ({"email": "QUANTRI.A@example.vn"}, "email"),  # the factory's address of admin_a
        ({"phone": "12345"}, "phone"),
        ({"password": "ngan"}, "password"),
        ({"password": "motcua.moi!1"}, "password"),  # too like the username
    ],
)
def test_bad_input_is_refused_field_by_field(tree, admin_a, fields, field):
    errors = _errors(lambda: _create(admin_a, tree["commune_a"], **fields))
    assert field in errors
    assert not Position.objects.filter(unit=tree["commune_a"], role=Role.DESK_OFFICER).exists()


def test_duplicate_phone_in_another_spelling_is_refused(tree, admin_a):
    OfficialFactory(phone="+84912345678")
    assert "phone" in _errors(lambda: _create(admin_a, tree["commune_a"], phone="0912.345.678"))


def test_position_cannot_start_before_its_unit(tree, admin_a):
    errors = _errors(lambda: _create(admin_a, tree["commune_a"], valid_from=dt.date(1999, 12, 31)))
    assert "valid_from" in errors
    assert not User.objects.filter(username="motcua.moi").exists()


# --- positions -------------------------------------------------------------------------------


def test_add_and_end_a_position(tree, admin_a, official_at):
    person = official_at(tree["commune_a"], Role.DESK_OFFICER)
    position = services.add_position(person, actor=admin_a, unit=tree["commune_a"], role=Role.CLERK)
    assert position.valid_until is None
    today = timezone.localdate()
    services.end_position(position, actor=admin_a, on=today)
    position.refresh_from_db()
    assert position.valid_until == today
    actions = AuditRecord.objects.filter(
        object_type="accounts.position", object_id=str(position.pk)
    ).values_list("action", flat=True)
    assert list(actions) == ["accounts.position.add", "accounts.position.end"]


def test_a_role_held_before_is_opened_again(tree, admin_a, official_at):
    person = official_at(tree["commune_a"], Role.DESK_OFFICER)
    person.positions.update(valid_from=dt.date(2020, 1, 1))
    position = person.positions.get()
    services.end_position(position, actor=admin_a, on=timezone.localdate() - dt.timedelta(days=10))
    again = services.add_position(
        person, actor=admin_a, unit=tree["commune_a"], role=Role.DESK_OFFICER
    )
    assert again.pk == position.pk and again.valid_until is None
    assert AuditRecord.objects.filter(action="accounts.position.reopen").exists()


def test_a_current_role_is_not_given_twice(tree, admin_a, official_at):
    person = official_at(tree["commune_a"], Role.DESK_OFFICER)
    with pytest.raises(ValidationError):
        services.add_position(person, actor=admin_a, unit=tree["commune_a"], role=Role.DESK_OFFICER)


def test_no_position_at_a_retired_unit(tree, admin_a, official_at):
    person = official_at(tree["commune_a"], Role.DESK_OFFICER)
    root = official_at(tree["province"], Role.SYSTEM_ADMIN)
    retire_unit(tree["desk"], on=timezone.localdate())
    errors = _errors(
        lambda: services.add_position(person, actor=root, unit=tree["desk"], role=Role.DESK_OFFICER)
    )
    assert "unit" in errors


def test_end_date_checks(tree, admin_a, official_at):
    person = official_at(tree["commune_a"], Role.DESK_OFFICER)
    position = person.positions.get()
    assert "on" in _errors(
        lambda: services.end_position(
            position, actor=admin_a, on=position.valid_from - dt.timedelta(1)
        )
    )
    services.end_position(position, actor=admin_a)
    with pytest.raises(ValidationError):
        services.end_position(position, actor=admin_a)


def test_admin_of_a_cannot_touch_positions_at_b(tree, admin_a, official_at):
    person_b = official_at(tree["commune_b"], Role.DESK_OFFICER)
    with pytest.raises(PermissionDenied):
        services.end_position(person_b.positions.get(), actor=admin_a)
    with pytest.raises(PermissionDenied):
        services.add_position(person_b, actor=admin_a, unit=tree["commune_a"], role=Role.CLERK)
    assert person_b.positions.get().valid_until is None


def test_unit_admin_cannot_end_a_system_admin_position(tree, admin_a, official_at):
    root = official_at(tree["commune_a"], Role.SYSTEM_ADMIN)
    with pytest.raises(PermissionDenied):
        services.end_position(root.positions.get(), actor=admin_a)


def test_nobody_changes_their_own_positions(tree, admin_a):
    with pytest.raises(PermissionDenied):
        services.add_position(admin_a, actor=admin_a, unit=tree["commune_a"], role=Role.LEADER)
    with pytest.raises(PermissionDenied):
        services.end_position(admin_a.positions.get(), actor=admin_a)


# --- who is visible ------------------------------------------------------------------------


def test_admin_of_a_sees_a_not_b(tree, admin_a, official_at):
    person_a = official_at(tree["commune_a"], Role.DESK_OFFICER)
    person_b = official_at(tree["commune_b"], Role.DESK_OFFICER)
    visible = set(services.visible_people(admin_a))
    assert person_a in visible and admin_a in visible
    assert person_b not in visible


def test_leavers_stay_visible_movers_follow_their_new_unit(tree, admin_a, official_at):
    yesterday = timezone.localdate() - dt.timedelta(days=1)
    leaver = official_at(tree["commune_a"], Role.DESK_OFFICER)
    leaver.positions.update(valid_from=dt.date(2020, 1, 1), valid_until=yesterday)
    mover = official_at(tree["commune_b"], Role.DESK_OFFICER)
    PositionFactory(
        user=mover,
        unit=tree["commune_a"],
        role=Role.CLERK,
        valid_from=dt.date(2020, 1, 1),
        valid_until=yesterday,
    )
    visible = set(services.visible_people(admin_a))
    assert leaver in visible
    assert mover not in visible


def test_account_actions_need_every_current_position_in_reach(tree, admin_a, official_at):
    both = official_at(tree["commune_a"], Role.DESK_OFFICER)
    PositionFactory(user=both, unit=tree["commune_b"], role=Role.DESK_OFFICER)
    assert both in set(services.visible_people(admin_a))
    assert not services.may_manage_account(admin_a, both)
    with pytest.raises(PermissionDenied):
        services.deactivate(both, actor=admin_a)
    both.refresh_from_db()
    assert both.is_active


# --- account actions -------------------------------------------------------------------------


def test_deactivate_and_reactivate(tree, admin_a, official_at):
    person = official_at(tree["commune_a"], Role.DESK_OFFICER)
    Token.objects.create(user=person)
    services.deactivate(person, actor=admin_a)
    person.refresh_from_db()
    assert not person.is_active and not Token.objects.filter(user=person).exists()
    with pytest.raises(ValidationError):
        services.deactivate(person, actor=admin_a)
    services.reactivate(person, actor=admin_a)
    person.refresh_from_db()
    assert person.is_active
    records = AuditRecord.objects.filter(
        object_id=str(person.pk), action__startswith="accounts.user"
    )
    assert [(r.action, r.unit_id) for r in records] == [
        ("accounts.user.deactivate", tree["commune_a"].pk),
        ("accounts.user.reactivate", tree["commune_a"].pk),
    ]


def test_account_actions_refused_on_self_b_and_system_admins(tree, admin_a, official_at):
    person_b = official_at(tree["commune_b"], Role.DESK_OFFICER)
    root = official_at(tree["commune_a"], Role.SYSTEM_ADMIN)
    superuser = official_at(tree["commune_a"], Role.DESK_OFFICER, is_superuser=True)
    for change in (services.deactivate, services.reset_lockout, services.reset_totp):
        for target in (admin_a, person_b, root, superuser):
            with pytest.raises(PermissionDenied):
                change(target, actor=admin_a)


def test_reset_lockout(tree, admin_a, official_at):
    person = official_at(tree["commune_a"], Role.DESK_OFFICER)
    with pytest.raises(ValidationError):
        services.reset_lockout(person, actor=admin_a)
    Lockout.objects.create(
        user=person,
        factor=Factor.PASSWORD,
        ip="203.0.113.9",
        locked_until=timezone.now() + dt.timedelta(minutes=10),
    )
    assert person.is_locked
    services.reset_lockout(person, actor=admin_a)
    assert not person.is_locked and not person.lockouts.exists()
    assert AuditRecord.objects.filter(action="accounts.user.unlock").count() == 1


def test_reset_totp(tree, admin_a, official_at):
    person = official_at(
        tree["commune_a"],
        Role.UNIT_ADMIN,
        totp_secret="JBSWY3DPEHPK3PXPJBSWY3DP",
        totp_confirmed=True,
    )
    services.reset_totp(person, actor=admin_a)
    person.refresh_from_db()
    assert person.totp_secret == "" and not person.totp_confirmed
    with pytest.raises(ValidationError):
        services.reset_totp(person, actor=admin_a)
