"""External signer: the server prepares, the reference agent signs with a SoftHSM2 token in its
own process, the server embeds; a signature from the wrong key embeds nothing."""

import base64
import json
import os
import subprocess
import sys

import pytest
from django.core.exceptions import ValidationError

from congso.demo import signing as demo
from congso.signing import external, services
from congso.signing.models import PendingSignature, SignatureRecord
from congso.signing.tests import support

pytestmark = [
    pytest.mark.skipif(not os.path.exists(support.SOFTHSM_MODULE), reason="SoftHSM2 missing"),
    pytest.mark.slow,
]


def _agent(tmp_path, request: dict, *, token_label, key_label, pin):
    path = tmp_path / "prepared.json"
    path.write_text(json.dumps(request))
    return subprocess.run(
        [
            sys.executable,
            "-m",
            "congso",
            "signing_agent",
            "--module",
            support.SOFTHSM_MODULE,
            "--token",
            token_label,
            "--key",
            key_label,
            "--pin",
            pin,
            str(path),
        ],
        capture_output=True,
        text=True,
        timeout=120,
        env={**os.environ, "CONGSO_VAR_DIR": str(tmp_path / "agent-var")},
    )


def test_agent_signature_is_embedded_and_verifies(token_key, pdf, tmp_path):
    key, tok = token_key
    pending = external.prepare(pdf, certificate=key.certificate, reason="Ký số tại bàn")
    done = _agent(
        tmp_path,
        external.request_for_agent(pending),
        token_label=tok.label,
        key_label=key.key_label,
        pin=tok.pin,
    )
    assert done.returncode == 0, done.stderr
    answer = json.loads(done.stdout)
    assert answer["id"] == pending.pk
    signed = external.complete(pending, base64.b64decode(answer["signature"]))
    [report] = services.verify_pdf(signed)
    assert report.ok and report.signer == "UBND xã A"
    assert SignatureRecord.objects.get().field_name == pending.field_name
    with pytest.raises(ValidationError, match="đã hoàn tất"):
        external.complete(pending, base64.b64decode(answer["signature"]))


def test_agent_wrong_pin_is_reported(token_key, pdf, tmp_path):
    key, tok = token_key
    pending = external.prepare(pdf, certificate=key.certificate)
    done = _agent(
        tmp_path,
        external.request_for_agent(pending),
        token_label=tok.label,
        key_label=key.key_label,
        pin="0000",
    )
    assert done.returncode != 0 and "PIN" in done.stderr


def test_signature_from_another_key_embeds_nothing(token_key, personal, pdf):
    key, _tok = token_key
    pending = external.prepare(pdf, certificate=key.certificate)
    other = support.device_signature(pending, demo.device_key(personal))
    with pytest.raises(ValidationError, match="không khớp"):
        external.complete(pending, other)
    assert not SignatureRecord.objects.exists()
    assert PendingSignature.objects.get().completed_at is None
