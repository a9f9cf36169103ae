"""A strict Content-Security-Policy on every response: no inline script, no inline style, no
plug-in, never framed. The pages must work under it, so no template may hold what it blocks."""

import re
from pathlib import Path

import pytest
from django.urls import reverse

from congso.accounts.models import Role

pytestmark = pytest.mark.django_db

SRC = Path(__file__).resolve().parents[2]
INLINE_SCRIPT = re.compile(r"<script(?![^>]*\bsrc=)(?![^>]*\bnonce=)[^>]*>", re.I)
EVENT_HANDLER = re.compile(r"<[a-z][^>]*\son[a-z]+\s*=", re.I | re.S)
STYLE_ATTRIBUTE = re.compile(r"<[a-z][^>]*\sstyle\s*=", re.I | re.S)
#: Rendered into PDFs by WeasyPrint, never served to a browser.
PDF_ONLY = ("/pdf/", "/print/", "_pdf.html", "pdf.html")


def _directives(response) -> dict[str, str]:
    header = response["Content-Security-Policy"]
    return dict(part.strip().split(" ", 1) for part in header.split(";"))


@pytest.fixture
def pages(tree, official_at, citizen):
    official = official_at(tree["commune_a"], Role.CLERK)
    return [
        (None, reverse("portal:home")),
        (None, reverse("accounts:login")),
        (None, reverse("catalog:search")),
        (citizen, reverse("portal:my_dossiers")),
        (official, reverse("accounts:workspace")),
        (official, reverse("documents:list")),
    ]


def test_every_page_carries_the_strict_policy_and_no_inline_script(client, pages):
    for user, url in pages:
        client.logout()
        if user:
            client.force_login(user)
        response = client.get(url)
        assert response.status_code == 200, url
        policy = _directives(response)
        assert policy["default-src"] == "'self'"
        assert policy["script-src"] == "'self'"
        assert policy["style-src"] == "'self'"
        assert policy["object-src"] == "'none'"
        assert policy["base-uri"] == "'none'"
        assert policy["frame-ancestors"] == "'none'"
        assert policy["form-action"].startswith("'self'")
        html = response.content.decode()
        assert not INLINE_SCRIPT.search(html), url
        assert not EVENT_HANDLER.search(html), url
        assert not STYLE_ATTRIBUTE.search(html), url


def test_errors_and_api_answers_carry_it_too(client):
    assert "default-src 'self'" in client.get("/khong-co-trang-nay/")["Content-Security-Policy"]
    assert "default-src 'self'" in client.get("/api/v1/catalog/")["Content-Security-Policy"]


def test_the_api_docs_work_under_their_policy(client):
    response = client.get("/api/docs/")
    assert response.status_code == 200
    policy = _directives(response)
    assert policy["script-src"] == "'self'"
    html = response.content.decode()
    assert not INLINE_SCRIPT.search(html)
    script = re.search(r'<script src="([^"]*\?script[^"]*)"', html)
    assert script, "the Swagger UI set-up is served as a script file"
    assert client.get(script[1].replace("&amp;", "&")).status_code == 200


def _served_templates():
    for path in SRC.rglob("templates/**/*.html"):
        if not any(part in str(path) for part in PDF_ONLY):
            yield path


def test_no_template_has_an_inline_event_handler_or_script():
    offenders = [
        str(path.relative_to(SRC))
        for path in SRC.rglob("templates/**/*.html")
        if EVENT_HANDLER.search(path.read_text()) or INLINE_SCRIPT.search(path.read_text())
    ]
    assert offenders == []


def test_no_served_template_has_a_style_attribute_or_block():
    offenders = [
        str(path.relative_to(SRC))
        for path in _served_templates()
        if STYLE_ATTRIBUTE.search(path.read_text()) or "<style" in path.read_text()
    ]
    assert offenders == []
