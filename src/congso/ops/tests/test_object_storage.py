"""Files in an S3-compatible object store (issue 19, item 3): through django-storages, against a
real S3-protocol server (moto's standalone server, started here on a port of its own), an
uploaded incoming document, a PDF the platform generates from a draft's text and its signed
copy are stored as objects (nothing on the node's disk) and come back byte for byte through the
API, the signed copy still valid for poppler's ``pdfsig``; ``/readyz`` and check E024 ask the
bucket itself."""

import hashlib
import io
import os
import socket
import subprocess
import time
import uuid
from pathlib import Path

import pytest
from django.core.files.storage import default_storage
from rest_framework.test import APIClient

from congso.documents.tests.conftest import (  # noqa: F401 - fixtures
    _media,
    draft,
    issued,
    keys,
    office,
    pdf_upload,
    people,
)
from congso.ops.checks import production_problems
from congso.signing.tests import support

from .processes import PYTHON

ACCESS_KEY, SECRET_KEY, REGION = "congso-test", "congso-test-secret", "us-east-1"


def _port() -> int:
    """One port per xdist worker, in this helper's block (CONGSO_TEST_S3_PORT)."""
    worker = os.environ.get("PYTEST_XDIST_WORKER", "gw0").removeprefix("gw")
    return int(os.environ.get("CONGSO_TEST_S3_PORT", "8510")) + int(worker or 0)


@pytest.fixture(scope="module")
def s3_server():
    port = _port()
    server = subprocess.Popen(
        [PYTHON, "-m", "moto.server", "-H", "127.0.0.1", "-p", str(port)],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    deadline = time.monotonic() + 60
    while True:
        try:
            socket.create_connection(("127.0.0.1", port), timeout=1).close()
            break
        except OSError:
            assert server.poll() is None and time.monotonic() < deadline, "moto did not start"
            time.sleep(0.2)
    yield f"http://127.0.0.1:{port}"
    server.terminate()
    server.wait(timeout=10)


def _client(endpoint: str):
    import boto3

    return boto3.client(
        "s3",
        endpoint_url=endpoint,
        aws_access_key_id=ACCESS_KEY,
        aws_secret_access_key=SECRET_KEY,
        region_name=REGION,
    )


def _use_bucket(settings, endpoint: str, bucket: str) -> None:
    """The settings ``CONGSO_FILE_STORAGE`` and ``CONGSO_S3_*`` produce (settings.py)."""
    settings.STORAGES = {
        **settings.STORAGES,
        "default": {
            "BACKEND": settings.S3_STORAGE,
            "OPTIONS": {
                **settings.CONGSO_S3_OPTIONS,
                "bucket_name": bucket,
                "endpoint_url": endpoint,
                "region_name": REGION,
                "access_key": ACCESS_KEY,
                "secret_key": SECRET_KEY,
                "location": "congso",
            },
        },
    }


@pytest.fixture
def bucket(s3_server, settings):
    name = f"congso-{uuid.uuid4().hex[:12]}"
    client = _client(s3_server)
    client.create_bucket(Bucket=name)
    _use_bucket(settings, s3_server, name)
    return client, name


def _objects(client, name: str) -> set[str]:
    listed = client.list_objects_v2(Bucket=name).get("Contents", [])
    return {item["Key"] for item in listed}


def _api(user) -> APIClient:
    client = APIClient()
    client.force_authenticate(user)
    return client


@pytest.mark.django_db
def test_uploads_generated_pdfs_and_signed_copies_round_trip(
    bucket,
    issued,  # noqa: F811 - the fixture imported above
    people,  # noqa: F811 - the fixture imported above
    tree,
    settings,
    tmp_path,
):
    client, name = bucket
    assert default_storage.bucket_name == name  # the settings reached the storage API
    # An upload: the commune clerk registers an incoming paper letter, scanned.
    scan = io.BytesIO(support.simple_pdf("Cong van den"))
    scan.name = "cong-van.pdf"
    registered = _api(people["clerk_a"]).post(
        "/api/v1/documents/",
        {"direction": "incoming", "unit": tree["commune_a"].pk, "doc_type": "CV",
         "subject": "Về việc báo cáo", "author": "Sở Nội vụ", "notation": "12/SNV-VP",
         "file": scan},
        format="multipart",
    )  # fmt: skip
    assert registered.status_code == 201, registered.json()
    # A generated PDF (laid out from the draft's text, no file given) and its signed copy.
    document = issued(upload=None, body="Điều 1. Kiện toàn tổ công nghệ số cộng đồng.")

    stored = _objects(client, name)
    assert stored and all(key.startswith("congso/") for key in stored), stored
    assert not any(p.is_file() for p in Path(settings.MEDIA_ROOT).rglob("*"))  # no local copy
    checked = 0
    for owner, body in (
        (people["clerk_a"], registered.json()),
        (people["clerk"], _api(people["clerk"]).get(f"/api/v1/documents/{document.pk}/").json()),
    ):
        for version in body["versions"]:
            got = _api(owner).get(f"/api/v1/documents/{body['id']}/files/{version['number']}/")
            assert got.status_code == 200
            data = b"".join(got.streaming_content) if got.streaming else got.content
            assert hashlib.sha256(data).hexdigest() == version["sha256"], version
            checked += 1
    assert checked >= 3  # the upload, the generated PDF, the signed copy
    signed = tmp_path / "signed.pdf"
    signed.write_bytes(data)  # the last version of the issued document: the signed copy
    assert support.pdfsig(signed).signature_valid


@pytest.mark.django_db
def test_readyz_and_check_ask_the_bucket(bucket, s3_server, settings, client):
    ready = client.get("/readyz")
    assert ready.status_code == 200 and ready.json()["checks"]["storage"]["ok"]
    assert [p for p in production_problems() if p.id == "congso.E024"] == []

    _use_bucket(settings, s3_server, "congso-no-such-bucket")
    ready = client.get("/readyz")
    assert ready.status_code == 503 and ready.json()["checks"]["storage"]["ok"] is False
    (problem,) = [p for p in production_problems() if p.id == "congso.E024"]
    assert "does not answer" in problem.msg and "404" in problem.msg

    _use_bucket(settings, s3_server, "")
    (problem,) = [p for p in production_problems() if p.id == "congso.E024"]
    assert "without CONGSO_S3_BUCKET" in problem.msg
