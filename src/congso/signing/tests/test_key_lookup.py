"""Which key signs for a unit (its seal, else its locality's) and for an official: only valid,
unrevoked certificates count."""

import datetime as dt

import pytest
from django.utils import timezone

from congso.demo import signing as demo
from congso.signing import services

pytestmark = pytest.mark.django_db


def test_a_commune_signs_with_its_own_seal(seal, tree):
    assert services.organisation_key(tree["commune_a"]) == seal


def test_a_department_signs_with_its_committees_seal(authorities, tree):
    district_seal = demo.issue_for_unit(tree["district"], authorities[1]).key
    assert services.organisation_key(tree["department"]) == district_seal


def test_a_revoked_seal_is_not_offered(seal, tree):
    services.revoke_certificate(seal.certificate)
    assert services.organisation_key(tree["commune_a"]) is None


def test_a_unit_without_a_seal_has_no_key(authorities, tree):
    assert services.organisation_key(tree["commune_b"]) is None


def test_an_officials_personal_certificate_until_it_expires(personal, tree):
    assert services.personal_certificate(personal.owner_user) == personal
    later = timezone.now() + dt.timedelta(days=365 * 30)
    assert services.personal_certificate(personal.owner_user, now=later) is None
