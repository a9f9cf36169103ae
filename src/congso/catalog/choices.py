"""The catalogue's choices, importable without its models: other apps name them through these,
never through ``catalog.models`` (docs/architecture.md, boundaries)."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class OnlineMode(models.TextChoices):
    """Decree 42/2022: information only, partly online (old level 3), fully online (level 4)."""

    INFORMATION = "information", _("Cung cấp thông tin")
    PARTLY_ONLINE = "partly_online", _("Dịch vụ công trực tuyến một phần")
    FULLY_ONLINE = "fully_online", _("Dịch vụ công trực tuyến toàn trình")


class Channel(models.TextChoices):
    """How a dossier is filed (Decree 61/2018, art. 9): at the desk, online or by the public
    postal service; the one-stop dossier records it, the catalogue sets terms per channel."""

    DESK = "desk", _("Trực tiếp")
    ONLINE = "online", _("Trực tuyến")
    POST = "post", _("Dịch vụ bưu chính công ích")


class CopyKind(models.TextChoices):
    """In what form a required document is handed in: original, plain copy, copy certified
    under Decree 23/2015, or an original shown and handed back; the catalogue asks for one, the
    dossier records what came."""

    ORIGINAL = "original", _("Bản chính")
    COPY = "copy", _("Bản sao")
    CERTIFIED_COPY = "certified_copy", _("Bản sao có chứng thực")
    ORIGINAL_OR_COPY = "original_or_copy", _("Bản chính hoặc bản sao")
    PRESENT = "present", _("Xuất trình bản chính")
