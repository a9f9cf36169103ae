"""The catalogue's choices, importable without its models: other apps name them through these,
never through ``catalog.models`` (docs/architecture.md, boundaries)."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class OnlineMode(models.TextChoices):
    """Decree 42/2022: information only, partly online (old level 3), fully online (level 4)."""

    INFORMATION = "information", _("Cung cấp thông tin")
    PARTLY_ONLINE = "partly_online", _("Dịch vụ công trực tuyến một phần")
    FULLY_ONLINE = "fully_online", _("Dịch vụ công trực tuyến toàn trình")
