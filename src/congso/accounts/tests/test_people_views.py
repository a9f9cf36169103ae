"""People administration pages: scope, the one-time password, Vietnamese errors, no 500."""

from html import unescape

import pytest
from django.urls import reverse

from congso.accounts.models import Role, User
from congso.accounts.tests.support import log_in

pytestmark = pytest.mark.django_db
PEOPLE = reverse("accounts:people")
CREATE = reverse("accounts:person_create")


@pytest.fixture
def admin_a(tree, official_at, client):
    admin = official_at(tree["commune_a"], Role.UNIT_ADMIN, username="quantri.a")
    log_in(client, admin)
    return admin


@pytest.fixture
def people(tree, official_at):
    return {
        "a": official_at(tree["commune_a"], Role.DESK_OFFICER, username="motcua.a"),
        "b": official_at(tree["commune_b"], Role.DESK_OFFICER, username="motcua.b"),
    }


def _form(where, **fields):
    return {
        "username": "congchuc.moi",
        "full_name": "Đỗ Văn Mới",
        "email": "",
        "phone": "0987 111 222",
        "password": "",
        "generate_password": "on",
        "unit": where.pk,
        "role": Role.SPECIALIST,
        "title": "Công chức Tư pháp - Hộ tịch",
        "valid_from": "01/07/2025",
        **fields,
    }


def test_list_shows_my_commune_only(client, admin_a, people):
    html = client.get(PEOPLE).content.decode()
    assert 'data-person="motcua.a"' in html
    assert "motcua.b" not in html


def test_list_filters_and_survives_junk(client, admin_a, people, tree):
    for query in (
        "?q=motcua",
        "?unit=abc",
        f"?unit={tree['commune_b'].pk}",
        "?page=xyz",
        "?q=" + "x" * 500,
    ):
        response = client.get(PEOPLE + query)
        assert response.status_code == 200, query
        assert "motcua.b" not in response.content.decode()


def test_people_of_b_are_invisible_and_untouchable(client, admin_a, people):
    person_b = people["b"]
    pages = [
        reverse("accounts:person", args=[person_b.pk]),
        reverse("accounts:position_add", args=[person_b.pk]),
        reverse("accounts:position_end", args=[person_b.pk, person_b.positions.get().pk]),
    ]
    for page in pages:
        assert client.get(page).status_code == 404
    for name in ("person_deactivate", "person_unlock", "person_reset_totp"):
        assert client.post(reverse(f"accounts:{name}", args=[person_b.pk])).status_code == 404
    person_b.refresh_from_db()
    assert person_b.is_active and person_b.positions.get().valid_until is None


def test_create_with_generated_password_shows_it_once(client, admin_a, tree):
    response = client.post(CREATE, _form(tree["commune_a"]))
    assert response.status_code == 200
    assert "no-store" in response["Cache-Control"]
    html = response.content.decode()
    assert "chỉ hiển thị một lần" in html
    person = User.objects.get(username="congchuc.moi")
    assert person.phone == "+84987111222"
    password = unescape(html.split('data-testid="generated-password">')[1].split("<")[0])
    assert person.check_password(password)
    detail = client.get(reverse("accounts:person", args=[person.pk])).content.decode()
    assert password not in detail and "Công chức Tư pháp - Hộ tịch" in detail


def test_create_with_typed_password_redirects(client, admin_a, tree):
    form = _form(tree["commune_a"], generate_password="", password="Lua-chin-vang-2024")
    response = client.post(CREATE, form)
    person = User.objects.get(username="congchuc.moi")
    assert response.status_code == 302 and response.url == reverse(
        "accounts:person", args=[person.pk]
    )


