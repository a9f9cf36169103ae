"""Only actions the official may take are shown: each demo login's landing pages (the workspace
and "Việc của tôi") link only to pages that answer 200 for that official (issue 17, item 3)."""

import html
import re

import pytest
from django.test import Client
from django.urls import reverse

from tests.test_no_500 import demo_people  # noqa: F401 - the demo district, loaded once

pytestmark = pytest.mark.slow

LINK = re.compile(r'<a\b[^>]*\bhref="(/[^"#]*)"')
#: Files and the language switch are not pages of the workspace.
SKIP = ("/static/", "/media/")


def links(page: str) -> set[str]:
    return {html.unescape(url) for url in LINK.findall(page) if not url.startswith(SKIP)}


@pytest.mark.django_db
def test_every_link_of_each_roles_landing_pages_answers(demo_people):  # noqa: F811
    officials = [p for p in demo_people.values() if getattr(p, "is_official", False)]
    assert len(officials) >= 5
    broken = []
    for person in officials:
        client = Client()
        client.force_login(person)
        seen = set()
        for landing in (reverse("accounts:workspace"), reverse("inbox:mine")):
            response = client.get(landing)
            if response.status_code != 200:
                broken.append(f"{person.username} {landing} → {response.status_code}")
                continue
            for url in sorted(links(response.content.decode()) - seen):
                seen.add(url)
                status = client.get(url).status_code
                if status != 200:
                    broken.append(f"{person.username} {landing} → {url} → {status}")
    assert not broken, "\n".join(broken)
