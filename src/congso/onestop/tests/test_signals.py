"""Other apps hear of a dossier's change only once it is committed."""

import pytest
from django.db import transaction

from congso.catalog.models import Procedure
from congso.onestop import services
from congso.onestop.signals import dossier_changed


@pytest.fixture
def heard():
    received = []

    def listener(sender, dossier, transition, to_state, **kwargs):
        received.append((dossier.code, transition, to_state))

    dossier_changed.connect(listener)
    yield received
    dossier_changed.disconnect(listener)


@pytest.fixture
def receive(demo, intake_for):
    def make():
        commune = demo["units"]["Xã Nghi Long"]
        intake = intake_for(Procedure.objects.get(code="1.001193"), commune)
        return services.receive_at_desk(demo["people"]["motcua.nghilong"], intake)

    return make


def test_receipt_is_announced_after_commit(heard, receive, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        dossier = receive()
    assert heard == [(dossier.code, "receive", "received")]


def test_rolled_back_change_is_not_announced(heard, receive, django_capture_on_commit_callbacks):
    with (
        django_capture_on_commit_callbacks(execute=True),
        pytest.raises(RuntimeError),
        transaction.atomic(),
    ):
        receive()
        raise RuntimeError
    assert heard == []
