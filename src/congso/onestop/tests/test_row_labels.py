"""A queue page's labels (``views._Labels``) are each choice's own, in the request's language,
translated once a page rather than once a row."""

import datetime as dt
from types import SimpleNamespace
from unittest import mock

import pytest
from django.utils import timezone, translation

from congso.onestop import views
from congso.onestop.lifecycle import State
from congso.onestop.rules import OpenTimeliness, Timeliness, Urgency

CHOICES = [*State, *Timeliness, *Urgency, *OpenTimeliness]


@pytest.mark.parametrize("language", ["vi", "en"])
def test_each_label_is_its_choices_own_in_the_active_language(language):
    with translation.override(language):
        labels = views._Labels()
        for choice in CHOICES + CHOICES:  # the second time from what was kept
            assert labels(choice) == str(choice.label), choice


def test_a_page_of_rows_translates_each_label_once():
    # Noon on the local day, so "two hours from now" is due today at any hour the suite runs.
    now = timezone.localtime().replace(hour=12, minute=0, second=0, microsecond=0)
    dossiers = [
        SimpleNamespace(state=state, due_at=now + dt.timedelta(hours=hours), timeliness="")
        for state in (State.PROCESSING, State.RECEIVED)
        for hours in (-30, 2, 400)
    ] * 4
    with translation.override("en"):
        gettext = translation._trans.gettext
        with mock.patch.object(translation._trans, "gettext", wraps=gettext) as counted:
            labels = views._Labels()
            rows = [views._row(dossier, now, labels) for dossier in dossiers]
        states = {str(State.PROCESSING.label), str(State.RECEIVED.label)}
    assert counted.call_count == len(labels) == 6  # 2 states, 2 urgencies, 2 open timeliness
    assert {row["state"] for row in rows} == states == {"In progress", "Received"}
