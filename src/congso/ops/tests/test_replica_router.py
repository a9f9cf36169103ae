"""Reports and the dashboard read from the replica only while it is fresh; everything that
must see the latest write reads the primary."""

import pytest
from django.db import transaction

from congso.onestop.models import Dossier
from congso.ops import router
from congso.org.models import Unit


@pytest.fixture
def lag(monkeypatch, settings):
    settings.CONGSO_REPLICA_MAX_LAG_SECONDS = 30
    value = {"lag": 0.0}
    monkeypatch.setattr(router, "replica_lag", lambda: value["lag"])
    return value


def test_reads_follow_the_lag(lag):
    chooser = router.ReplicaRouter()
    assert chooser.db_for_read(Dossier) == "default"  # not a replica reader
    with router.reading_from_replica():
        lag["lag"] = 2.0
        assert chooser.db_for_read(Dossier) == "replica"
        assert chooser.db_for_read(Unit) == "replica"
        assert router.source() == "replica"  # the X-Congso-Read-From header
        lag["lag"] = 45.0  # too stale
        assert chooser.db_for_read(Unit) == "default"
        assert router.source() == "primary"
        lag["lag"] = None  # unreachable
        assert chooser.db_for_read(Unit) == "default"
    assert chooser.db_for_write(Unit) == "default"


@pytest.mark.django_db(transaction=True)
def test_sessions_accounts_and_transactions_stay_on_the_primary(lag):
    from django.contrib.sessions.models import Session

    from congso.accounts.models import User

    chooser = router.ReplicaRouter()
    with router.reading_from_replica():
        assert chooser.db_for_read(Session) == "default"
        assert chooser.db_for_read(User) == "default"
        with transaction.atomic():
            assert chooser.db_for_read(Unit) == "default"  # a read before a write


def test_only_get_requests_under_the_report_paths_use_it(rf, settings):
    from congso.ops.middleware import _reads_from_replica

    settings.CONGSO_REPLICA_PATHS = ["/dashboard/"]
    assert _reads_from_replica(rf.get("/dashboard/board/"))
    assert not _reads_from_replica(rf.post("/dashboard/board/"))
    assert not _reads_from_replica(rf.get("/onestop/"))
