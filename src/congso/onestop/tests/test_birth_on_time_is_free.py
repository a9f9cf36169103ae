"""Birth registration on time is free (Law on Civil Status 2014, art. 11): the demo catalogue's
rule, proved by the declared date of birth; a late one pays; the citizen cannot tick it."""

import copy
import datetime as dt

from django.utils import timezone

from congso.catalog.models import Procedure
from congso.onestop import services
from congso.portal.examples import BIRTH_ANSWERS


def _born(days_ago: int) -> dict:
    answers = copy.deepcopy(BIRTH_ANSWERS)
    day = timezone.localdate() - dt.timedelta(days=days_ago)
    answers["child"]["date_of_birth"] = day.isoformat()
    return answers


def _file(demo, online_intake_for, answers):
    birth = Procedure.objects.get(code="1.001193")
    intake = online_intake_for(birth, demo["units"]["Xã Nghi Long"], form_data=answers)
    return services.file_online(demo["people"]["congdan.an"], intake)


def test_within_sixty_days_online_is_free(demo, online_intake_for):
    assert _file(demo, online_intake_for, _born(60)).fee_amount == 0


def test_after_sixty_days_the_fee_is_owed(demo, online_intake_for):
    assert _file(demo, online_intake_for, _born(61)).fee_amount == 5000


def test_the_citizens_own_tick_is_ignored(demo, online_intake_for):
    birth = Procedure.objects.get(code="1.001193")
    intake = online_intake_for(
        birth, demo["units"]["Xã Nghi Long"], form_data=_born(200), fee_exempt=True
    )
    assert services.file_online(demo["people"]["congdan.an"], intake).fee_amount == 5000
