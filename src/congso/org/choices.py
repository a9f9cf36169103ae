"""The kinds of unit, importable without the models: other apps name a kind through these, never
through ``org.models`` (docs/architecture.md, boundaries)."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class UnitKind(models.TextChoices):
    PROVINCE = "province", _("Tỉnh")
    DISTRICT = "district", _("Huyện")
    COMMUNE = "commune", _("Xã")
    TOWNSHIP = "township", _("Thị trấn")
    WARD = "ward", _("Phường")
    DEPARTMENT = "department", _("Phòng, ban chuyên môn")
    ONESTOP_DESK = "onestop_desk", _("Bộ phận Một cửa")


#: Kinds that are administrative levels (a people's committee), as opposed to offices inside one.
LOCALITY_KINDS = {
    UnitKind.PROVINCE,
    UnitKind.DISTRICT,
    UnitKind.COMMUNE,
    UnitKind.TOWNSHIP,
    UnitKind.WARD,
}
COMMUNE_LEVEL_KINDS = {UnitKind.COMMUNE, UnitKind.TOWNSHIP, UnitKind.WARD}
