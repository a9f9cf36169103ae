"""Listeners to other apps' signals: a returned dossier invites its applicant to rate it."""

from django.urls import reverse

from congso.notify.services import notify
from congso.onestop.lifecycle import State


def invite_to_rate(sender, dossier, transition, to_state, **kwargs) -> None:
    """``onestop.signals.dossier_changed`` arrives after the commit: queue one invitation (the
    dedup key keeps a repeated signal from inviting twice)."""
    if to_state != State.RETURNED or not dossier.applicant_id:
        return
    notify(
        dossier.applicant,
        "feedback.invite",
        {
            "code": dossier.code,
            "procedure": dossier.procedure.name,
            "url": reverse("feedback:rate", args=[dossier.code]),
        },
        dedup_key=f"feedback.invite.{dossier.pk}.{dossier.applicant_id}",
    )
