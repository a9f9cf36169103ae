"""Filing online takes a level-2 electronic identity (Decree 69/2024/NĐ-CP): a citizen who
logged in through VNeID at level 1 is told in Vietnamese why and how to upgrade, and nothing
is filed; at level 2 the same steps file the dossier."""

import pytest
from django.urls import reverse

from congso.accounts import eid
from congso.onestop.models import Dossier
from congso.portal.models import Draft

pytestmark = pytest.mark.django_db


def _eid_session(client, citizen, level: int) -> None:
    client.force_login(citizen)
    session = client.session
    session[eid.LOGIN_METHOD_KEY] = "eid"
    session[eid.LEVEL_KEY] = level
    session.save()


def test_level_one_is_told_how_to_upgrade_and_nothing_is_filed(client, ready_draft, birth):
    _eid_session(client, ready_draft.owner, 1)
    drafts = Draft.objects.count()
    page = client.post(reverse("portal:start", args=[birth.code]), follow=True).content.decode()
    assert "mức độ 1" in page and "mức độ 2" in page and "Công an xã" in page
    assert Draft.objects.count() == drafts
    check = reverse("portal:draft_check", args=[ready_draft.public_id])
    page = client.post(check, follow=True).content.decode()
    assert "Hồ sơ chưa được nộp" in page
    assert not Dossier.objects.exists()


def test_level_two_files(client, ready_draft):
    _eid_session(client, ready_draft.owner, 2)
    response = client.post(reverse("portal:draft_check", args=[ready_draft.public_id]))
    assert response.status_code == 302 and Dossier.objects.count() == 1
