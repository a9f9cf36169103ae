"""The edit page of a meeting opens for the host's secretary (it once failed combining a distinct
list of people with the chair, a server error for every manager)."""

import pytest
from django.test import Client

pytestmark = pytest.mark.django_db


def test_edit_page_opens_for_the_secretary(make_meeting, people):
    meeting = make_meeting()
    client = Client()
    client.force_login(people["clerk"])
    response = client.get(f"/meetings/{meeting.pk}/edit/")
    assert response.status_code == 200
    assert people["chair"].full_name in response.content.decode()
