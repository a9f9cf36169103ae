"""Administrative units as a tree of any depth, held in data, not in code.

Three tiers (province → district → commune, the seed's 2021 district) and two tiers (province →
commune, since 1 July 2025) are both just trees. Departments and one-stop desks are units inside a
people's committee. A unit that was merged or abolished keeps its row with ``valid_until`` set and
becomes read-only, so old dossiers and documents stay readable.
"""

import datetime as dt

from django.core.validators import RegexValidator
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from .choices import COMMUNE_LEVEL_KINDS as COMMUNE_LEVEL_KINDS
from .choices import LOCALITY_KINDS as LOCALITY_KINDS
from .choices import UnitKind as UnitKind

AGENCY_ID_VALIDATOR = RegexValidator(
    r"^[0-9A-Z]{3}\.[0-9A-Z]{2}\.[0-9A-Z]{2}\.[0-9A-Z]{3}$",
    _("Mã định danh điện tử phải có 13 ký tự dạng 000.00.00.H41."),
)


#: Tier of each locality kind: a locality sits only under a locality of a higher tier, so a
#: commune may hang under a district (three tiers) or straight under a province (two tiers).
LOCALITY_TIER = {
    UnitKind.PROVINCE: 0,
    UnitKind.DISTRICT: 1,
    UnitKind.COMMUNE: 2,
    UnitKind.TOWNSHIP: 2,
    UnitKind.WARD: 2,
}


def allowed_child_kinds(parent_kind: str | None) -> list[str]:
    """Kinds a new unit may have under a unit of ``parent_kind`` (``None``: a root).

    Departments and one-stop desks are offices of a people's committee, so they hang under a
    locality and have no children of their own.
    """
    if parent_kind is None:
        return [UnitKind.PROVINCE]
    if parent_kind not in LOCALITY_TIER:
        return []
    tier = LOCALITY_TIER[parent_kind]
    lower = [kind for kind, level in LOCALITY_TIER.items() if level > tier]
    return [*lower, UnitKind.DEPARTMENT, UnitKind.ONESTOP_DESK]


class UnitQuerySet(models.QuerySet):
    def active(self, on: dt.date | None = None):
        on = on or timezone.localdate()
        return self.filter(valid_from__lte=on).filter(
            models.Q(valid_until__isnull=True) | models.Q(valid_until__gte=on)
        )

    def subtree(self, unit: "Unit"):
        return self.filter(path__startswith=unit.path)

    def localities(self):
        return self.filter(kind__in=LOCALITY_KINDS)


class Unit(models.Model):
    name = models.CharField(_("tên đơn vị"), max_length=200)
    short_name = models.CharField(_("tên viết tắt"), max_length=50, blank=True)
    kind = models.CharField(_("loại đơn vị"), max_length=20, choices=UnitKind.choices)
    parent = models.ForeignKey(
        "self",
        verbose_name=_("đơn vị cấp trên"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="children",
    )
    path = models.CharField(max_length=255, unique=True, editable=False)
    agency_id = models.CharField(
        _("mã định danh điện tử"),
        max_length=13,
        unique=True,
        null=True,
        blank=True,
        validators=[AGENCY_ID_VALIDATOR],
    )
    admin_code = models.CharField(_("mã đơn vị hành chính"), max_length=10, blank=True)
    symbol = models.CharField(
        _("ký hiệu văn bản"),
        max_length=20,
        blank=True,
        help_text=_("Ví dụ UBND, VP, TP dùng trong số, ký hiệu văn bản."),
    )
    valid_from = models.DateField(_("hiệu lực từ"), default=dt.date(2000, 1, 1))
    valid_until = models.DateField(_("hiệu lực đến"), null=True, blank=True)
    successor = models.ForeignKey(
        "self",
        verbose_name=_("đơn vị kế thừa"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="predecessors",
    )
    address = models.CharField(_("địa chỉ"), max_length=255, blank=True)
    phone = models.CharField(_("điện thoại"), max_length=30, blank=True)
    email = models.EmailField(_("thư điện tử"), blank=True)
    population = models.PositiveIntegerField(_("dân số"), null=True, blank=True)
    adult_population = models.PositiveIntegerField(_("dân số từ 15 tuổi"), null=True, blank=True)
    working_hours = models.JSONField(
        _("giờ làm việc"),
        default=list,
        blank=True,
        help_text=_(
            'Danh sách khoảng giờ, ví dụ [["07:00","11:30"],["13:30","17:00"]]; '
            "để trống dùng giờ mặc định."
        ),
    )

    objects = UnitQuerySet.as_manager()

    class Meta:
        ordering = ["path"]
        verbose_name = _("đơn vị")
        verbose_name_plural = _("đơn vị")

    def __str__(self):
        return self.name

    @property
    def depth(self) -> int:
        return self.path.count(".")

    @property
    def is_active(self) -> bool:
        return self.in_force_on(timezone.localdate())

    def in_force_on(self, day) -> bool:
        """In force on ``day`` (a list of units asks with one ``day``, not a clock read each)."""
        return self.valid_from <= day and (self.valid_until is None or self.valid_until >= day)

    @property
    def is_retired(self) -> bool:
        """Merged or abolished (a retirement is recorded): the unit is read-only from then on."""
        return self.valid_until is not None

    @property
    def is_locality(self) -> bool:
        return self.kind in LOCALITY_KINDS

    def locality(self) -> "Unit":
        """The people's committee a department or desk belongs to (itself for a locality)."""
        unit = self
        while not unit.is_locality and unit.parent_id:
            unit = unit.parent
        return unit

    def ancestors(self) -> list["Unit"]:
        chain, unit = [], self.parent
        while unit is not None:
            chain.append(unit)
            unit = unit.parent
        return chain
