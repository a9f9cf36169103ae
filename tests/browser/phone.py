"""The official signs on the phone (issue 18: a personal signature is made only under the signer's
control): the CA's remote-signing sandbox holds the official's key, the document page's "Ký số"
asks it, and the CA's phone app confirms."""

from contextlib import contextmanager

from django.conf import settings
from playwright.sync_api import expect
from sandbox.remote_signing import account_from_pkcs12
from sandbox.remote_signing import start_in_thread as start_remote

from congso.demo import signing as signing_demo
from congso.signing import pki
from congso.signing import services as signing


@contextmanager
def remote_service(certificate, user_id: str):
    """The remote-signing sandbox, holding ``certificate``'s key for ``user_id``, chosen as that
    official's way to sign for as long as the block runs."""
    remote = start_remote(sp_id="congso", sp_password="s3cret")
    key = pki.to_pkcs12(signing_demo.device_key(certificate), "ca")
    remote.service.add_account(account_from_pkcs12(user_id, key, "ca"))
    settings.CONGSO_REMOTE_SIGNING_URL = remote.base_url
    settings.CONGSO_REMOTE_SIGNING_SP_ID = "congso"
    settings.CONGSO_REMOTE_SIGNING_SP_PASSWORD = "s3cret"
    signing.choose_signing_method(certificate, "remote", remote_user_id=user_id)
    try:
        yield remote
    finally:
        remote.stop()


def sign_on_phone(page, remote, user_id: str, *, screenshot=None) -> None:
    """Press "Ký số" on the document page and confirm in the phone app."""
    page.get_by_role("button", name="Ký số", exact=True).click()
    expect(page.get_by_role("status").last).to_contain_text("điện thoại")
    phone = page.context.new_page()
    phone.goto(f"{remote.base_url}/app/{user_id}")
    if screenshot:
        screenshot(phone, "phone-app")
    phone.get_by_role("button", name="Xác nhận ký").click()
    expect(phone.get_by_text("Không có giao dịch nào.")).to_be_visible()
    phone.close()
