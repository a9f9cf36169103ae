"""The official signs with their own signer, never with a key on the server: through the local
signing agent with a (SoftHSM2) USB token, or through the CA's remote-signing service (the local
sandbox) after confirming on the "phone"; the issued file then carries both signatures."""

import json
import os
import threading
import uuid

import pytest
import requests
from django.core.exceptions import ValidationError
from sandbox.remote_signing import account_from_pkcs12, start_in_thread

from congso.demo import signing as signing_demo
from congso.documents import services
from congso.documents.lifecycle import OutgoingState
from congso.documents.models import VersionKind
from congso.signing import pki
from congso.signing import services as signing
from congso.signing.agent import Agent, serve, token_signer
from congso.signing.tests import support
from congso.signing.verification import verify_bytes

pytestmark = [pytest.mark.django_db, pytest.mark.slow]


def _approved(draft, people):
    document = draft()
    document = services.transition(document, "submit", actor=people["specialist"])
    return services.transition(document, "approve", actor=people["leader"])


def _issued_pdf(document, people) -> bytes:
    document = services.transition(document, "issue", actor=people["clerk"])
    return document.versions.get(kind=VersionKind.ISSUED).read()


@pytest.fixture
def remote(keys, settings):
    certificate = keys["leader"]
    p12 = pki.to_pkcs12(signing_demo.device_key(keys["leader"]), "ca-giu-khoa")
    running = start_in_thread(sp_id="congso", sp_password="s3cret")
    running.service.add_account(account_from_pkcs12("lanh.nv", p12, "ca-giu-khoa"))
    settings.CONGSO_REMOTE_SIGNING_URL = running.base_url
    settings.CONGSO_REMOTE_SIGNING_SP_ID = "congso"
    settings.CONGSO_REMOTE_SIGNING_SP_PASSWORD = "s3cret"
    signing.choose_signing_method(certificate, "remote", remote_user_id="lanh.nv")
    yield running
    running.stop()


def test_remote_signature_waits_for_the_phone_then_embeds(draft, people, keys, remote):
    document = _approved(draft, people)
    pending, step = services.start_signing(document, actor=people["leader"])
    assert step.kind == "confirm" and pending.transaction_id
    # nothing happens before the official confirms
    assert services.finish_signing(document, pending, actor=people["leader"]) is None
    document.refresh_from_db()
    assert document.state == OutgoingState.APPROVED
    remote.service.decide(pending.transaction_id, True)
    signed = services.finish_signing(document, pending, actor=people["leader"])
    assert signed.state == OutgoingState.SIGNED
    personal = signed.versions.get(kind=VersionKind.PERSONAL_SIGNED).read()
    report = verify_bytes(personal)[0]
    assert report.intact and report.signer == "Nguyễn Văn Lãnh"
    final = _issued_pdf(signed, people)
    assert [r.intact for r in verify_bytes(final)] == [True, True]


def test_rejected_on_the_phone_changes_nothing(draft, people, keys, remote):
    document = _approved(draft, people)
    pending, _step = services.start_signing(document, actor=people["leader"])
    remote.service.decide(pending.transaction_id, False)
    with pytest.raises(ValidationError) as refused:
        services.finish_signing(document, pending, actor=people["leader"])
    assert refused.value.code == "rejected"
    document.refresh_from_db()
    assert document.state == OutgoingState.APPROVED


def test_someone_else_cannot_collect_the_signature(draft, people, keys, remote):
    document = _approved(draft, people)
    pending, _step = services.start_signing(document, actor=people["leader"])
    remote.service.decide(pending.transaction_id, True)
    with pytest.raises(ValidationError):
        services.finish_signing(document, pending, actor=people["clerk"])


def test_a_person_may_not_choose_the_server_key(keys):
    with pytest.raises(ValidationError) as refused:
        signing.choose_signing_method(keys["leader"], "server_key")
    assert refused.value.code == "not_for_person"


# ---------------------------------------------------------------- desk token


