"""Every procedure of the demo catalogue opens at the desk intake page without a server error,
including those whose fee is counted per page (certification of copies, 2.000815 and 2.000942,
answered HTTP 500 while no page count had been typed)."""

import pytest
from django.urls import reverse

from congso.catalog import services as catalog
from congso.onestop.views import _desk_version

URL = reverse("onestop:receive")


def _desk_for(demo, procedure):
    """The demo desk officer whose unit offers ``procedure`` (commune first, then district)."""
    for username, unit in (
        ("motcua.nghilong", demo["units"]["Xã Nghi Long"]),
        ("motcua.nghiloc", demo["people"]["motcua.nghiloc"].positions.first().unit),
    ):
        if catalog.procedures_offered_at(unit).filter(pk=procedure.pk).exists():
            return demo["people"][username], unit
    return None, None


def test_every_procedure_opens_at_the_desk(client, demo):
    opened = 0
    for procedure in catalog.procedures().filter(is_active=True).order_by("code"):
        officer, unit = _desk_for(demo, procedure)
        if officer is None or _desk_version(procedure) is None:
            continue
        client.force_login(officer)
        query = {"unit": unit.pk, "procedure": procedure.code}
        response = client.get(URL, query)
        assert response.status_code == 200, procedure.code
        assert "Tiếp nhận hồ sơ" in response.content.decode()
        # recomputing the fee before any page count is typed is not an error either
        response = client.post(URL, {**query, "action": "fee", "copies": "1", "pages": ""})
        assert response.status_code == 200, procedure.code
        opened += 1
    assert opened >= 20  # the commune's and the district's procedures


@pytest.mark.parametrize("code", ["2.000815", "2.000942"])
def test_certification_intake_asks_for_pages_instead_of_failing(client, demo, code):
    client.force_login(demo["people"]["motcua.nghilong"])
    unit = demo["units"]["Xã Nghi Long"]
    html = client.get(URL, {"unit": unit.pk, "procedure": code}).content.decode()
    assert "Nhập số trang để tính phí" in html