@pytest.mark.parametrize(
    ("fields", "message"),
    [
        ({"generate_password": ""}, "Hãy nhập mật khẩu ban đầu hoặc chọn tạo mật khẩu ngẫu nhiên."),
        (
            {"password": "Lua-chin-vang-2024"},
            "Hoặc nhập mật khẩu, hoặc chọn tạo mật khẩu ngẫu nhiên",
        ),
        ({"generate_password": "", "password": "abc"}, "Mật khẩu phải có chữ cái, chữ số"),
        ({"role": Role.SYSTEM_ADMIN}, "Bạn không được giao vai trò này."),
        ({"role": "vua"}, "Bạn không được giao vai trò này."),
        ({"unit": "99999"}, "Đơn vị không hợp lệ hoặc ngoài phạm vi bạn quản lý."),
        ({"unit": "abc"}, "Đơn vị không hợp lệ hoặc ngoài phạm vi bạn quản lý."),
        ({"valid_from": "31/02/2025"}, "Nhập ngày theo dạng dd/mm/yyyy"),
        ({"username": "quantri.a"}, "Tên đăng nhập này đã có người dùng."),
        ({"username": "có dấu"}, "Tên đăng nhập gồm 3–150 ký tự"),
        ({"phone": "12"}, "Số điện thoại không hợp lệ."),
        ({"email": "a@"}, "Địa chỉ e-mail không hợp lệ."),
        ({"full_name": ""}, "Hãy nhập họ và tên."),
    ],
)
def test_create_explains_mistakes_in_vietnamese(client, admin_a, tree, fields, message):
    response = client.post(CREATE, _form(tree["commune_a"], **fields))
    assert response.status_code == 200
    assert message in response.content.decode()
    assert not User.objects.filter(username="congchuc.moi").exists()


def test_unit_of_another_commune_is_not_offered(client, admin_a, tree):
    response = client.post(CREATE, _form(tree["commune_b"]))
    assert "Đơn vị không hợp lệ hoặc ngoài phạm vi bạn quản lý." in response.content.decode()
    html = client.get(CREATE).content.decode()
    assert "UBND xã A" in html and "UBND xã B" not in html
    assert "system_admin" not in html


def test_empty_posts_get_messages_not_errors(client, admin_a, people):
    person = people["a"]
    urls = [
        CREATE,
        reverse("accounts:position_add", args=[person.pk]),
        reverse("accounts:position_end", args=[person.pk, person.positions.get().pk]),
    ]
    for url in urls:
        response = client.post(url, {})
        assert response.status_code == 200 and "Có lỗi cần sửa" in response.content.decode(), url


def test_add_and_end_position_through_the_pages(client, admin_a, people, tree):
    person = people["a"]
    url = reverse("accounts:position_add", args=[person.pk])
    form = {
        "unit": tree["commune_a"].pk,
        "role": Role.CLERK,
        "title": "",
        "valid_from": "01/01/2025",
    }
    assert client.post(url, form).status_code == 302
    position = person.positions.get(role=Role.CLERK)
    end = reverse("accounts:position_end", args=[person.pk, position.pk])
    bad = client.post(end, {"on": "31/12/2024"})
    assert "Ngày kết thúc không được trước ngày bắt đầu (01/01/2025)." in bad.content.decode()
    assert client.post(end, {"on": "30/06/2025"}).status_code == 302
    position.refresh_from_db()
    assert position.valid_until.isoformat() == "2025-06-30"
    again = client.post(end, {"on": "30/06/2025"}, follow=True)
    assert "đã có ngày kết thúc 30/06/2025" in again.content.decode()


def test_account_actions(client, admin_a, people):
    person = people["a"]
    deactivate = reverse("accounts:person_deactivate", args=[person.pk])
    assert client.get(deactivate).status_code == 302  # a GET changes nothing
    person.refresh_from_db()
    assert person.is_active
    page = client.post(deactivate, follow=True).content.decode()
    assert "Đã vô hiệu hoá tài khoản" in page
    person.refresh_from_db()
    assert not person.is_active
    unlock = client.post(reverse("accounts:person_unlock", args=[person.pk]), follow=True)
    assert "Tài khoản hiện không bị tạm khoá." in unlock.content.decode()


def test_own_account_offers_no_actions(client, admin_a):
    html = client.get(reverse("accounts:person", args=[admin_a.pk])).content.decode()
    assert "Vô hiệu hoá tài khoản" not in html and "Giao thêm chức danh" not in html
    assert client.post(reverse("accounts:person_deactivate", args=[admin_a.pk])).status_code == 403
    admin_a.refresh_from_db()
    assert admin_a.is_active


def test_non_admins_are_refused(client, people):
    log_in(client, people["a"])
    assert client.get(PEOPLE).status_code == 403
    assert client.get(CREATE).status_code == 403


def test_anonymous_is_sent_to_login(client):
    response = client.get(PEOPLE)
    assert response.status_code == 302 and reverse("accounts:login") in response.url


def test_unknown_ids_are_404(client, admin_a):
    assert client.get(reverse("accounts:person", args=[999999])).status_code == 404
    assert client.get("/accounts/people/abc/").status_code == 404


def test_workspace_links_to_people_administration(client, admin_a):
    html = client.get(reverse("accounts:workspace")).content.decode()
    assert PEOPLE in html
