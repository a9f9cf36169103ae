"""The development and demo SMS provider, registered as ``local_sink``."""

import datetime as dt
import json
import os
import uuid
from pathlib import Path

from django.conf import settings
from django.utils.translation import gettext_lazy as _

from ...base import SmsProvider
from ...registry import registry


@registry.register("local_sink")
class LocalSinkProvider(SmsProvider):
    """Development and demo provider: appends each message as one JSON line to
    ``var/sms.jsonl`` so people can read what would have been sent. Each line is written with one
    ``O_APPEND`` write, so concurrent workers do not interleave lines."""

    verbose_name = _("Ghi ra tệp cục bộ (phát triển, trình diễn)")

    def __init__(self, path: Path | None = None):
        self.path = Path(path or Path(settings.VAR_DIR) / "sms.jsonl")

    def send(self, phone: str, text: str, *, reference: str = "") -> str:
        message_id = f"sink-{uuid.uuid4().hex}"
        line = json.dumps(
            {
                "id": message_id,
                "at": dt.datetime.now(dt.UTC).isoformat(timespec="seconds"),
                "to": phone,
                "text": text,
                "reference": reference,
            },
            ensure_ascii=False,
        )
        self.path.parent.mkdir(parents=True, exist_ok=True)
        fd = os.open(self.path, os.O_WRONLY | os.O_APPEND | os.O_CREAT, 0o640)
        try:
            os.write(fd, (line + "\n").encode())
        finally:
            os.close(fd)
        return message_id
