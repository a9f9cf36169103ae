"""The procedure page is kept per (procedure, language, day) under a generation token that any
change to what it shows retires: a second visit runs no query; an edit shows at once."""

import re

import pytest
from django.conf import settings
from django.core.cache import cache
from django.urls import reverse
from django.utils import translation

from congso.catalog import page_cache
from congso.catalog.models import Procedure
from congso.catalog.services import LEVEL_KINDS
from congso.org.tests.factories import UnitFactory

pytestmark = [
    pytest.mark.django_db,
    # the tests' default cache is the database one; the deployment's is Redis, never a query
    pytest.mark.usefixtures("memory_cache"),
]

CODE = "2.000635"


def _visit(client) -> str:
    response = client.get(reverse("catalog:detail", args=[CODE]))
    assert response.status_code == 200
    # the CSRF token of the language form (outside the cached body) changes on every answer
    return re.sub(r'name="csrfmiddlewaretoken" value="[^"]+"', "", response.content.decode())


def test_a_second_visit_runs_no_query(client, catalog_data, django_assert_num_queries):
    first = _visit(client)
    with django_assert_num_queries(0):
        again = _visit(client)
    assert again == first


def test_an_edit_of_the_procedure_shows_at_once(client, catalog_data):
    _visit(client)
    procedure = Procedure.objects.get(code=CODE)
    procedure.name = "Thủ tục đã đổi tên để thử bộ nhớ đệm"
    procedure.save()
    assert "Thủ tục đã đổi tên để thử bộ nhớ đệm" in _visit(client)


def test_an_edit_of_a_version_row_or_an_offering_unit_shows_at_once(client, catalog_data):
    procedure = Procedure.objects.get(code=CODE)
    unit = UnitFactory(kind=next(iter(LEVEL_KINDS[procedure.level])))
    _visit(client)
    document = procedure.current_version().documents.first()
    document.name = "Giấy tờ đổi tên để thử"
    document.save()
    assert "Giấy tờ đổi tên để thử" in _visit(client)
    unit.name = "Đơn vị đổi tên để thử"
    unit.save()
    assert "Đơn vị đổi tên để thử" in _visit(client)


def test_a_page_rendered_before_the_commit_is_retired_by_it(
    client, catalog_data, django_capture_on_commit_callbacks
):
    """Another visitor may render the old state between the save and the commit: the commit
    draws a new token, so what they stored is never served."""
    with django_capture_on_commit_callbacks(execute=True):
        procedure = Procedure.objects.get(code=CODE)
        procedure.name = "Tên mới sau khi ghi"
        procedure.save()
        page_cache.invalidate()  # the page as another visitor rendered it before the commit:
        page_cache.page(CODE, lambda: ("Tên cũ", "<p>trang cũ của người khác</p>"))
        assert "trang cũ của người khác" in _visit(client)  # the race this guards against
    assert "Tên mới sau khi ghi" in _visit(client)


def test_a_change_committed_while_rendering_retires_what_was_rendered(client, catalog_data):
    def render_while_an_edit_commits():
        page_cache.invalidate()
        return "Tên cũ", "<p>trang dựng trước khi sửa</p>"

    page_cache.page(CODE, render_while_an_edit_commits)
    assert "trang dựng trước khi sửa" not in _visit(client)


def test_each_language_has_its_own_page(client, catalog_data):
    with translation.override("vi"):
        page_cache.page(CODE, lambda: ("vi", "<p>trang tiếng Việt</p>"))
    assert "trang tiếng Việt" in _visit(client)
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"  # the language switch
    assert "trang tiếng Việt" not in _visit(client)


def test_an_unknown_code_is_not_cached(client, catalog_data):
    response = client.get(reverse("catalog:detail", args=["9.999999"]))
    assert response.status_code == 404
    assert not any(key.startswith(":1:catalog:page:9.") for key in cache._cache)
