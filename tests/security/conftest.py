"""Shared by the security tests: a client past the second factor."""

import pytest
from django.test import Client

from congso.accounts.middleware import SESSION_KEY


@pytest.fixture
def client_for():
    """``client_for(user)`` → a client logged in as ``user`` (None: anonymous) that answers a
    server error with the error page instead of raising it in the test."""

    def make(user=None):
        client = Client(raise_request_exception=False)
        if user is not None:
            client.force_login(user)
            session = client.session
            session[SESSION_KEY] = True
            session.save()
        return client

    return make
