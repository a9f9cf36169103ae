"""The procedure page's body is cached per procedure change and version in force: a second
visit reads only the procedure and its version; an edit shows at once."""

import re

import pytest
from django.core.cache import cache
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from congso.catalog.models import Procedure

pytestmark = pytest.mark.django_db

CODE = "2.000635"


def _visit(client) -> tuple[str, int]:
    with CaptureQueriesContext(connection) as captured:
        response = client.get(reverse("catalog:detail", args=[CODE]))
    assert response.status_code == 200
    # the CSRF token of the language form (outside the cached body) changes on every answer
    page = re.sub(r'name="csrfmiddlewaretoken" value="[^"]+"', "", response.content.decode())
    return page, len(captured.captured_queries)


def test_second_visit_reads_less_and_an_edit_shows_at_once(client, catalog_data):
    cache.clear()
    first, cold = _visit(client)
    again, warm = _visit(client)
    assert again == first
    assert warm < cold
    procedure = Procedure.objects.get(code=CODE)
    procedure.name = "Thủ tục đã đổi tên để thử bộ nhớ đệm"
    procedure.save()
    changed, _ = _visit(client)
    assert "Thủ tục đã đổi tên để thử bộ nhớ đệm" in changed
