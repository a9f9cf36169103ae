"""How an applicant hears about their dossier (issue 17, "Citizens told too").

Every step of a dossier reaches the applicant's account (in-app) and their e-mail. The steps that
ask something of them or change their plans — a supplement requested, the result ready, the
dossier late with the agency's apology — come by SMS as well, because a citizen who never opens
their mail must still bring the missing paper, collect the result or know the new date
(Decree 61/2018/NĐ-CP, art. 19; Decision 468/QĐ-TTg: the applicant is told of the apology).

A citizen with an account chooses the channels on their preferences page (the same
``Preference`` row as an official's: ``email`` and ``sms_urgent``; in-app always). A walk-in
applicant without an account gave their e-mail and phone at the desk for this purpose: an
ordinary step goes to the e-mail (else the phone), an important one to both.
"""

from .models import Channel, Preference


def channels_for(user, *, important: bool) -> list[str]:
    """The channels for a step of ``user``'s dossier, as they chose (e-mail and SMS by default)."""
    preference = Preference.objects.filter(user=user).first()
    email = preference.email if preference else True
    sms = preference.sms_urgent if preference else True
    return [Channel.IN_APP] + [Channel.EMAIL] * email + [Channel.SMS] * (important and sms)


def addresses_for(email: str, phone: str, *, important: bool) -> list[str]:
    """Where a walk-in applicant is told: the e-mail else the phone; both for an important step."""
    given = [address for address in (email, phone) if address]
    return given if important else given[:1]
