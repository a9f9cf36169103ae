"""``python -m congso partner_client``: a system administrator creates, rotates and revokes a
partner client; the secret is shown once, every change is audited, nobody else may."""

import io
import re

import pytest
from django.core.management import CommandError, call_command

from congso.api.models import PartnerClient
from congso.core.models import AuditRecord

pytestmark = pytest.mark.django_db


def _run(*args) -> str:
    out = io.StringIO()
    call_command("partner_client", *args, stdout=out)
    return out.getvalue()


def test_create_rotate_revoke(sysadmin, tree):
    shown = _run(
        "create",
        "--by=qtht",
        "--name=Cổng DVC quốc gia",
        f"--unit={tree['district'].agency_id}",
        "--scope=dossiers.sync",
        "--scope=dossiers.read",
    )
    client_id = re.search(r"client_id=(\S+)", shown).group(1)
    secret = re.search(r"client_secret=(\S+)", shown).group(1)
    client = PartnerClient.objects.get(client_id=client_id)
    assert client.unit == tree["district"] and client.scopes == ["dossiers.read", "dossiers.sync"]
    assert secret not in client.secret_hash and secret not in _run("list")
    rotated = re.search(r"client_secret=(\S+)", _run("rotate", client_id, "--by=qtht")).group(1)
    assert rotated != secret
    _run("revoke", client_id, "--by=qtht")
    client.refresh_from_db()
    assert not client.is_active and client.revoked_at is not None
    actions = AuditRecord.objects.filter(action__startswith="api.partner.")
    assert list(actions.values_list("action", "actor")) == [
        ("api.partner.create", "qtht"),
        ("api.partner.rotate", "qtht"),
        ("api.partner.revoke", "qtht"),
    ]


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--by=khongco"], "quản trị hệ thống"),
        (["--by=qtht", "--unit=000.99.99.X00"], "Không tìm thấy đơn vị"),
    ],
)
def test_refusals_change_nothing(sysadmin, tree, args, message):
    base = {"--unit": f"--unit={tree['commune_a'].pk}"}
    for arg in args:
        base[arg.split("=")[0]] = arg
    with pytest.raises(CommandError, match=message):
        _run("create", "--name=X", "--scope=dossiers.sync", *base.values())
    assert not PartnerClient.objects.exists()


def test_only_a_system_administrator(tree, official_at):
    official_at(tree["commune_a"], "unit_admin", username="qtdv")
    with pytest.raises(CommandError, match="Chỉ quản trị hệ thống"):
        _run(
            "create",
            "--by=qtdv",
            "--name=X",
            f"--unit={tree['commune_a'].pk}",
            "--scope=dossiers.sync",
        )
    assert not PartnerClient.objects.exists()
