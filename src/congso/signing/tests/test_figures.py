"""The ``signing`` dashboard figures on a small hand-built data set."""

import datetime as dt

from django.utils import timezone

from congso.accounts.models import Role
from congso.accounts.tests.factories import CitizenFactory
from congso.core import figures as dashboard
from congso.demo import signing as demo
from congso.org.models import Unit
from congso.signing import services


def _ids(unit):
    return list(Unit.objects.subtree(unit).values_list("pk", flat=True))


def test_signing_figures(authorities, tree, personal, seal, official_at):
    CitizenFactory()
    official_at(tree["commune_b"], Role.SPECIALIST)  # no certificate
    expired_holder = official_at(tree["commune_b"], Role.CLERK)
    old = timezone.now() - dt.timedelta(days=400)
    demo.issue_for_user(expired_holder, authorities[1], not_before=old, days=365)
    revoked = demo.issue_for_unit(tree["commune_b"], authorities[1])
    services.revoke_certificate(revoked)
    today = timezone.localdate()

    district = dashboard.figures("signing", _ids(tree["district"]), today, today)
    assert district == {
        "officials": 3,
        "officials_with_certificate": 1,
        "units": 3,  # district, commune A, commune B; the department and the desk are offices
        "units_with_certificate": 1,
    }
    commune_a = dashboard.figures("signing", _ids(tree["commune_a"]), today, today)
    assert commune_a == {
        "officials": 0,
        "officials_with_certificate": 0,
        "units": 1,
        "units_with_certificate": 1,
    }
    long_ago = today - dt.timedelta(days=30)
    before = dashboard.figures("signing", _ids(tree["district"]), long_ago, long_ago)
    assert before["units_with_certificate"] == 0 and before["officials_with_certificate"] == 0
