"""Account pre-hijacking: someone registers with another person's ID number before that person
ever logs in. The typed number proves nothing, so the real holder's VNeID login must give them
their own account, and the squatter's account must never reach their dossiers or data."""

import pytest
from django.contrib.auth.hashers import make_password
from django.urls import reverse
from rest_framework.test import APIClient

from congso.accounts import registration
from congso.accounts.backends import find_user
from congso.accounts.models import IdProof, User
from congso.catalog.models import Procedure
from congso.core.models import AuditRecord
from congso.demo.loaders import load_all
from congso.onestop import services as onestop
from congso.onestop.tests.conftest import uploaded_documents
from congso.portal import services as portal

from .eid_helpers import authorize, callback
from .test_eid_flow import CUONG, provider, start_provider  # noqa: F401

pytestmark = [pytest.mark.django_db, pytest.mark.slow]
PASSWORD = "Mat-khau-ke-gian-2026"


@pytest.fixture
def commune(db):
    return load_all()["units"]["Xã Nghi Long"]


@pytest.fixture
def dossier_for(commune):
    """``dossier_for(citizen)``: an online dossier filed with what the portal knows of them."""
    procedure = Procedure.objects.get(code="2.000635")
    documents = uploaded_documents(procedure.current_version())

    def make(citizen):
        intake = onestop.Intake(
            procedure_code=procedure.code,
            unit_id=commune.pk,
            documents=documents,
        )
        return onestop.file_online(citizen, intake)

    return make


def _squat() -> User:
    """The attacker registers with Cường's ID number and their own e-mail and password."""
    return registration.register_citizen(
        full_name="Lê Văn Cường",
        id_number=CUONG,
        contact="ke.gian@example.vn",
        password_hash=make_password(PASSWORD),
    )


def test_self_registration_does_not_prove_the_typed_number():
    attacker = _squat()
    assert attacker.id_number is None and attacker.id_proven_by == IdProof.NONE
    assert attacker.declared_id_number == CUONG
    assert attacker.username != CUONG
    assert find_user(CUONG) is None  # the typed number is no login name


def test_typed_number_taken_by_someone_else_is_not_refused():
    """Refusing would tell a stranger that a number has an account; and a squatter could lock
    the real holder out of registering."""
    _squat()
    other = registration.register_citizen(
        full_name="Lê Văn Cường",
        id_number=CUONG,
        contact="cuong.that@example.vn",
        password_hash=make_password(PASSWORD),
    )
    assert other.declared_id_number == CUONG


def test_real_holders_eid_login_gets_a_separate_account(client, provider):  # noqa: F811
    attacker = _squat()
    response = callback(client, authorize(client, CUONG))
    assert response.status_code == 302
    holder = User.objects.get(pk=client.session["_auth_user_id"])
    assert holder.pk != attacker.pk
    assert holder.id_number == CUONG and holder.id_proven_by == IdProof.EID
    assert holder.id_proven_at is not None
    attacker.refresh_from_db()
    assert attacker.id_number is None and attacker.declared_id_number == ""
    assert attacker.eid_subject is None
    cleared = AuditRecord.objects.get(action="accounts.id.declared_cleared")
    assert cleared.object_id == str(attacker.pk)
    shown = client.get(reverse("portal:home")).content.decode()
    assert "không xem được hồ sơ" in shown
    # the attacker's password does not open the holder's account by the ID number either
    client.post(reverse("accounts:logout"))
    assert not client.login(username=CUONG, password=PASSWORD)


def test_squatter_sees_none_of_the_holders_dossiers(client, provider, dossier_for):  # noqa: F811
    attacker = _squat()
    callback(client, authorize(client, CUONG))
    holder = User.objects.get(id_number=CUONG)
    dossier = dossier_for(holder)
    assert dossier.applicant_id_number == CUONG
    assert not portal.own_dossiers(attacker).exists()
    assert not onestop.visible_dossiers(attacker).filter(pk=dossier.pk).exists()
    assert list(portal.own_dossiers(holder)) == [dossier]


def test_squatters_online_filing_carries_no_id_number(dossier_for):
    attacker = _squat()
    dossier = dossier_for(attacker)
    assert dossier.applicant_id_number == ""
    assert onestop.lookup_for_applicant(dossier.code, CUONG) is None


def test_online_filing_through_the_api_cannot_claim_a_typed_number(commune):
    """Online, the applicant is the account whatever the request sent (a procedure that needs
    no document, filed at the district: the dossier API carries no files)."""
    attacker = _squat()
    procedure = Procedure.objects.get(code="1.001612")
    api = APIClient()
    api.force_authenticate(attacker)
    response = api.post(
        reverse("api-dossiers"),
        {
            "channel": "online",
            "procedure": procedure.code,
            "unit": commune.parent_id,
            "applicant": {"name": "Lê Văn Cường", "id_number": CUONG, "phone": "0912345000"},
            "documents": [],
        },
        format="json",
    )
    assert response.status_code == 201, response.json()
    assert response.json()["applicant_id_number"] == ""
