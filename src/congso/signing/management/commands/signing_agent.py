"""Reference signing agent: signs a prepared request with a key on a local PKCS#11 token.

``python -m congso signing_agent --serve --port 8011 --allow-origin https://congso.example.vn
--module /usr/lib/.../libtoken.so --token LABEL --key LABEL`` runs the local HTTP service the
browser talks to (protocol in ``congso.signing.agent`` and ``docs/signatures.md``): the official
confirms each request, and types the PIN, in the agent's own page.

``python -m congso signing_agent --module /usr/lib/.../libtoken.so --token LABEL --key LABEL
--pin PIN prepared.json [--output answer.json]`` signs one request file. It reads ``{"id", "data_to_sign"}`` (base64),
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
        parser.add_argument("request", nargs="?", help="Tệp JSON yêu cầu ký do máy chủ tạo.")
        parser.add_argument("--module", required=True, help="Thư viện PKCS#11 của token.")
        parser.add_argument("--token", required=True, help="Nhãn token.")
        parser.add_argument("--key", required=True, help="Nhãn khoá trên token.")
        parser.add_argument("--pin", default="", help="Mã PIN (mặc định: hỏi khi xác nhận).")
        parser.add_argument("--output", help="Ghi kết quả ra tệp (mặc định: màn hình).")
        parser.add_argument("--serve", action="store_true", help="Chạy dịch vụ HTTP cục bộ.")
        parser.add_argument("--port", type=int, default=8011)
        parser.add_argument(
            "--allow-origin", action="append", default=[], help="Địa chỉ Công Sở được gọi."
        )
        parser.add_argument("--certificate-sha256", default="", help="Chỉ ký cho chứng thư này.")
        parser.add_argument("--open-browser", action="store_true", help="Mở trang xác nhận.")

    def handle(self, *args, **options):
        if options["serve"]:
            return self.serve(options)
        if not options["request"] or not options["pin"]:
            raise CommandError("Cần tệp yêu cầu ký và mã PIN (hoặc dùng --serve).")
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

    def serve(self, options) -> None:
        from congso.signing.agent import Agent, serve, token_signer

        if not options["allow_origin"]:
            raise CommandError("Cần ít nhất một --allow-origin (địa chỉ của Công Sở).")
        agent = Agent(
            token_signer(options["module"], options["token"], options["key"]),
            origins=options["allow_origin"],
            certificate_sha256=options["certificate_sha256"],
            pin=options["pin"],
        )

        def announce(url: str) -> None:
            self.stdout.write(f"Yêu cầu ký mới: mở {url} để xác nhận.")
            self.stdout.flush()
            if options["open_browser"]:
                import webbrowser

                webbrowser.open(url)

        agent.on_request = announce
        server = serve(agent, "127.0.0.1", options["port"])
        self.stdout.write(f"Phần mềm ký số đang chạy tại {agent.base_url}")
        self.stdout.flush()
        try:
            server.serve_forever()
        except KeyboardInterrupt:
            pass
        finally:
            server.server_close()
