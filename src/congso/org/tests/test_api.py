"""The public list of units answers junk filters with a list, never a server error."""

import pytest

pytestmark = pytest.mark.django_db
URL = "/api/v1/units/"


def test_filter_by_parent_and_kind(client, tree):
    rows = client.get(URL, {"parent": tree["district"].pk, "kind": "commune"}).json()["results"]
    assert {r["name"] for r in rows} == {"UBND xã A", "UBND xã B"}


@pytest.mark.parametrize("parent", ["²", "１２", "abc", "-1", "9" * 30, ""])
def test_junk_parent_is_ignored_or_empty(client, tree, parent):
    assert client.get(URL, {"parent": parent}).status_code == 200
