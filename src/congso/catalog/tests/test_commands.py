"""``catalog_import`` and ``catalog_export`` management commands."""

import json

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from congso.catalog.models import Procedure
from congso.core.models import AuditRecord
from congso.demo import catalog as demo

pytestmark = pytest.mark.django_db


def test_import_then_export_json_and_excel(tmp_path, capsys):
    call_command("catalog_import", str(demo.DATA_FILE))
    assert "26 thủ tục mới" in capsys.readouterr().out
    assert AuditRecord.objects.filter(action="catalog.import", actor="catalog_import").exists()
    out = tmp_path / "c.json"
    call_command("catalog_export", str(out))
    assert len(json.loads(out.read_text())["procedures"]) == 26
    xlsx = tmp_path / "c.xlsx"
    call_command("catalog_export", str(xlsx))
    assert xlsx.read_bytes()[:2] == b"PK"
    call_command("catalog_import", str(xlsx))
    assert "26 không đổi" in capsys.readouterr().out


def test_import_failure_lists_errors_and_imports_nothing(tmp_path, capsys):
    bad = tmp_path / "bad.json"
    data = json.loads(demo.DATA_FILE.read_text())
    data["procedures"][0]["level"] = "hamlet"
    bad.write_text(json.dumps(data))
    with pytest.raises(CommandError, match="chưa nhập dữ liệu nào"):
        call_command("catalog_import", str(bad))
    assert "Thủ tục thứ 1 (mã 1.001193), trường “level”" in capsys.readouterr().err
    assert not Procedure.objects.exists()


def test_commands_refuse_bad_paths(tmp_path):
    with pytest.raises(CommandError, match="Không tìm thấy tệp"):
        call_command("catalog_import", str(tmp_path / "missing.json"))
    with pytest.raises(CommandError, match=".json hoặc .xlsx"):
        call_command("catalog_export", str(tmp_path / "c.csv"))
