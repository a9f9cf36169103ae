"""The only code that changes units. Every change is audited; retired units are read-only."""

import datetime as dt
import uuid

from django.core.exceptions import ValidationError
from django.db import models, transaction
from django.utils.translation import gettext as _

from congso.core import audit

from . import signals
from .models import Unit

_EDITABLE = [
    "name",
    "short_name",
    "kind",
    "agency_id",
    "admin_code",
    "symbol",
    "address",
    "phone",
    "email",
    "population",
    "adult_population",
    "working_hours",
    "valid_from",
]


def _segment(unit_id: int) -> str:
    return f"{unit_id:06d}"


def _assign_path(unit: Unit) -> None:
    prefix = f"{unit.parent.path}." if unit.parent_id else ""
    unit.path = prefix + _segment(unit.pk)


@transaction.atomic
def create_unit(*, parent: Unit | None = None, **fields) -> Unit:
    if parent is not None and parent.is_retired:
        raise ValidationError(_("Không thể thêm đơn vị vào đơn vị đã giải thể hoặc sáp nhập."))
    unit = Unit(parent=parent, path=f"new-{uuid.uuid4().hex}", **fields)
    unit.full_clean(exclude=["path"])
    unit.save()
    _assign_path(unit)
    unit.save(update_fields=["path"])
    audit.record("org.unit.create", unit, unit_id=unit.pk, data={"parent": parent and parent.pk})
    return unit


@transaction.atomic
def update_unit(unit: Unit, **fields) -> Unit:
    unit = Unit.objects.select_for_update().get(pk=unit.pk)
    if unit.is_retired:
        raise ValidationError(_("Đơn vị đã giải thể hoặc sáp nhập chỉ được xem, không được sửa."))
    changed = {}
    for name, value in fields.items():
        if name not in _EDITABLE:
            raise ValidationError(_("Trường %(name)s không được sửa.") % {"name": name})
        if getattr(unit, name) != value:
            changed[name] = [getattr(unit, name), value]
            setattr(unit, name, value)
    unit.full_clean(exclude=["path"])
    unit.save()
    if changed:
        audit.record("org.unit.update", unit, unit_id=unit.pk, data={"changed": changed})
    return unit


@transaction.atomic
def retire_unit(unit: Unit, *, on: dt.date, successor: Unit | None = None) -> Unit:
    """Merge or abolish: the unit stays, read-only, pointing at its successor. The apps refuse a
    retirement with activity after ``on`` and move their open rows to the successor
    (``signals``)."""
    unit = Unit.objects.select_for_update().get(pk=unit.pk)
    if unit.is_retired:
        raise ValidationError(_("Đơn vị này đã hết hiệu lực."))
    if on < unit.valid_from:
        raise ValidationError(_("Ngày hết hiệu lực phải sau ngày bắt đầu hiệu lực."))
    if successor is not None:
        _check_successor(unit, successor)
    _check_no_living_children(unit, on)
    signals.unit_retiring.send(sender=Unit, unit=unit, successor=successor, on=on)
    unit.valid_until = on
    unit.successor = successor
    unit.save(update_fields=["valid_until", "successor"])
    if successor is not None:
        signals.unit_merged.send(sender=Unit, unit=unit, successor=successor, on=on)
    audit.record(
        "org.unit.retire",
        unit,
        unit_id=unit.pk,
        data={"on": on, "successor": successor and successor.pk},
    )
    return unit


def _check_successor(unit: Unit, successor: Unit) -> None:
    if successor.pk == unit.pk:
        raise ValidationError(_("Đơn vị kế thừa phải là đơn vị khác."))
    if successor.path.startswith(unit.path + "."):
        raise ValidationError(
            _("Đơn vị kế thừa không được là đơn vị trực thuộc của đơn vị bị giải thể, sáp nhập.")
        )
    if successor.valid_until is not None:
        raise ValidationError(_("Đơn vị kế thừa đã hết hiệu lực; hãy chọn đơn vị đang hoạt động."))


def _check_no_living_children(unit: Unit, on: dt.date) -> None:
    """A unit cannot end while units under it go on: they would be left without a parent."""
    living = unit.children.filter(models.Q(valid_until__isnull=True) | models.Q(valid_until__gt=on))
    count = living.count()
    if count:
        raise ValidationError(
            _(
                "Đơn vị còn %(count)s đơn vị trực thuộc còn hiệu lực sau ngày này; hãy giải thể "
                "hoặc sáp nhập các đơn vị đó trước."
            )
            % {"count": count}
        )


def subtree_ids(unit: Unit) -> list[int]:
    return list(Unit.objects.subtree(unit).values_list("id", flat=True))


def communes_of(unit: Unit):
    """Commune-level units under a district or province, whatever the number of tiers."""
    from .models import COMMUNE_LEVEL_KINDS

    return Unit.objects.subtree(unit).filter(kind__in=COMMUNE_LEVEL_KINDS).active()


def by_agency_id(agency_id: str) -> Unit | None:
    return Unit.objects.filter(agency_id=agency_id).first()


# --- Reading units from other apps (they never import ``org.models``) ----------------------


def units():
    """Every unit, as a queryset other apps filter: pickers, serializers, the board's tree."""
    return Unit.objects.all()
