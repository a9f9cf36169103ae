"""The workspace shows each official the tools their roles open, and nothing else."""

import pytest
from django.urls import reverse

from congso.accounts import workspace
from congso.accounts.models import Role
from congso.accounts.tests.support import log_in

pytestmark = pytest.mark.django_db


def test_desk_officer_sees_one_stop_tools_not_administration(client, tree, official_at):
    desk = official_at(tree["commune_a"], Role.DESK_OFFICER)
    sections = workspace.tools_for(desk)
    labels = [label for links in sections.values() for label, _url in links]
    assert "Tiếp nhận hồ sơ" in labels
    assert "Quản lý danh mục thủ tục" not in labels
    log_in(client, desk)
    page = client.get(reverse("accounts:workspace")).content.decode()
    assert reverse("onestop:receive") in page
    assert reverse("catalog:manage") not in page


def test_specialist_may_not_receive(tree, official_at):
    specialist = official_at(tree["department"], Role.SPECIALIST)
    urls = [url for links in workspace.tools_for(specialist).values() for _label, url in links]
    assert reverse("onestop:queues") in urls
    assert reverse("onestop:receive") not in urls


def test_citizen_has_no_workspace(client, citizen):
    log_in(client, citizen)
    assert client.get(reverse("accounts:workspace")).status_code == 403
