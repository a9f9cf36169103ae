"""At most one account holds a given proven ID number, enforced by the database; typed
(declared) numbers may repeat, and a number is on an account only together with its proof."""

import pytest
from django.db import IntegrityError, transaction

from congso.accounts.models import IdProof
from congso.accounts.tests.factories import CitizenFactory, UserFactory

pytestmark = pytest.mark.django_db
NUMBER = "040090001234"


def test_two_accounts_cannot_hold_the_same_proven_number():
    CitizenFactory(id_number=NUMBER)
    with pytest.raises(IntegrityError), transaction.atomic():
        CitizenFactory(id_number=NUMBER, id_proven_by=IdProof.EID)


def test_declared_numbers_may_repeat_and_stay_unproven():
    first = UserFactory(declared_id_number=NUMBER)
    second = UserFactory(declared_id_number=NUMBER)
    assert first.id_number is None and second.id_number is None


def test_a_number_without_proof_is_refused_by_the_database():
    with pytest.raises(IntegrityError), transaction.atomic():
        UserFactory(id_number=NUMBER, id_proven_by=IdProof.NONE)


def test_a_proof_without_a_number_is_refused_by_the_database():
    with pytest.raises(IntegrityError), transaction.atomic():
        UserFactory(id_proven_by=IdProof.DESK)
