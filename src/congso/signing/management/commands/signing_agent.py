"""Reference signing agent: signs a prepared request with a key on a local PKCS#11 token.

``python -m congso signing_agent --module /usr/lib/.../libtoken.so --token LABEL --key LABEL
--pin PIN prepared.json [--output answer.json]``. It reads ``{"id", "data_to_sign"}`` (base64),
signs with CKM_SHA256_RSA_PKCS on the token and writes ``{"id", "signature"}`` (base64). The key
never leaves the token; the agent needs no database and no network.
"""

import base64
import json
import sys
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError


def sign_with_token(module: str, token_label: str, key_label: str, pin: str, data: bytes) -> bytes:
    import pkcs11
    from pkcs11 import KeyType, Mechanism, ObjectClass

    try:
        library = pkcs11.lib(module)
        token = library.get_token(token_label=token_label)
    except Exception as exc:  # noqa: BLE001 - module missing or no such token
        raise CommandError(f"Không tìm thấy thiết bị ký số “{token_label}”.") from exc
    try:
        with token.open(user_pin=pin) as session:
            key = session.get_key(
                object_class=ObjectClass.PRIVATE_KEY, key_type=KeyType.RSA, label=key_label
            )
            return key.sign(data, mechanism=Mechanism.SHA256_RSA_PKCS)
    except pkcs11.exceptions.PinIncorrect as exc:
        raise CommandError("Mã PIN của thiết bị ký số không đúng.") from exc
    except pkcs11.exceptions.NoSuchKey as exc:
        raise CommandError(f"Không tìm thấy khoá “{key_label}” trên thiết bị.") from exc


class Command(BaseCommand):
    help = (
        "Ký yêu cầu do máy chủ chuẩn bị bằng khoá trên thiết bị PKCS#11 (token) tại máy người ký."
    )
    requires_system_checks = []

    def add_arguments(self, parser):
        parser.add_argument("request", help="Tệp JSON yêu cầu ký do máy chủ tạo.")
        parser.add_argument("--module", required=True, help="Thư viện PKCS#11 của token.")
        parser.add_argument("--token", required=True, help="Nhãn token.")
        parser.add_argument("--key", required=True, help="Nhãn khoá trên token.")
        parser.add_argument("--pin", required=True, help="Mã PIN của token.")
        parser.add_argument("--output", help="Ghi kết quả ra tệp (mặc định: màn hình).")

    def handle(self, *args, **options):
        try:
            request = json.loads(Path(options["request"]).read_text())
            data = base64.b64decode(request["data_to_sign"], validate=True)
        except (OSError, ValueError, KeyError) as exc:
            raise CommandError("Tệp yêu cầu ký không đọc được hoặc sai định dạng.") from exc
        signature = sign_with_token(
            options["module"], options["token"], options["key"], options["pin"], data
        )
        answer = json.dumps(
            {"id": request.get("id"), "signature": base64.b64encode(signature).decode()}
        )
        if options["output"]:
            Path(options["output"]).write_text(answer)
        else:
            sys.stdout.write(answer + "\n")
