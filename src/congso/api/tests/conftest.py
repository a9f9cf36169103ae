import pytest

from congso.accounts.models import Role
from congso.accounts.tests.factories import OfficialFactory, PositionFactory
from congso.api import partners


@pytest.fixture(autouse=True)
def _fast_password_hashing(settings):
    """Client secrets hashed quickly in tests: the checks are the same, the run shorter."""
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture
def sysadmin(tree):
    return PositionFactory(
        unit=tree["province"], role=Role.SYSTEM_ADMIN, user=OfficialFactory(username="qtht")
    ).user


@pytest.fixture
def partner(sysadmin, tree):
    """``partner(*scopes, unit=commune A)`` → (client, secret)."""

    def make(*scopes, unit=None):
        return partners.create_client(
            sysadmin,
            name="Trục liên thông văn bản tỉnh",
            unit=unit or tree["commune_a"],
            scopes=list(scopes) or ["documents.exchange"],
        )

    return make
