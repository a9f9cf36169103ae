import pytest

from congso.demo.loaders import load_all


@pytest.fixture
def demo(db):
    """The demo district: units, people, calendar and catalogue."""
    return load_all()


@pytest.fixture
def people(demo):
    return demo["people"]


@pytest.fixture
def commune(demo):
    return demo["units"]["Xã Nghi Long"]
