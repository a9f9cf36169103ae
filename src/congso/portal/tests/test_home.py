"""The home page leads an anonymous visitor to every public service, and each one opens."""

import re

import pytest
from django.urls import reverse

pytestmark = pytest.mark.django_db


def test_every_public_service_on_the_home_page_opens_for_a_visitor(client):
    html = client.get(reverse("portal:home")).text
    block = re.search(r'data-testid="home-services">(.*?)</ul>', html, re.S).group(1)
    links = re.findall(r'href="([^"]+)"', block)
    assert reverse("signing:verify") in links and reverse("skills:index") in links
    assert len(links) == 5
    for link in links:
        response = client.get(link, follow=True)
        assert response.status_code == 200, link
