"""axe-core finds nothing on any official page, on the office screen and on the phone (issue 17,
"Done means"): each demo official opens their workspace and "Việc của tôi", then every page those
two link to (the link walk of ``tests/test_role_workspaces.py``), each checked at 1280 px and at
360 px with every WCAG 2.1 A/AA rule and axe-core's best practices (landmarks, regions,
headings). One browser context for the whole walk: the official changes by session cookie, the
width by resizing, so each page loads once."""

import pytest
from django.test import Client
from django.urls import reverse

from congso.accounts.middleware import SESSION_KEY
from tests.test_role_workspaces import links

from .a11y import describe, findings

pytestmark = pytest.mark.browser

#: One demo official of each role (the system and unit administrators included), district and
#: commune leaders both: their workspaces differ.
OFFICIALS = [
    "admin",
    "quantri.nghiloc",
    "lanhdao.nghiloc",
    "vanthu.nghiloc",
    "chuyenvien.tuphap",
    "lanhdao.nghilong",
    "motcua.nghilong",
    "congchuc.nghilong",
]
WIDTHS = ({"width": 1280, "height": 900}, {"width": 360, "height": 740})
LANDINGS = ("accounts:workspace", "inbox:mine")


def signed_in(user) -> Client:
    """A session for ``user`` past the second factor, as after the login form."""
    client = Client()
    client.force_login(user)
    session = client.session
    session[SESSION_KEY] = True
    session.save()
    return client


def pages_of(client: Client, seen: set[str]) -> list[str]:
    """The landing pages and every HTML page they link to that answers 200, but for the pages an
    earlier official already had checked (the landing pages are checked for each)."""
    landings = [reverse(name) for name in LANDINGS]
    found = set()
    for url in landings:
        found |= links(client.get(url).content.decode())
    pages = []
    for url in landings + sorted(found - seen - set(landings)):
        response = client.get(url)
        if response.status_code == 200 and response["Content-Type"].startswith("text/html"):
            pages.append(url)
    return pages


def test_every_page_of_each_officials_workspace_is_axe_clean(desktop_page, site, demo):
    page, people = desktop_page, demo["people"]
    reported, checked, seen = {}, 0, set()
    for username in OFFICIALS:
        client = signed_in(people[username])
        page.context.clear_cookies()
        page.context.add_cookies(
            [
                {
                    "name": "sessionid",
                    "value": client.cookies["sessionid"].value,
                    "url": site.base_url,
                }
            ]
        )
        for url in pages_of(client, seen):
            seen.add(url)
            page.goto(site.base_url + url)
            for size in WIDTHS:
                page.set_viewport_size(size)
                checked += 1
                for finding in findings(page):
                    finding["nodes"] = finding["nodes"][:3]
                    key = (finding["id"], size["width"])
                    reported.setdefault(key, (f"{username} {url}", finding))
    assert checked > 2 * len(OFFICIALS) * len(LANDINGS)
    assert not reported, "\n".join(
        f"{where} @{width}px {describe([finding])}"
        for (_rule, width), (where, finding) in sorted(reported.items())
    )
