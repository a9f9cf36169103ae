"""Search without diacritics and with filters; annex VI metadata as JSON and XML; work files;
the dashboard figures for a small hand-built set."""

import datetime as dt
import json
from xml.etree import ElementTree

import pytest
from django.utils import timezone

from congso.documents import figures, metadata, search, services
from congso.documents.models import Document

pytestmark = pytest.mark.django_db


def test_search_ignores_diacritics_and_filters(issued, tree):
    issued(subject="Về việc kiện toàn tổ công nghệ số cộng đồng")
    everything = Document.objects.all()
    assert search.search(everything, {"q": "kien toan to cong nghe"}).count() == 2
    assert search.search(everything, {"q": "KIỆN TOÀN", "direction": "incoming"}).count() == 1
    assert search.search(everything, {"q": "khong co"}).count() == 0
    assert search.search(everything, {"unit": str(tree["commune_a"].pk)}).count() == 1
    assert search.search(everything, {"type": "CV"}).count() == 0
    assert search.search(everything, {"from": "2000-01-01", "to": "bad"}).count() == 2


def test_metadata_of_a_document_and_a_work_file(issued, people, tree):
    document = issued()
    work_file = services.create_work_file(
        tree["district"],
        actor=people["clerk"],
        code="05",
        title="Chuyển đổi số",
        year=2026,
        retention_years=None,
    )
    services.file_document(document, work_file, actor=people["clerk"])
    fields = metadata.document_fields(document)
    assert fields["CodeNumber"] == "01"
    assert fields["CodeNotation"] == "QĐ-UBND"
    assert fields["FileCode"] == "000.00.01.T01.2026.05"
    assert fields["OrganName"] == tree["district"].name
    assert json.loads(metadata.to_json(fields))["Subject"] == document.subject
    xml = ElementTree.fromstring(metadata.to_xml(metadata.work_file_fields(work_file), "WorkFile"))
    assert xml.findtext("Maintenance") == "Vĩnh viễn"
    assert xml.find("Documents/Document/CodeNotation").text == "QĐ-UBND"
    incoming = Document.objects.get(source=document)
    assert metadata.document_fields(incoming)["ArrivalNumber"] == "1"


def test_figures(issued, people, tree):
    today = timezone.localdate()
    first = issued()
    issued()
    copy = Document.objects.get(source=first)
    copy = services.transition(copy, "present", actor=people["clerk_a"])
    copy = services.transition(
        copy, "assign", actor=people["leader_a"], lead_unit=tree["commune_a"], due_on=today
    )
    services.transition(copy, "finish", actor=people["leader_a"])
    late = Document.objects.filter(source__isnull=False).exclude(pk=copy.pk).get()
    late = services.transition(late, "present", actor=people["clerk_a"])
    services.transition(
        late, "assign", actor=people["leader_a"], lead_unit=tree["commune_a"], due_on=today
    )
    Document.objects.filter(pk=late.pk).update(due_on=today - dt.timedelta(days=3))
    ids = [tree["district"].pk, tree["commune_a"].pk, tree["commune_b"].pk]
    numbers = figures.provide(ids, today - dt.timedelta(days=1), today)
    assert numbers == {
        "outgoing_issued": 2,
        "outgoing_electronic": 2,
        "outgoing_signed": 2,
        "incoming_received": 2,
        "incoming_done": 1,
        "incoming_done_on_time": 1,
        "incoming_overdue": 1,
    }
    assert figures.provide([tree["commune_b"].pk], today, today)["incoming_received"] == 0
