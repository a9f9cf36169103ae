"""The accounts app's choices, importable without its models: other apps name a role through
these, never through ``accounts.models`` (docs/architecture.md, boundaries)."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class Role(models.TextChoices):
    DESK_OFFICER = "desk_officer", _("Cán bộ một cửa")
    SPECIALIST = "specialist", _("Chuyên viên")
    LEADER = "leader", _("Lãnh đạo")
    DEPUTY_LEADER = "deputy_leader", _("Phó lãnh đạo")
    CLERK = "clerk", _("Văn thư")
    UNIT_ADMIN = "unit_admin", _("Quản trị đơn vị")
    SYSTEM_ADMIN = "system_admin", _("Quản trị hệ thống")
