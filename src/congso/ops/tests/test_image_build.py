"""The OCI image builds from ``deploy/Containerfile`` and holds what the roles need (issue 19,
item 1), built without a container engine: ``buildah`` (Debian's package) rootless-style, with
chroot isolation and the vfs storage driver, so it runs where no Docker daemon does.

Opt-in, minutes: ``CONGSO_TEST_IMAGE=1``. ``CONGSO_TEST_IMAGE_STORAGE`` is buildah's storage
(default ``var/buildah``), ``CONGSO_TEST_IMAGE_BUILD_ARGS`` extra ``buildah bud`` arguments for
the machine (``--pull-never`` with a local base image, ``-v`` mounts for a TLS proxy's CA; see
docs/deploy.md)."""

import json
import os
import shlex
import shutil
import subprocess
from pathlib import Path

import pytest

from .processes import REPO

pytestmark = pytest.mark.skipif(
    os.environ.get("CONGSO_TEST_IMAGE") != "1" or shutil.which("buildah") is None,
    reason="CONGSO_TEST_IMAGE=1 and buildah build the image",
)
TAG = "localhost/congso:test"


#: ``--format docker``: the OCI format has no HEALTHCHECK, and buildah drops it from an OCI image.


def _buildah(*argv, **kwargs) -> subprocess.CompletedProcess:
    storage = Path(os.environ.get("CONGSO_TEST_IMAGE_STORAGE", Path(REPO) / "var" / "buildah"))
    return subprocess.run(
        ["buildah", "--root", str(storage / "root"), "--runroot", str(storage / "run"),
         "--storage-driver", "vfs", *argv],
        capture_output=True, text=True, **kwargs,
    )  # fmt: skip


@pytest.fixture(scope="module")
def image():
    extra = shlex.split(os.environ.get("CONGSO_TEST_IMAGE_BUILD_ARGS", ""))
    built = _buildah(
        "bud", "--format", "docker", "--layers", "--isolation", "chroot", *extra,
        "-f", "deploy/Containerfile", "-t", TAG, ".",
        cwd=REPO, timeout=3600,
    )  # fmt: skip
    assert built.returncode == 0, built.stdout[-3000:] + built.stderr[-3000:]
    container = _buildah("from", "--isolation", "chroot", TAG).stdout.strip()
    yield container
    _buildah("rm", container)


def test_the_image_runs_as_congso_with_the_roles_entry_point(image):
    config = json.loads(_buildah("inspect", "--type", "image", TAG).stdout)["Docker"]["config"]
    assert config["User"] == "congso:congso"
    assert config["Entrypoint"] == ["python", "-m", "congso"]
    assert config["Healthcheck"]["Test"][0] == "CMD"
    assert "CONGSO_ENV=production" in config["Env"]


def _run(container: str, *argv: str) -> str:
    ran = _buildah("run", "--isolation", "chroot", "--user", "congso", container, "--", *argv)
    assert ran.returncode == 0, ran.stdout[-2000:] + ran.stderr[-2000:]
    return ran.stdout


def test_the_image_holds_what_pdfs_signatures_ocr_and_object_storage_need(image):
    assert _run(image, "id", "-u").strip() == "10001"
    assert "vie" in _run(image, "tesseract", "--list-langs").split()
    _run(image, "pdfsig", "-v")
    _run(image, "pg_dump", "--version")  # backups
    imported = (
        "import congso, storages.backends.s3, boto3, requests, weasyprint, pyhanko; print('ok')"
    )
    assert _run(image, "python", "-c", imported).strip() == "ok"
