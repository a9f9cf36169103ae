"""Every page of accounts and org answers junk with a message, never with a 500."""

import pytest
from django.urls import reverse

from congso.accounts.models import Role
from congso.accounts.tests.support import log_in

pytestmark = [pytest.mark.django_db, pytest.mark.slow]

JUNK = [
    "",
    " ",
    "x" * 5000,
    "<script>alert(1)</script>",
    "１２３",
    "-1",
    "9" * 30,
    "' OR 1=1 --",
    "a\x00b",
]
HUGE = "9" * 30


@pytest.fixture
def admin(tree, official_at, client):
    admin = official_at(tree["province"], Role.SYSTEM_ADMIN)
    log_in(client, admin)
    return admin


def _pages(tree, person):
    unit = tree["commune_a"].pk
    position = person.positions.get().pk
    return [
        reverse("accounts:login"),
        reverse("accounts:totp"),
        reverse("accounts:people"),
        reverse("accounts:person_create"),
        reverse("accounts:person", args=[person.pk]),
        reverse("accounts:position_add", args=[person.pk]),
        reverse("accounts:position_end", args=[person.pk, position]),
        reverse("accounts:person_deactivate", args=[person.pk]),
        reverse("accounts:person_unlock", args=[person.pk]),
        reverse("accounts:person_reset_totp", args=[person.pk]),
        reverse("accounts:eid_start"),
        reverse("accounts:eid_callback"),
        reverse("org:tree"),
        reverse("org:detail", args=[unit]),
        reverse("org:edit", args=[unit]),
        reverse("org:create_child", args=[unit]),
        reverse("org:retire", args=[unit]),
    ]


FIELDS = [
    "username",
    "password",
    "code",
    "next",
    "q",
    "unit",
    "role",
    "page",
    "full_name",
    "email",
    "phone",
    "valid_from",
    "on",
    "mode",
    "successor",
    "name",
    "kind",
    "agency_id",
    "population",
    "state",
    "error",
]


@pytest.mark.parametrize("value", JUNK)
def test_junk_in_every_field_of_every_page(client, admin, tree, official_at, value):
    person = official_at(tree["commune_a"], Role.DESK_OFFICER)
    data = dict.fromkeys(FIELDS, value)
    for url in _pages(tree, person):
        for response in (client.get(url, data), client.post(url, data)):
            assert response.status_code < 500, (url, value, response.status_code)
        log_in(client, admin)  # a junk POST to logout-like pages must not matter


def test_huge_ids_in_addresses_are_404(client, admin):
    for url in (
        f"/accounts/people/{HUGE}/",
        f"/accounts/people/{HUGE}/positions/{HUGE}/end/",
        f"/units/{HUGE}/",
        f"/units/{HUGE}/edit/",
    ):
        assert client.get(url).status_code == 404, url
