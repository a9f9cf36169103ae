"""The declaration on the back-office dossier page: labelled sections with formatted values, the
documents beside them with an in-page viewer, for the desk, the specialist and the leader."""

import pytest
from django.urls import reverse

from congso.catalog.models import Procedure
from congso.onestop import services
from congso.portal.tests.examples import CERTIFICATION_ANSWERS, MARITAL_STATUS_ANSWERS


@pytest.fixture
def people(demo):
    return demo["people"]


@pytest.fixture
def marital(demo, online_intake_for, people):
    """A confirmation of marital status filed online by a citizen, with its scans."""
    procedure = Procedure.objects.get(code="1.004873")
    intake = online_intake_for(
        procedure, demo["units"]["Xã Nghi Long"], form_data=MARITAL_STATUS_ANSWERS
    )
    return services.file_online(people["congdan.binh"], intake)


def _html(client, user, dossier) -> str:
    client.force_login(user)
    response = client.get(reverse("onestop:dossier", args=[dossier.code]))
    assert response.status_code == 200
    return response.content.decode()


@pytest.mark.parametrize("who", ["motcua.nghilong", "congchuc.nghilong", "lanhdao.nghilong"])
def test_every_back_office_role_reads_the_declaration(client, people, marital, who):
    html = _html(client, people[who], marital)
    assert 'data-testid="declaration"' in html
    assert "Người được cấp Giấy xác nhận" in html  # a section, by its title
    assert "Ngày, tháng, năm sinh" in html and "03/08/1995" in html  # dd/mm/yyyy
    assert "Chưa đăng ký kết hôn với ai" in html  # a choice by its title, not its code
    assert "never_married" not in html and "1995-08-03" not in html


def test_documents_are_shown_in_the_page_from_the_inline_route(client, people, marital):
    html = _html(client, people["motcua.nghilong"], marital)
    document = marital.documents.exclude(file="").first()
    view = reverse("onestop:document_view", args=[marital.code, document.pk])
    assert f'<iframe class="document-viewer" src="{view}"' in html


def test_the_inline_route_serves_the_scan_inert_and_framable_by_the_platform_only(
    client, people, marital
):
    client.force_login(people["congchuc.nghilong"])
    document = marital.documents.exclude(file="").first()
    response = client.get(reverse("onestop:document_view", args=[marital.code, document.pk]))
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert response["Content-Disposition"].startswith("inline")
    assert response["Content-Security-Policy"] == "sandbox"
    assert response["X-Frame-Options"] == "SAMEORIGIN"


def test_the_inline_route_is_a_404_for_others(client, people, marital):
    client.force_login(people["motcua.nghiloc"])  # the district desk: not this commune's dossier
    document = marital.documents.exclude(file="").first()
    url = reverse("onestop:document_view", args=[marital.code, document.pk])
    assert client.get(url).status_code == 404


def test_a_table_of_the_declaration_is_read_line_by_line(client, demo, people, online_intake_for):
    procedure = Procedure.objects.get(code="2.000815")
    intake = online_intake_for(
        procedure, demo["units"]["Xã Nghi Long"], form_data=CERTIFICATION_ANSWERS
    )
    dossier = services.file_online(people["congdan.an"], intake)
    html = _html(client, people["motcua.nghilong"], dossier)
    assert "dòng 1: Số trang" in html and "Sổ đỏ thửa đất số 12" in html
    assert dossier.fee_amount == 42000


def test_a_paper_dossier_says_so(client, demo, people, intake_for):
    procedure = Procedure.objects.get(code="1.004873")
    dossier = services.receive_at_desk(
        people["motcua.nghilong"], intake_for(procedure, demo["units"]["Xã Nghi Long"])
    )
    html = _html(client, people["motcua.nghilong"], dossier)
    assert "Chưa có tờ khai điện tử" in html and 'data-testid="edit-declaration"' in html


def test_the_page_stays_within_its_query_budget(
    client, people, marital, django_assert_max_num_queries
):
    client.force_login(people["motcua.nghilong"])
    url = reverse("onestop:dossier", args=[marital.code])
    client.get(url)
    with django_assert_max_num_queries(60):
        client.get(url)
