import pytest

from congso.catalog import services
from congso.demo import catalog as demo


@pytest.fixture
def catalog_data(db):
    """The real demo catalogue (26 procedures), imported through the service."""
    return services.import_catalog(demo.DATA_FILE.read_bytes(), demo.DATA_FILE.name)
