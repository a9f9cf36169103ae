"""A NUL character in the path or the query string is refused with a 400 before any view runs
(PostgreSQL holds no NUL in a text: a dossier code or a search word carrying one used to end
in a server error), in the API's one error format under /api/ and as the error page elsewhere,
in Vietnamese by default; the same URL without it still answers."""

import pytest
from django.test import Client

pytestmark = pytest.mark.django_db


def test_an_api_path_or_query_with_nul_is_the_api_error(citizen):
    client = Client(raise_request_exception=False)
    client.force_login(citizen)
    for url in ("/api/v1/dossiers/abc%00def/", "/api/v1/lookup/?code=a%00&id_number=1"):
        response = client.get(url)
        assert response.status_code == 400, url
        assert response.json()["error"]["code"] == "invalid"
        assert "không đúng định dạng" in response.json()["error"]["message"]


def test_a_page_with_nul_is_the_error_page_in_the_chosen_language():
    client = Client(raise_request_exception=False)
    response = client.get("/procedures/a%00b/")
    assert response.status_code == 400
    assert "Yêu cầu không hợp lệ" in response.content.decode()
    client.cookies["django_language"] = "en"
    assert "Yêu cầu không hợp lệ" not in client.get("/procedures/?q=a%00b").content.decode()


def test_without_nul_the_same_urls_answer():
    client = Client(raise_request_exception=False)
    assert client.get("/procedures/?q=ab").status_code == 200
    assert client.get("/api/v1/lookup/?code=a&id_number=1").status_code != 400
