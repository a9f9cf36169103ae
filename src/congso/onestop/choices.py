"""The one-stop choices other apps need (the dossier states are in ``lifecycle``), importable
without the models (docs/architecture.md, boundaries)."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class ResultDelivery(models.TextChoices):
    DESK = "desk", _("Nhận tại Bộ phận Một cửa")
    POST = "post", _("Nhận qua dịch vụ bưu chính công ích")
    ONLINE = "online", _("Nhận trực tuyến")
