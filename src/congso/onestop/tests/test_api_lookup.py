"""Public ``GET /api/v1/lookup/``: status and timeline for code + ID or phone, no personal data,
one answer for every miss, and a rate limit."""

import datetime as dt

import pytest
from django.core.cache import cache, caches
from rest_framework.test import APIClient

from congso.catalog.models import Procedure
from congso.onestop import services

from .conftest import monday_morning

LOOKUP = "/api/v1/lookup/"


@pytest.fixture(autouse=True)
def _fresh_rate_limit(db):
    """The throttle counts in the cache, which may live outside the test database (Redis)."""
    cache.clear()
    yield
    cache.clear()


@pytest.fixture
def dossier(demo, intake_for):
    desk = demo["people"]["motcua.nghilong"]
    birth = Procedure.objects.get(code="1.001193")
    now = monday_morning()
    applicant = services.ApplicantData(
        name="Nguyễn Thị Mai",
        id_number="040190001234",
        phone="0912345000",
        address="Xóm 3, xã Nghi Long",
    )
    received = services.receive_at_desk(
        desk, intake_for(birth, demo["units"]["Xã Nghi Long"], applicant=applicant), now=now
    )
    return services.transition(
        received,
        "request_supplement",
        actor=desk,
        revision=received.revision,
        items=["Giấy chứng sinh"],
        note="Bản chụp mờ, ghi chú nội bộ",
        now=now + dt.timedelta(minutes=30),
    )


def test_code_and_id_number_show_status_and_timeline(dossier):
    response = APIClient().get(LOOKUP, {"code": dossier.code, "id_number": "040190001234"})
    assert response.status_code == 200
    data = response.json()
    assert data["code"] == dossier.code
    assert data["state_label"] == "Yêu cầu bổ sung" and data["national_status"] == 5
    assert data["received_at"].startswith("2026-03-09T08:00")
    assert data["due_at"] and data["finished_at"] is None
    assert [e["label"] for e in data["timeline"]] == ["Tiếp nhận hồ sơ", "Yêu cầu bổ sung"]
    assert data["timeline"][1]["at"].startswith("2026-03-09T08:30:00+07:00")


def test_no_personal_data_or_notes_leak(dossier, demo):
    text = APIClient().get(LOOKUP, {"code": dossier.code, "id_number": "040190001234"}).content
    text = text.decode()
    for secret in [
        "Nguyễn Thị Mai",
        "040190001234",
        "912345000",
        "Xóm 3",
        "ghi chú nội bộ",
        "Giấy chứng sinh",
        demo["people"]["motcua.nghilong"].get_full_name(),
    ]:
        assert secret not in text, secret


@pytest.mark.parametrize("phone", ["0912345000", "0912 345 000", "+84912345000"])
def test_phone_number_works_in_any_usual_spelling(dossier, phone):
    response = APIClient().get(LOOKUP, {"code": dossier.code.lower(), "id_number": phone})
    assert response.status_code == 200


def test_unknown_code_and_wrong_id_get_the_same_answer(dossier):
    client = APIClient()
    wrong_id = client.get(LOOKUP, {"code": dossier.code, "id_number": "040190009999"})
    wrong_phone = client.get(LOOKUP, {"code": dossier.code, "id_number": "0900000000"})
    junk = client.get(LOOKUP, {"code": dossier.code, "id_number": "abc' OR 1=1"})
    unknown = client.get(LOOKUP, {"code": dossier.code[:-4] + "9999", "id_number": "040190001234"})
    assert {r.status_code for r in (wrong_id, wrong_phone, junk, unknown)} == {404}
    assert wrong_id.json() == wrong_phone.json() == junk.json() == unknown.json()
    assert "Không tìm thấy hồ sơ" in unknown.json()["error"]["message"]


def test_missing_parameters_are_400(db):
    response = APIClient().get(LOOKUP, {"code": "  "})
    assert response.status_code == 400
    assert set(response.json()["error"]["fields"]) == {"code", "id_number"}


def test_lookup_is_rate_limited(dossier, settings):
    rate = settings.CONGSO_LOOKUP_RATE
    allowed = int(rate.split("/")[0])
    client = APIClient()
    params = {"code": dossier.code, "id_number": "040190009999"}
    statuses = [client.get(LOOKUP, params).status_code for _ in range(allowed)]
    assert statuses == [404] * allowed
    blocked = client.get(LOOKUP, {"code": dossier.code, "id_number": "040190001234"})
    assert blocked.status_code == 429
    assert blocked.json()["error"]["code"] == "throttled"
    assert "quá nhiều lần" in blocked.json()["error"]["message"]
    assert int(blocked["Retry-After"]) > 0
    other_address = APIClient(REMOTE_ADDR="10.9.8.7")
    assert other_address.get(LOOKUP, params).status_code == 404


@pytest.fixture
def memory_cache(settings):
    """The deployment's caches: the shared one (Redis there) costs no query, and the process's
    own keeps the answers (the tests' settings keep nothing there)."""
    memory = "django.core.cache.backends.locmem.LocMemCache"
    settings.CACHES = {
        "default": {"BACKEND": memory, "LOCATION": "shared"},
        "local": {"BACKEND": memory, "LOCATION": "process"},
    }
    caches["local"].clear()
    yield caches["local"]
    caches["local"].clear()


def test_a_repeated_lookup_is_answered_from_the_cache(
    dossier, memory_cache, django_assert_num_queries
):
    params = {"code": dossier.code, "id_number": "040190001234"}
    first = APIClient().get(LOOKUP, params)
    with django_assert_num_queries(0):
        again = APIClient().get(LOOKUP, params)
    assert again.status_code == 200 and again.json() == first.json()


def test_the_cache_never_holds_the_proof_in_clear(dossier, memory_cache):
    APIClient().get(LOOKUP, {"code": dossier.code, "id_number": "040190001234"})
    APIClient().get(LOOKUP, {"code": dossier.code, "id_number": "0912345000"})
    stored = b"".join(key.encode() + value for key, value in memory_cache._cache.items())
    assert b"onestop:lookup:" in stored
    for proof in (b"040190001234", b"912345000"):
        assert proof not in stored


def test_a_cached_answer_still_counts_against_the_limit(dossier, settings, memory_cache):
    allowed = int(settings.CONGSO_LOOKUP_RATE.split("/")[0])
    client = APIClient()
    params = {"code": dossier.code, "id_number": "040190001234"}
    statuses = [client.get(LOOKUP, params).status_code for _ in range(allowed + 1)]
    assert statuses == [200] * allowed + [429]
