import pytest
from django.core.cache import cache

from congso.accounts.middleware import SESSION_KEY
from congso.accounts.models import Role
from congso.worktime.services import CACHE_KEY


@pytest.fixture(autouse=True)
def _fresh_calendar_cache(request):
    """A rolled-back test leaves no stale calendar behind in a shared (Redis) cache."""
    if "db" not in request.fixturenames and not request.node.get_closest_marker("django_db"):
        yield
        return
    cache.delete(CACHE_KEY)
    yield
    cache.delete(CACHE_KEY)


@pytest.fixture
def admin_client(client, tree, official_at):
    """A client logged in as a system administrator who has passed the second factor."""
    admin = official_at(tree["province"], Role.SYSTEM_ADMIN, username="quantri")
    client.force_login(admin)
    session = client.session
    session[SESSION_KEY] = True
    session.save()
    client.user = admin
    return client
