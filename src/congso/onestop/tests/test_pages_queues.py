"""The work-queue page: tabs with counts, filters, diacritic-insensitive search, bulk hand-over."""

import pytest
from django.urls import reverse

from congso.catalog.models import Procedure
from congso.onestop import services
from congso.onestop.lifecycle import State


@pytest.fixture
def birth(demo):
    return Procedure.objects.get(code="1.001193")


@pytest.fixture
def desk(demo):
    return demo["people"]["motcua.nghilong"]


@pytest.fixture
def two_received(demo, birth, intake_for, desk):
    commune = demo["units"]["Xã Nghi Long"]
    mai = services.receive_at_desk(desk, intake_for(birth, commune))
    other = intake_for(birth, commune)
    other.applicant = services.ApplicantData(name="Trần Văn Đức", id_number="040090005678")
    return mai, services.receive_at_desk(desk, other)


def _get(client, user, **query):
    client.force_login(user)
    return client.get(reverse("onestop:queues"), query)


def test_tabs_show_counts_and_the_queue(client, desk, two_received):
    response = _get(client, desk, tab="to_hand_over")
    assert response.status_code == 200
    html = response.content.decode()
    assert "Chờ chuyển xử lý" in html and '<span class="count">2</span>' in html
    for dossier in two_received:
        assert dossier.code in html
    assert "<caption>" in html


def test_search_without_diacritics_finds_the_applicant(client, desk, two_received):
    mai, duc = two_received
    html = _get(client, desk, tab="all", q="nguyen thi mai").content.decode()
    assert mai.code in html and "Nguyễn Thị Mai" in html
    assert duc.code not in html


def test_filters_by_state_channel_and_dates(client, desk, two_received):
    mai, _duc = two_received
    html = _get(client, desk, tab="all", status=State.RECEIVED, channel="desk").content.decode()
    assert mai.code in html
    assert mai.code not in _get(client, desk, tab="all", channel="online").content.decode()
    today = mai.filed_at.astimezone().strftime("%d/%m/%Y")
    assert mai.code in _get(client, desk, tab="all", received_from=today).content.decode()
    assert mai.code not in _get(client, desk, tab="all", received_to="01/01/2020").content.decode()


def test_a_bad_date_is_explained_not_an_error(client, desk, two_received):
    response = _get(client, desk, tab="all", received_from="31/02/2025")
    assert response.status_code == 200
    assert "Nhập ngày theo dạng dd/mm/yyyy." in response.content.decode()


def test_bulk_hand_over_reports_each_dossier(client, desk, two_received, demo):
    mai, duc = two_received
    services.transition(duc, "start", actor=desk)  # already handed over: start is refused for it
    client.force_login(desk)
    response = client.post(
        reverse("onestop:bulk"),
        {
            "tab": "to_hand_over",
            "transition": "start",
            "codes": [mai.code, duc.code],
            f"revision-{mai.code}": mai.revision,
        },
        follow=True,
    )
    html = response.content.decode()
    assert f"{mai.code}: đã thực hiện “Chuyển xử lý”." in html
    assert f"{duc.code}: Không thể “Chuyển xử lý”" in html
    mai.refresh_from_db()
    assert mai.state == State.PROCESSING


def test_bulk_with_a_stale_revision_changes_nothing(client, desk, two_received):
    mai, _duc = two_received
    client.force_login(desk)
    response = client.post(
        reverse("onestop:bulk"),
        {
            "tab": "to_hand_over",
            "transition": "start",
            "codes": [mai.code],
            f"revision-{mai.code}": mai.revision + 5,
        },
        follow=True,
    )
    assert "vừa được người khác cập nhật" in response.content.decode()
    mai.refresh_from_db()
    assert mai.state == State.RECEIVED


def test_bulk_transition_must_belong_to_the_tab(client, desk, two_received):
    mai, _duc = two_received
    client.force_login(desk)
    client.post(
        reverse("onestop:bulk"),
        {"tab": "to_hand_over", "transition": "withdraw", "codes": [mai.code]},
    )
    mai.refresh_from_db()
    assert mai.state == State.RECEIVED


def test_a_citizen_may_not_open_the_queues(client, demo):
    client.force_login(demo["people"]["congdan.an"])
    assert client.get(reverse("onestop:queues")).status_code == 403


def test_workspace_links_to_the_desk(client, desk):
    client.force_login(desk)
    html = client.get(reverse("accounts:workspace")).content.decode()
    assert reverse("onestop:queues") in html and reverse("onestop:receive") in html


def test_workspace_of_a_specialist_has_queues_but_no_receiving(client, demo):
    client.force_login(demo["people"]["congchuc.nghilong"])
    html = client.get(reverse("accounts:workspace")).content.decode()
    assert reverse("onestop:queues") in html and reverse("onestop:receive") not in html


def test_only_a_desk_officer_is_offered_to_receive_a_dossier(client, demo, desk):
    receive = f'href="{reverse("onestop:receive")}"'
    assert receive in _get(client, desk).content.decode()
    leader = demo["people"]["lanhdao.nghiloc"]
    assert receive not in _get(client, leader).content.decode()
