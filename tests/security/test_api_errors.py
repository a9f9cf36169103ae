"""Whatever goes wrong under /api/, the answer is JSON in the one error format, never an HTML page:
an exception in a DRF view, in a plain view, and a URL that does not exist. Pages keep the HTML
error page."""

import pytest
from django.test import override_settings

pytestmark = [pytest.mark.django_db, pytest.mark.urls("tests.security.boom_urls")]


def _error(response, status):
    assert response.status_code == status
    assert response["Content-Type"].startswith("application/json")
    error = response.json()["error"]
    assert set(error) == {"code", "message", "fields"} and error["message"]
    return error


@pytest.mark.parametrize("url", ["/api/v1/boom/", "/api/v1/plain-boom/"])
def test_unhandled_exception_in_the_api_is_json(client_for, url):
    error = _error(client_for().get(url), 500)
    assert error["code"] == "server_error"
    assert "boom" not in error["message"]  # no internals leak


def test_unknown_api_url_is_json(client_for):
    assert _error(client_for().get("/api/v1/no-such-thing/"), 404)["code"] == "not_found"


@override_settings(DEBUG=False)
def test_pages_keep_the_html_error_page(client_for):
    response = client_for().get("/plain-boom/")
    assert response.status_code == 500
    assert response["Content-Type"].startswith("text/html")
