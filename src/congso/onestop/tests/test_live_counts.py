"""The clock's and the supplement queue's counts are kept a minute per official, like the header's
counts: a change made elsewhere shows when they expire, the official's own action and the queue
opened on screen count them afresh, and the rows of a queue are never held back."""

import pytest
from django.urls import reverse

from congso.catalog.models import Procedure
from congso.onestop import queues, services
from congso.onestop.lifecycle import State
from congso.onestop.models import Dossier

from .conftest import monday_morning


@pytest.fixture
def desk(demo):
    return demo["people"]["motcua.nghilong"]


@pytest.fixture
def waiting(demo, desk, intake_for):
    """A dossier of the commune the clerk sent back for a supplement (the desk's supplement
    queue)."""
    procedure = Procedure.objects.get(code="1.001193")
    now = monday_morning()
    dossier = services.receive_at_desk(
        desk, intake_for(procedure, demo["units"]["Xã Nghi Long"]), now=now
    )
    dossier = services.transition(dossier, "start", actor=desk, now=now)
    clerk = demo["people"]["congchuc.nghilong"]
    return services.transition(
        dossier, "request_supplement", actor=clerk, items=["Giấy chứng sinh"], note="Mờ", now=now
    )


def _supplement(user, **kwargs) -> int:
    return queues.counts(user, **kwargs)["supplement"]


def test_a_change_made_elsewhere_shows_when_counted_afresh(desk, waiting):
    assert _supplement(desk) == 1
    Dossier.objects.filter(pk=waiting.pk).update(state=State.PROCESSING)  # not by the desk
    assert _supplement(desk) == 1  # kept
    assert _supplement(desk, fresh="supplement") == 0


def test_the_officials_own_action_counts_afresh(desk, waiting, django_capture_on_commit_callbacks):
    assert _supplement(desk) == 1
    with django_capture_on_commit_callbacks(execute=True):
        services.transition(
            waiting,
            "supplement",
            actor=desk,
            documents=[
                services.ReceivedDocument(required_document_id=None, name="Giấy chứng sinh")
            ],
        )
    assert _supplement(desk) == 0


def test_the_queue_on_screen_is_counted_afresh(client, desk, waiting):
    client.force_login(desk)
    client.get(reverse("onestop:queues"))  # keeps the desk's counts: one in "supplement"
    Dossier.objects.filter(pk=waiting.pk).update(state=State.PROCESSING)
    page = client.get(reverse("onestop:queues"), {"tab": "supplement"})
    assert dict((key, n) for key, _label, n in page.context["tabs"])["supplement"] == 0
    assert page.context["rows"] == []
    Dossier.objects.filter(pk=waiting.pk).update(state=State.SUPPLEMENT_REQUESTED)
    # another queue on screen: the kept figure (0) in the tab, the rows themselves read live
    page = client.get(reverse("onestop:queues"), {"tab": "all"})
    assert dict((key, n) for key, _label, n in page.context["tabs"])["supplement"] == 0
    assert [row["dossier"].code for row in page.context["rows"]] == [waiting.code]
