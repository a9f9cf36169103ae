"""A replaced draft upload (an ID card scan) does not stay on disk: the nightly sweep deletes
files no record refers to once the grace period is over, and keeps every referenced file."""

import datetime as dt

import pytest
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.utils import timezone

from congso.core import orphans, tasks
from congso.portal import services

from .conftest import pdf_bytes, png_bytes, required_ids, upload


@pytest.fixture(autouse=True)
def _media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"


@pytest.fixture
def draft(birth, commune, citizen):
    draft = services.start_draft(citizen, birth)
    services.set_unit(draft, commune.pk)
    return draft


def test_a_replaced_scan_is_deleted_and_the_current_one_kept(draft, birth):
    required = required_ids(birth)[0]
    first = services.attach_upload(draft, required, upload("cccd.png", png_bytes())).file.name
    current = services.attach_upload(draft, required, upload("cccd.pdf", pdf_bytes())).file.name
    assert default_storage.exists(first)

    later = timezone.now() + dt.timedelta(hours=25)
    assert orphans.delete_orphan_files(now=later) == [first]
    assert not default_storage.exists(first)
    assert default_storage.exists(current)


def test_nothing_young_or_referenced_is_deleted(draft, birth):
    required = required_ids(birth)[0]
    first = services.attach_upload(draft, required, upload("cccd.png", png_bytes())).file.name
    services.attach_upload(draft, required, upload("cccd.pdf", pdf_bytes()))
    assert tasks.delete_orphan_files() == 0
    assert default_storage.exists(first)  # within the grace period


def test_derived_copies_and_status_messages_are_kept(draft, birth):
    item = services.attach_upload(draft, required_ids(birth)[0], upload("a.pdf", pdf_bytes()))
    beside = default_storage.save(f"{item.file.name}.txt", ContentFile(b"OCR"))
    status = default_storage.save("documents/edxml/status/1-03.xml", ContentFile(b"<x/>"))
    later = timezone.now() + dt.timedelta(hours=25)
    assert orphans.delete_orphan_files(now=later) == []
    assert default_storage.exists(beside) and default_storage.exists(status)


def test_personal_documents_are_swept_first():
    assert orphans.roots()[:2] == ["drafts", "datastore"]


def test_the_sweep_is_scheduled(settings):
    schedule = settings.CELERY_BEAT_SCHEDULE["core-delete-orphan-files"]
    assert schedule["task"] == "congso.core.tasks.delete_orphan_files"
