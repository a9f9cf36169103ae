"""ICT fixtures: the district's unit administrator (district and its offices), a commune's
unit administrator, and the district leader (the whole district)."""

import pytest

from congso.accounts.models import Role


@pytest.fixture
def people(tree, official_at):
    return {
        "leader": official_at(tree["district"], Role.LEADER),
        "district_admin": official_at(tree["district"], Role.UNIT_ADMIN),
        "commune_admin": official_at(tree["commune_a"], Role.UNIT_ADMIN),
        "specialist": official_at(tree["commune_b"], Role.SPECIALIST),
    }
