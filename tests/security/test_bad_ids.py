"""A unit id that is not an id (twenty nines, letters, a superscript digit) never reaches the
database: lists in the API answer 400 in the one error format, pages ignore the filter."""

import pytest

from congso.accounts.models import Role

pytestmark = pytest.mark.django_db

HUGE = "99999999999999999999"
NOT_IDS = [HUGE, "abc", "²", "-3"]
API_LISTS = [
    "/api/v1/dossiers/",
    "/api/v1/documents/",
    "/api/v1/skills/teams/",
    "/api/v1/ict/equipment/",
]
PAGES = [
    ("/meetings/", Role.LEADER),
    ("/documents/", Role.LEADER),
    ("/documents/registers/", Role.LEADER),
    ("/accounts/people/", Role.UNIT_ADMIN),
]


@pytest.fixture
def leader_client(tree, official_at, client_for):
    leader = official_at(tree["district"], Role.LEADER)
    return client_for(leader)


@pytest.mark.parametrize("url", API_LISTS)
@pytest.mark.parametrize("value", NOT_IDS)
def test_api_lists_refuse_a_unit_that_is_not_an_id(leader_client, url, value):
    response = leader_client.get(url, {"unit": value})
    assert response.status_code == 400, (url, value, response.status_code)
    error = response.json()["error"]
    assert error["code"] == "invalid" and "unit" in error["fields"]


@pytest.mark.parametrize("url", API_LISTS)
def test_api_lists_accept_a_real_unit(leader_client, tree, url):
    assert leader_client.get(url, {"unit": tree["district"].pk}).status_code == 200


@pytest.mark.parametrize(("url", "role"), PAGES)
@pytest.mark.parametrize("value", NOT_IDS)
def test_pages_ignore_a_unit_that_is_not_an_id(tree, official_at, client_for, url, role, value):
    official = official_at(tree["district"], role)
    response = client_for(official).get(url, {"unit": value})
    assert response.status_code == 200, (url, value, response.status_code)
