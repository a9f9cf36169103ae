import pytest


@pytest.fixture
def people(demo):
    return demo["people"]


@pytest.fixture
def commune(demo):
    return demo["units"]["Xã Nghi Long"]
