"""Messages keep Django's behaviour — added on one request, shown once on the next page — but
their storage is made only when a request adds or reads one (``core.middleware.MessageMiddleware``):
an API answer or a page that shows none makes nothing and sets no cookie."""

import pytest
from django.utils.functional import empty

from congso.accounts.tests.factories import OfficialFactory


@pytest.mark.django_db
def test_a_message_added_on_logout_shows_once_on_the_next_page(client):
    client.force_login(OfficialFactory())
    answer = client.post("/accounts/logout/")
    assert answer.status_code == 302
    assert answer.wsgi_request._messages._wrapped is not empty
    page = client.get("/")
    assert "Bạn đã đăng xuất." in page.content.decode()
    again = client.get("/")
    assert "Bạn đã đăng xuất." not in again.content.decode()


@pytest.mark.django_db
def test_an_api_answer_makes_no_storage_and_no_cookie(client):
    answer = client.get("/api/v1/lookup/?code=000.00.00.H43-260101-0001&id_number=001090000001")
    assert answer.status_code in (400, 404, 200)
    assert answer.wsgi_request._messages._wrapped is empty
    assert "messages" not in answer.cookies
