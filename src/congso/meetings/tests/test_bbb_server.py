"""``open_room`` calls ``create`` on a real local HTTP server that checks the checksum as
BigBlueButton does and answers its XML."""

import datetime as dt
import hashlib
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import urlsplit

from congso.meetings.video import RoomSpec
from congso.meetings.video.bbb import BigBlueButtonProvider

SECRET = "bbb-shared-secret"


class FakeBBB(BaseHTTPRequestHandler):
    def do_GET(self):
        parts = urlsplit(self.path)
        call = parts.path.rsplit("/", 1)[1]
        query, _sep, digest = parts.query.rpartition("&checksum=")
        good = digest == hashlib.sha1((call + query + SECRET).encode()).hexdigest()
        code = "SUCCESS" if good else "FAILED"
        body = f"<response><returncode>{code}</returncode></response>".encode()
        self.send_response(200)
        self.send_header("Content-Type", "text/xml")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, format, *args):
        return


def test_open_room_against_a_checking_server():
    server = ThreadingHTTPServer(("127.0.0.1", 0), FakeBBB)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    try:
        url = f"http://127.0.0.1:{server.server_address[1]}/bigbluebutton"
        start = dt.datetime(2030, 1, 7, 0, 30, tzinfo=dt.UTC)
        spec = RoomSpec(
            room="congso-1-abc", title="Giao ban", start=start, end=start + dt.timedelta(hours=2)
        )
        assert b"SUCCESS" in BigBlueButtonProvider(url=url, secret=SECRET).open_room(spec)
        assert b"FAILED" in BigBlueButtonProvider(url=url, secret="wrong").open_room(spec)
    finally:
        server.shutdown()
        server.server_close()
