"""An official whose password an administrator set must replace it before anything else; the
change page needs the old password and applies AUTH_PASSWORD_VALIDATORS."""

import pytest
from django.urls import reverse

from congso.accounts import services
from congso.accounts.models import Role
from congso.accounts.tests.support import log_in
from congso.core.models import AuditRecord

pytestmark = pytest.mark.django_db
CHANGE = reverse("accounts:password_change")
NEW = "Mat-khau-moi-2025!"


@pytest.fixture
def created(tree, official_at):
    admin = official_at(tree["district"], Role.UNIT_ADMIN)
    user, password = services.create_official(
        actor=admin,
        username="motcua.moi",
        full_name="Cán Bộ Mới",
        unit=tree["desk"],
        role=Role.DESK_OFFICER,
        password=None,
    )
    return user, password


def test_first_login_goes_to_the_change_page_and_nowhere_else(client, created):
    user, password = created
    assert user.must_change_password
    response = client.post(
        reverse("accounts:login"), {"username": user.username, "password": password}
    )
    assert response.url.startswith(CHANGE)
    for page in ("accounts:workspace", "portal:home"):
        held = client.get(reverse(page))
        assert held.status_code == 302 and held.url.startswith(CHANGE), page
    api = client.get(reverse("api-units"))
    assert api.status_code == 403 and api.json()["error"]["code"] == "password_change_required"

    weak = client.post(
        CHANGE, {"old_password": password, "new_password1": "123", "new_password2": "123"}
    )
    assert weak.status_code == 200
    wrong_old = client.post(
        CHANGE, {"old_password": "sai", "new_password1": NEW, "new_password2": NEW}
    )
    assert "Mật khẩu hiện tại không đúng." in wrong_old.content.decode()
    user.refresh_from_db()
    assert user.must_change_password and user.check_password(password)

    done = client.post(
        CHANGE, {"old_password": password, "new_password1": NEW, "new_password2": NEW}
    )
    assert done.status_code == 302
    user.refresh_from_db()
    assert not user.must_change_password and user.check_password(NEW)
    assert client.get(reverse("accounts:workspace")).status_code == 200  # this session stays
    assert AuditRecord.objects.filter(
        action="accounts.password.change", object_id=str(user.pk)
    ).exists()


def test_api_token_refused_until_the_password_is_changed(client, created):
    user, password = created
    refused = client.post(
        reverse("api-token"),
        {"username": user.username, "password": password},
        content_type="application/json",
    )
    assert refused.status_code == 403
    assert refused.json()["error"]["code"] == "password_change_required"


def test_any_official_may_change_their_own_password(client, tree, official_at):
    from congso.accounts.tests.factories import PASSWORD

    officer = official_at(tree["commune_a"], Role.SPECIALIST)
    log_in(client, officer)
    assert CHANGE in client.get(reverse("accounts:workspace")).content.decode()
    client.post(CHANGE, {"old_password": PASSWORD, "new_password1": NEW, "new_password2": NEW})
    officer.refresh_from_db()
    assert officer.check_password(NEW)
