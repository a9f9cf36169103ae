"""Every procedure of the demo catalogue opens on the portal — the start page and, where it is
offered online, every page of the filing (declaration pages, documents, delivery, check) —
without a server error."""

import pytest
from django.urls import reverse

from congso.catalog import services as catalog
from congso.portal import declaration_form, services
from congso.portal.models import Draft

pytestmark = pytest.mark.slow


def _pages(draft) -> list[str]:
    version = services.version_of(draft)
    pid = draft.public_id
    urls = [reverse("portal:draft_unit", args=[pid])]
    for group in declaration_form.groups(version.form_schema or {}):
        urls.append(reverse("portal:draft_form", args=[pid, group.index]))
    for name in ("draft_documents", "draft_delivery", "draft_check"):
        urls.append(reverse(f"portal:{name}", args=[pid]))
    return urls


def test_every_procedure_opens_on_the_portal(client, demo, citizen):
    client.force_login(citizen)
    online = 0
    for procedure in catalog.procedures().filter(is_active=True).order_by("code"):
        start = reverse("portal:start", args=[procedure.code])
        assert client.get(start).status_code == 200, procedure.code
        if not services.offered_online(procedure):
            continue
        response = client.post(start)
        assert response.status_code == 302, procedure.code
        draft = Draft.objects.filter(procedure=procedure).latest("created_at")
        services.set_unit(draft, catalog.offering_units(procedure).first().pk)
        for url in _pages(draft):
            assert client.get(url).status_code == 200, (procedure.code, url)
        # an empty submit is refused with messages, never a server error
        assert client.post(_pages(draft)[-1]).status_code == 200, procedure.code
        online += 1
    assert online >= 10
