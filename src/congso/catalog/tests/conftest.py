import pytest
from django.core.cache import cache
from django.test import override_settings

from congso.catalog import services
from congso.demo import catalog as demo


@pytest.fixture
def catalog_data(db):
    """The real demo catalogue (26 procedures), imported through the service."""
    return services.import_catalog(demo.DATA_FILE.read_bytes(), demo.DATA_FILE.name)


@pytest.fixture
def memory_cache():
    """The cache in this process's memory: the tests' default cache is the database one, which
    counts as queries; the deployment's is Redis, never a query."""
    with override_settings(
        CACHES={"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}
    ):
        cache.clear()
        yield
        cache.clear()
