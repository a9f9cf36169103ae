"""A returned dossier invites its applicant, once, to rate it."""

from congso.notify.models import Notification
from congso.onestop.lifecycle import State
from congso.onestop.models import Dossier
from congso.onestop.signals import dossier_changed


def announce(dossier, to_state):
    dossier_changed.send(sender=Dossier, dossier=dossier, transition="x", to_state=to_state)


def test_returned_dossier_invites_its_applicant_once(citizen, make_dossier):
    dossier = make_dossier(citizen)
    announce(dossier, State.PROCESSING)
    assert not Notification.objects.filter(template="feedback.invite").exists()
    announce(dossier, State.RETURNED)
    announce(dossier, State.RETURNED)
    invites = Notification.objects.filter(template="feedback.invite", user=citizen)
    assert invites.filter(channel="in_app").count() == 1
    assert dossier.code in invites.first().subject


def test_dossier_without_account_invites_nobody(make_dossier):
    announce(make_dossier(None), State.RETURNED)
    assert not Notification.objects.filter(template="feedback.invite").exists()
