import datetime as dt
import itertools
from zoneinfo import ZoneInfo

import pytest

from congso.catalog.models import OnlineMode, Procedure
from congso.onestop.models import Dossier, DossierDocument

VN = ZoneInfo("Asia/Ho_Chi_Minh")
_serial = itertools.count(1)
DUMMY = {"BACKEND": "django.core.cache.backends.dummy.DummyCache"}


@pytest.fixture
def shared_cache(settings):
    """A shared cache that is not the database (the database cache's own reads would be counted
    as queries), emptied; the process's own ``local`` one keeps nothing, as in every test."""
    settings.CACHES = {
        "default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache", "LOCATION": "kept"},
        "local": DUMMY,
    }
    from django.core.cache import cache

    cache.clear()


def at(y, m, d, h=9) -> dt.datetime:
    return dt.datetime(y, m, d, h, 0, tzinfo=VN)


@pytest.fixture
def long(demo):
    return demo["units"]["Xã Nghi Long"]


@pytest.fixture
def my(demo):
    return demo["units"]["Xã Nghi Mỹ"]


@pytest.fixture
def district(demo):
    return demo["units"]["district"]


@pytest.fixture
def fully_online_procedure(demo):
    procedure = Procedure.objects.exclude(code="1.001193").order_by("code").first()
    procedure.online_mode = OnlineMode.FULLY_ONLINE
    procedure.save(update_fields=["online_mode"])
    return procedure


def make(
    unit,
    procedure=None,
    *,
    channel="desk",
    received=None,
    due=None,
    finished=None,
    timeliness="",
    state="processing",
    fee=0,
    documents=(),
):
    """A dossier with exactly the timestamps the facts read (the services are tested in the
    onestop app; here the point is known answers). ``documents``: (digitised, reused) pairs."""
    procedure = procedure or Procedure.objects.get(code="1.001193")
    dossier = Dossier.objects.create(
        code=f"{unit.agency_id or '000.00.00.X00'}-FACT-{next(_serial):05d}",
        procedure=procedure,
        version=procedure.current_version(),
        receiving_unit=unit,
        current_unit=unit,
        state=state,
        channel=channel,
        applicant_name="Trần Văn Đức",
        filed_at=received or at(2026, 3, 1),
        received_at=received,
        due_at=due,
        finished_at=finished,
        timeliness=timeliness,
        fee_amount=fee,
    )
    DossierDocument.objects.bulk_create(
        DossierDocument(dossier=dossier, name="Giấy tờ", digitised=d, reused=r)
        for d, r in documents
    )
    return dossier
