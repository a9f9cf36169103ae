"""The filing pages: each step saves the draft; bad input shows every error in Vietnamese at the
field and in the summary, and nothing is saved."""

import re

import pytest
from django.urls import reverse

from congso.onestop.models import Dossier
from congso.portal import declaration_form as df
from congso.portal.models import Draft

from .conftest import required_ids, upload


@pytest.fixture
def signed_in(client, citizen):
    client.force_login(citizen)
    return client


def _start(client, birth) -> Draft:
    response = client.post(reverse("portal:start", args=[birth.code]))
    draft = Draft.objects.get()
    assert response.url == reverse("portal:draft_unit", args=[draft.public_id])
    return draft


def test_start_page_shows_what_to_bring_and_the_online_button(client, birth):
    page = client.get(reverse("portal:start", args=[birth.code])).content.decode()
    assert "Nộp hồ sơ trực tuyến" in page and "Giấy chứng sinh" in page and "5.000 đ" in page


def test_start_requires_login(client, birth):
    response = client.post(reverse("portal:start", args=[birth.code]))
    assert response.status_code == 302 and "/accounts/login/" in response.url
    assert not Draft.objects.exists()


def test_whole_flow_through_the_pages(signed_in, birth, commune, citizen):
    client = signed_in
    draft = _start(client, birth)
    pid = draft.public_id
    response = client.post(reverse("portal:draft_unit", args=[pid]), {"unit": commune.pk})
    assert response.url == reverse("portal:draft_form", args=[pid, 0])
    pages = [
        {
            "declarant.full_name": "Nguyễn Văn An",
            "declarant.id_kind": "citizen_id",
            "declarant.id_number": "040090001234",
            "declarant.residence": "Xóm 3",
        },
        {"relationship": "Cha"},
        {
            "child.full_name": "Nguyễn Minh Khang",
            "child.sex": "male",
            "child.date_of_birth": "2026-11-20",
            "child.place_of_birth": "Bệnh viện huyện",
            "child.ethnicity": "Kinh",
            "child.nationality": "Việt Nam",
        },
        {"mother.full_name": "Lê Thị Hoa"},
        {"father.full_name": "Nguyễn Văn An"},
        {"copies_requested": "1", "commitment": "on"},
    ]
    groups = df.groups(birth.current_version().form_schema)
    for data in pages:
        first = next(iter(data)).split(".")[0]
        index = next(g.index for g in groups if first in g.names)
        response = client.post(reverse("portal:draft_form", args=[pid, index]), data)
        assert response.status_code == 302, response.content.decode()[:2000]
    response = client.post(reverse("portal:draft_form", args=[pid, len(groups) - 1]), pages[-1])
    assert response.url == reverse("portal:draft_documents", args=[pid])
    for pk in required_ids(birth):
        client.post(
            reverse("portal:draft_documents", args=[pid]), {"document": pk, "file": upload()}
        )
    response = client.post(reverse("portal:draft_documents", args=[pid]), {"continue": "1"})
    assert response.url == reverse("portal:draft_delivery", args=[pid])
    response = client.post(
        reverse("portal:draft_delivery", args=[pid]), {"result_delivery": "post"}
    )
    assert response.url == reverse("portal:draft_check", args=[pid])
    check = client.get(response.url).content.decode()
    assert check.count("Thay đổi") >= 10 and "Nguyễn Minh Khang" in check and "Nam" in check
    response = client.post(reverse("portal:draft_check", args=[pid]))
    dossier = Dossier.objects.get()
    assert response.url == reverse("portal:filed", args=[dossier.code])
    assert dossier.form_data["copies_requested"] == 1 and dossier.form_data["commitment"] is True
    assert dossier.code in client.get(response.url).content.decode()
    listing = client.get(reverse("portal:my_dossiers")).content.decode()
    assert dossier.code in listing and "Mới, chờ tiếp nhận" in listing


def test_form_errors_at_field_and_in_summary_and_nothing_saved(signed_in, birth):
    draft = _start(signed_in, birth)
    groups = df.groups(birth.current_version().form_schema)
    child = next(g.index for g in groups if g.names == ["child"])
    url = reverse("portal:draft_form", args=[draft.public_id, child])
    response = signed_in.post(url, {"child.full_name": "K", "child.date_of_birth": "31/02/2026"})
    assert response.status_code == 200
    page = response.content.decode()
    summary = page[
        page.index('class="error-summary"') : page.index("</div>", page.index("error-summary"))
    ]
    expected = {
        "f-child-full_name": "Họ, chữ đệm, tên phải có ít nhất 2 ký tự.",
        "f-child-sex": "Chọn giới tính.",
        "f-child-date_of_birth": "Ngày, tháng, năm sinh không đúng định dạng.",
        "f-child-place_of_birth": "Nhập nơi sinh.",
    }
    for field_id, message in expected.items():
        assert f'href="#{field_id}">{message}</a>' in summary
        assert re.search(rf'id="{field_id}-error">.*?{re.escape(message)}', page, re.S)
    assert 'value="K"' in page  # what the citizen typed is kept on the page
    draft.refresh_from_db()
    assert draft.answers == {}


def test_submit_with_missing_parts_lists_them(signed_in, birth):
    draft = _start(signed_in, birth)
    response = signed_in.post(reverse("portal:draft_check", args=[draft.public_id]))
    page = response.content.decode()
    assert response.status_code == 200 and "Chọn nơi nộp hồ sơ." in page
    assert "Chưa có giấy tờ" in page and not Dossier.objects.exists()


def test_bad_upload_error_at_the_document(signed_in, birth):
    draft = _start(signed_in, birth)
    pk = required_ids(birth)[0]
    response = signed_in.post(
        reverse("portal:draft_documents", args=[draft.public_id]),
        {"document": pk, "file": upload("gia.pdf", b"GIF89a not a pdf")},
    )
    page = response.content.decode()
    assert f'href="#doc-{pk}"' in page and f'id="doc-{pk}-error"' in page
    assert "không đúng định dạng cho phép" in page and not draft.documents.exists()


def test_draft_resumes_on_another_device(client, citizen, birth, ready_draft):
    client.force_login(citizen)  # a second session of the same account
    listing = client.get(reverse("portal:my_dossiers")).content.decode()
    assert reverse("portal:draft_check", args=[ready_draft.public_id]) in listing
