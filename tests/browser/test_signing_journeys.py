"""The district leader signs an outgoing document with their own signer, in the browser: once with
a (SoftHSM2) USB token through the local signing agent, confirming in the agent's own page, once
through the CA's remote-signing service (the sandbox), confirming on the "phone". The clerk then
issues it; the issued PDF shows the blue signature between title and name and the red seal over
its left third, passes ``pdfsig`` with a time-stamp and is B-LT(A) for pyHanko."""

import io
import subprocess
import threading
import uuid
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import pytest
from django.conf import settings
from django.core.files.uploadedfile import SimpleUploadedFile
from playwright.sync_api import expect
from sandbox.tsa import start_in_thread as start_tsa

from congso.demo import signing as signing_demo
from congso.documents import services as documents
from congso.documents.models import Document, VersionKind
from congso.signing import pki
from congso.signing import services as signing
from congso.signing.agent import Agent, serve, token_signer
from congso.signing.models import Certificate
from congso.signing.tests import support

from .navigation import follow
from .phone import remote_service, sign_on_phone

pytestmark = pytest.mark.browser

LEADER, CLERK = "lanhdao.nghiloc", "vanthu.nghiloc"


def _off_loop(function, *args):
    """pyHanko's synchronous API runs its own event loop: call it outside Playwright's thread."""
    with ThreadPoolExecutor(1) as pool:
        return pool.submit(function, *args).result()


def _login(page, site, username):
    page.context.clear_cookies()
    site.submit_login(page, username)


@pytest.fixture
def district(demo, settings):
    """The demo district with its PKI, images on the certificates, a TSA over HTTP and B-LTA."""
    certificates = signing_demo.load(demo)
    leader = certificates[LEADER]
    signing.set_stamp_image(
        leader, SimpleUploadedFile("chu-ky.png", support.signature_png(), "image/png")
    )
    unit = demo["units"]["district"]
    seal = Certificate.objects.get(kind="org", owner_unit=unit)
    signing.set_stamp_image(
        seal, SimpleUploadedFile("con-dau.png", support.seal_png(), "image/png")
    )
    intermediate = Certificate.objects.filter(kind="ca", is_trust_anchor=False).first()
    issuer = signing.held_key(intermediate.key)
    tsa = pki.issue_tsa(pki.name("TSA thử", organisation="Công Sở"), issuer=issuer)
    running = start_tsa(issued=(tsa.key, tsa.certificate, [issuer.certificate]))
    settings.CONGSO_TSA_URL = running.url
    signing.set_level(unit, "B-LTA")
    yield {"leader": leader, "unit": unit, "issuer": issuer}
    running.stop()


def _approved(demo, subject: str) -> Document:
    from congso.accounts.models import User

    users = {u.username: u for u in User.objects.filter(username__in=[LEADER, CLERK])}
    specialist = User.objects.get(username="chuyenvien.tuphap")
    document = documents.create_outgoing(
        documents.Draft(
            unit=demo["units"]["district"],
            doc_type="KH",
            subject=subject,
            body="Triển khai các nhiệm vụ chuyển đổi số trọng tâm.",
            signer=users[LEADER],
            signer_position="Chủ tịch",
        ),
        actor=specialist,
    )
    document = documents.transition(document, "submit", actor=specialist)
    return documents.transition(document, "approve", actor=users[LEADER])


def _issue_and_check(page, site, document, tmp_path, screenshot):
    _login(page, site, CLERK)
    page.goto(site.url("documents:detail", document.pk))
    follow(page, page.get_by_role("button", name="Cấp số và phát hành", exact=True))
    expect(page.get_by_role("status")).to_contain_text("Đã cấp số")
    screenshot(page, "issued")
    document.refresh_from_db()
    issued = document.versions.get(kind=VersionKind.ISSUED)
    response = page.request.get(site.url("documents:file", document.pk, issued.number))
    assert response.ok
    path = tmp_path / "ban-phat-hanh.pdf"
    path.write_bytes(response.body())
    _check_images(path, tmp_path)
    root = Certificate.objects.get(is_trust_anchor=True).pem
    result = support.pdfsig(path, nssdir=support.nss_database(tmp_path / "nss", root))
    assert result.output.count("Signature is Valid") == 2, result.output
    assert "TSA thử" in result.output  # the document time-stamp
    _off_loop(_check_long_term, path.read_bytes())
    text = subprocess.run(
        ["pdftotext", "-layout", str(path), "-"], capture_output=True, text=True, check=True
    ).stdout
    assert f"Số: {document.notation}" in text