@pytest.fixture
def agent(keys, softhsm_token, tmp_path):
    label = f"leader-{uuid.uuid4().hex[:8]}"
    issued = signing_demo.device_key(keys["leader"])
    support.import_key_to_token(softhsm_token, issued, key_label=label, directory=tmp_path)
    signing.choose_signing_method(keys["leader"], "desk_token")
    origin = "http://congso.test"
    running = Agent(
        token_signer(support.SOFTHSM_MODULE, softhsm_token.label, label),
        origins=[origin],
        certificate_sha256=keys["leader"].fingerprint,
        timeout=30,
    )
    server = serve(running)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    running.origin, running.pin = origin, ""
    running.token_pin = softhsm_token.pin
    yield running
    server.shutdown()
    server.server_close()


def _ask_agent(agent, request: dict, *, origin=None) -> dict:
    """What the page's script does: post the request to the agent, with the page's Origin."""
    result = {}

    def call():
        response = requests.post(
            f"{agent.base_url}/v1/sign",
            data=json.dumps(request),
            headers={"Origin": origin or agent.origin, "Content-Type": "application/json"},
            timeout=40,
        )
        result["status"], result["body"] = response.status_code, response.json()

    thread = threading.Thread(target=call)
    thread.start()
    return {"thread": thread, "result": result}


def _confirm(agent, *, pin, action="confirm", origin=None):
    """What the official does in the agent's own page."""
    for _ in range(100):
        if agent.requests:
            break
        threading.Event().wait(0.05)
    nonce = next(iter(agent.requests))
    return requests.post(
        f"{agent.base_url}/xac-nhan/{nonce}",
        data={"action": action, "pin": pin},
        headers={"Origin": origin or agent.base_url},
        timeout=30,
    )


@pytest.mark.skipif(not os.path.exists(support.SOFTHSM_MODULE), reason="SoftHSM2 missing")
def test_desk_token_signs_after_the_official_confirms_in_the_agent(draft, people, agent):
    document = _approved(draft, people)
    pending, step = services.start_signing(document, actor=people["leader"])
    assert step.kind == "agent" and step.request["agent_url"]
    call = _ask_agent(agent, step.request)
    page = requests.get(f"{agent.base_url}/xac-nhan/{next(iter(agent.requests or {'x': 0}))}")
    assert "Access-Control-Allow-Origin" not in page.headers  # a web page cannot read the nonce
    wrong = _confirm(agent, pin="0000")
    assert "PIN" in wrong.text  # wrong PIN: asked again, nothing signed
    assert _confirm(agent, pin=agent.token_pin).status_code == 200
    call["thread"].join(40)
    assert call["result"]["status"] == 200
    import base64

    value = base64.b64decode(call["result"]["body"]["signature"])
    signed = services.finish_signing(document, pending, actor=people["leader"], signature=value)
    assert signed.state == OutgoingState.SIGNED
    final = _issued_pdf(signed, people)
    assert [r.intact for r in verify_bytes(final)] == [True, True]


@pytest.mark.skipif(not os.path.exists(support.SOFTHSM_MODULE), reason="SoftHSM2 missing")
def test_agent_refuses_other_origins_and_foreign_confirmations(draft, people, agent):
    document = _approved(draft, people)
    _pending, step = services.start_signing(document, actor=people["leader"])
    stranger = requests.post(
        f"{agent.base_url}/v1/sign",
        json=step.request,
        headers={"Origin": "https://evil.example"},
        timeout=10,
    )
    assert stranger.status_code == 403 and not agent.requests
    bare = requests.post(f"{agent.base_url}/v1/sign", json=step.request, timeout=10)
    assert bare.status_code == 403
    call = _ask_agent(agent, step.request)
    # the web page itself cannot confirm: the POST carries its origin, not the agent's
    assert _confirm(agent, pin=agent.token_pin, origin=agent.origin).status_code == 403
    _confirm(agent, pin="", action="reject")
    call["thread"].join(40)
    assert call["result"] == {"status": 403, "body": {"error": "refused"}}


def test_agent_wants_the_certificate_it_holds(draft, people, agent):
    document = _approved(draft, people)
    _pending, step = services.start_signing(document, actor=people["leader"])
    other = {**step.request, "certificate_sha256": "00" * 32}
    response = requests.post(
        f"{agent.base_url}/v1/sign", json=other, headers={"Origin": agent.origin}, timeout=10
    )
    assert response.status_code == 409
