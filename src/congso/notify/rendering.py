"""Notification texts: Django templates in Vietnamese, rendered once when the message is queued.

A template key ``account.otp`` has up to three files under ``templates/notify/``:
``account.otp.subject.txt`` and ``account.otp.body.txt`` (e-mail and in-app) and
``account.otp.sms.txt`` (SMS). Which files exist decides which channels the key can use. Texts are
rendered at enqueue time so the worker needs no database objects and a later edit of a template
does not change a message already promised. Autoescaping is off: these are plain texts, not HTML.
"""

import re
from dataclasses import dataclass
from functools import lru_cache

from django.conf import settings
from django.core.exceptions import ValidationError
from django.template import Context, Engine, TemplateDoesNotExist
from django.utils import translation
from django.utils.translation import gettext as _

from .models import Channel

_KEY = re.compile(r"^[a-z0-9_]+(\.[a-z0-9_]+)*$")
SUBJECT_MAX = 255


@lru_cache(maxsize=1)
def engine() -> Engine:
    """A plain-text engine that sees the same template folders as the site (so a province can
    override a text in the project templates) plus the Vietnamese format filters."""
    return Engine(
        dirs=[str(d) for d in settings.TEMPLATES[0].get("DIRS", [])],
        app_dirs=True,
        autoescape=False,
        builtins=["congso.core.templatetags.vn"],
    )


@dataclass(frozen=True)
class Rendered:
    subject: str | None
    body: str | None
    sms: str | None

    def supports(self, channel: str) -> bool:
        if channel == Channel.SMS:
            return bool(self.sms)
        return bool(self.subject) and bool(self.body)


def one_line(text: str, limit: int = SUBJECT_MAX) -> str:
    """A subject fit for a mail header: no line breaks (header injection), squeezed spaces."""
    return " ".join(text.split())[:limit]


def tidy(text: str) -> str:
    """Drop trailing spaces and runs of blank lines that template tags leave behind."""
    lines = [line.rstrip() for line in text.strip().splitlines()]
    out: list[str] = []
    for line in lines:
        if line or (out and out[-1]):
            out.append(line)
    return "\n".join(out)


def absolute_url(url: str) -> str:
    """A site path (``/dossiers/12/``) as a full address a mail reader can open."""
    return f"{settings.PUBLIC_URL}{url}" if url.startswith("/") else url


def _render_part(name: str, context: dict) -> str | None:
    try:
        template = engine().get_template(name)
    except TemplateDoesNotExist:
        return None
    return template.render(Context(context, autoescape=False))


def render(key: str, context: dict | None = None) -> Rendered:
    """Render every text the template key has; ``ValidationError`` if it has none."""
    if not _KEY.match(key or ""):
        raise ValidationError(_("Mã mẫu thông báo không hợp lệ: %(key)s") % {"key": key})
    values = {
        "public_url": settings.PUBLIC_URL,
        "site_name": "Công Sở",
        **(context or {}),
    }
    values.setdefault("link", absolute_url(values.get("url") or ""))
    with translation.override(settings.LANGUAGE_CODE):
        subject = _render_part(f"notify/{key}.subject.txt", values)
        body = _render_part(f"notify/{key}.body.txt", values)
        sms = _render_part(f"notify/{key}.sms.txt", values)
    if subject is None and body is None and sms is None:
        raise ValidationError(_("Không có mẫu thông báo %(key)s.") % {"key": key})
    return Rendered(
        subject=one_line(subject) if subject is not None else None,
        body=tidy(body) if body is not None else None,
        sms=tidy(sms) if sms is not None else None,
    )