def _check_images(path: Path, tmp_path: Path) -> None:
    from PIL import Image

    listing = subprocess.run(
        ["pdfimages", "-list", str(path)], capture_output=True, text=True, check=True
    ).stdout
    assert "300   120" in listing, listing  # the signature image
    side = round(36 / 25.4 * 150)
    assert f"{side}   {side}" in listing, listing  # the seal at 150 dpi
    subprocess.run(
        ["pdftoppm", "-r", "72", "-png", "-f", "1", "-l", "1", str(path), str(tmp_path / "p")],
        check=True,
    )
    rendered = Image.open(next(tmp_path.glob("p*.png"))).convert("RGB")
    pixels = [
        rendered.getpixel((x, y)) for x in range(rendered.width) for y in range(rendered.height)
    ]
    blue = sum(1 for r, g, b in pixels if b > 150 and r < 80 and g < 80)
    red = sum(1 for r, g, b in pixels if r > 180 and g < 80 and b < 80)
    assert blue > 50 and red > 100, (blue, red)


def _check_long_term(data: bytes) -> None:
    from pyhanko.pdf_utils.reader import PdfFileReader
    from pyhanko.sign.validation import validate_pdf_signature

    reader = PdfFileReader(io.BytesIO(data), strict=False)
    seal = reader.embedded_regular_signatures[-1]
    status = validate_pdf_signature(seal)
    assert status.intact and status.timestamp_validity is not None
    dss = reader.root["/DSS"].get_object()
    assert len(dss.get("/OCSPs", [])) + len(dss.get("/CRLs", [])) > 0  # B-LT
    assert reader.embedded_timestamp_signatures  # B-LTA


def test_leader_signs_with_the_desk_token(
    desktop_page, site, demo, district, softhsm_token, tmp_path, screenshot
):
    page = desktop_page
    leader = district["leader"]
    label = f"lanh-{uuid.uuid4().hex[:8]}"
    issued = signing_demo.device_key(leader)
    support.import_key_to_token(softhsm_token, issued, key_label=label, directory=tmp_path)
    signing.choose_signing_method(leader, "desk_token")
    agent = Agent(
        token_signer(support.SOFTHSM_MODULE, softhsm_token.label, label),
        origins=[site.base_url],
        certificate_sha256=leader.fingerprint,
        timeout=60,
    )
    server = serve(agent)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    settings.CONGSO_SIGNING_AGENT_URL = agent.base_url
    try:
        document = _approved(demo, "Kế hoạch chuyển đổi số năm 2027 (token)")
        _login(page, site, LEADER)
        page.goto(site.url("documents:detail", document.pk))
        expect(page.locator("#sign-method")).to_have_text(
            "Token USB trên máy người ký (qua phần mềm ký số)"
        )
        screenshot(page, "before-signing")
        page.get_by_role("button", name="Ký số", exact=True).click()
        expect(page.get_by_role("status").last).to_contain_text("phần mềm ký số")
        for _ in range(100):
            if agent.requests:
                break
            page.wait_for_timeout(100)
        confirm = page.context.new_page()
        confirm.goto(agent.confirm_url(next(iter(agent.requests.values()))))
        confirm.get_by_label("Mã PIN của token").fill(softhsm_token.pin)
        screenshot(confirm, "agent-confirmation")
        confirm.get_by_role("button", name="Ký", exact=True).click()
        expect(confirm.get_by_text("Đã ký")).to_be_visible()
        confirm.close()
        expect(page.get_by_role("status").first).to_contain_text("Đã ký số; chuyển")
    finally:
        server.shutdown()
        server.server_close()
    _issue_and_check(page, site, document, tmp_path, screenshot)


def test_leader_signs_through_the_remote_service(
    desktop_page, site, demo, district, tmp_path, screenshot
):
    page = desktop_page
    leader = district["leader"]
    with remote_service(leader, "lanh.smartca") as remote:
        document = _approved(demo, "Kế hoạch chuyển đổi số năm 2027 (từ xa)")
        _login(page, site, LEADER)
        page.goto(site.url("documents:detail", document.pk))
        expect(page.locator("#sign-method")).to_have_text("Ký số từ xa (xác nhận trên điện thoại)")
        sign_on_phone(page, remote, "lanh.smartca", screenshot=screenshot)
        expect(page.get_by_role("status").first).to_contain_text("Đã ký số; chuyển", timeout=30_000)
    _issue_and_check(page, site, document, tmp_path, screenshot)
