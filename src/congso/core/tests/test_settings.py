"""Settings come from the environment: production is safe by construction."""

import os
import secrets
import subprocess
import sys
from pathlib import Path

import pytest

import congso

pytestmark = pytest.mark.slow

#: The source tree under test (not whichever copy the interpreter has installed).
SOURCE = str(Path(congso.__file__).resolve().parent.parent)


def _run(args, *, code=None, **env):
    """``python -m congso args`` (or ``python -c code``) with only the given CONGSO_ variables."""
    full_env = {
        k: v
        for k, v in os.environ.items()
        if not k.startswith(("CONGSO_", "DATABASE_URL", "DJANGO_", "PYTHONPATH"))
    }
    full_env.update(env, PYTHONPATH=SOURCE)
    return subprocess.run(
        [sys.executable, *(["-c", code] if code else ["-m", "congso", *args])],
        capture_output=True,
        text=True,
        env=full_env,
        timeout=120,
        check=False,
    )


def _trust_anchor(tmp_path) -> str:
    """A root certificate file standing for the National Root CA (``CONGSO_TRUST_ANCHORS``)."""
    from congso.signing import pki

    root = pki.issue(pki.name("Root CA thử nghiệm"), authority=True)
    path = tmp_path / "root.pem"
    path.write_text(pki.to_pem(root.certificate))
    return str(path)


def _production(tmp_path, **overrides):
    """A complete production environment; ``overrides`` change or (with None) remove variables."""
    variables = {
        "CONGSO_ENV": "production",
        "CONGSO_SECRET_KEY": secrets.token_urlsafe(60),
        "CONGSO_AUDIT_KEY": secrets.token_urlsafe(40),
        "CONGSO_SIGNING_PASSPHRASE": "s3cret-" + secrets.token_hex(8),
        "CONGSO_KEY_ENCRYPTION_KEY": secrets.token_urlsafe(32),
        "CONGSO_JITSI_DOMAIN": "hop.example.vn",
        "CONGSO_JITSI_SECRET": secrets.token_urlsafe(32),
        "CONGSO_ALLOWED_HOSTS": "congso.example.vn",
        "CONGSO_PUBLIC_URL": "https://congso.example.vn",
        "CONGSO_EMAIL_HOST": "smtp.example.vn",  # a mail relay is required (congso.E020)
        "CONGSO_VAR_DIR": str(tmp_path),
        "CONGSO_TRUST_ANCHORS": _trust_anchor(tmp_path),  # else congso.signing.W001
        **overrides,
    }
    return {name: value for name, value in variables.items() if value is not None}


def test_check_deploy_is_clean_in_production(tmp_path):
    result = _run(["check", "--deploy", "--fail-level", "WARNING"], **_production(tmp_path))
    assert result.returncode == 0, result.stdout + result.stderr


def test_check_deploy_fails_in_development_mode(tmp_path):
    """The same check is not silently green for a development configuration."""
    result = _run(["check", "--deploy", "--fail-level", "WARNING"], CONGSO_VAR_DIR=str(tmp_path))
    assert result.returncode != 0


def test_production_refuses_to_start_without_a_secret_key(tmp_path):
    result = _run(["check"], CONGSO_ENV="production", CONGSO_VAR_DIR=str(tmp_path))
    assert result.returncode != 0
    assert "CONGSO_SECRET_KEY" in result.stderr


def test_development_key_is_generated_once_under_var(tmp_path):
    _run(["check"], CONGSO_VAR_DIR=str(tmp_path))
    key = (tmp_path / "secret_key").read_text()
    _run(["check"], CONGSO_VAR_DIR=str(tmp_path))
    assert (tmp_path / "secret_key").read_text() == key and len(key) > 40


def test_check_deploy_requires_a_signing_passphrase_in_production(tmp_path):
    result = _run(["check", "--deploy"], **_production(tmp_path, CONGSO_SIGNING_PASSPHRASE=None))
    assert result.returncode != 0
    assert "congso.E002" in result.stderr and "CONGSO_SIGNING_PASSPHRASE" in result.stderr
