"""Recipient groups of an outgoing document: all communes, all departments, a saved list.

A district sends most of its letters to every commune or every department: one tick instead of
twenty-three. The group is kept on the document (``Document.recipient_groups``) and expanded when
the document is sent (``expand``), so a commune created or merged between drafting and issue gets
exactly the communes in force on the day of sending.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from congso.org import services as org
from congso.org.choices import COMMUNE_LEVEL_KINDS, LOCALITY_KINDS

from .models import Recipient, RecipientList

if TYPE_CHECKING:
    from congso.org.models import Unit

COMMUNES = "communes"
DEPARTMENTS = "departments"
LIST_PREFIX = "list:"


def members(organ, key: str) -> list[Unit]:
    """The units group ``key`` of ``organ`` stands for today."""
    inside = org.units().active().filter(parent=organ)
    if key == COMMUNES:
        return list(inside.filter(kind__in=COMMUNE_LEVEL_KINDS).order_by("path"))
    if key == DEPARTMENTS:
        return list(inside.exclude(kind__in=LOCALITY_KINDS).order_by("path"))
    if key.startswith(LIST_PREFIX) and key[len(LIST_PREFIX) :].isdigit():
        saved = RecipientList.objects.filter(unit=organ, pk=int(key[len(LIST_PREFIX) :])).first()
        if saved is not None:
            return list(saved.members.active().order_by("path"))
    return []


def groups(organ) -> list[tuple[str, str]]:
    """(key, label with the member count) of every group ``organ`` may send to."""
    offered = []
    for key, label in ((COMMUNES, _("Tất cả xã, thị trấn")), (DEPARTMENTS, _("Tất cả phòng, ban"))):
        count = len(members(organ, key))
        if count:
            offered.append((key, _("%(label)s (%(n)s nơi)") % {"label": label, "n": count}))
    for saved in RecipientList.objects.filter(unit=organ).order_by("name"):
        offered.append((f"{LIST_PREFIX}{saved.pk}", saved.name))
    return offered


def check(organ, keys) -> list[str]:
    """``keys`` when each is a group of ``organ``; otherwise a ``ValidationError``."""
    offered = {key for key, _label in groups(organ)}
    unknown = [k for k in keys if k not in offered]
    if unknown:
        raise ValidationError(
            {"recipient_groups": [_("Nhóm nơi nhận không thuộc cơ quan ban hành.")]}
        )
    return list(dict.fromkeys(keys))


def labels(organ, keys) -> list[str]:
    by_key = dict(groups(organ))
    return [by_key[k] for k in keys if k in by_key]


@transaction.atomic
def save_list(organ, name: str, units) -> RecipientList:
    """Save (or replace) the organ's list ``name`` with ``units``."""
    name = (name or "").strip()[:200]
    if not name or not units:
        raise ValidationError(
            {"save_list_as": [_("Cần tên danh sách và ít nhất một nơi nhận để lưu.")]}
        )
    saved, _created = RecipientList.objects.get_or_create(unit=organ, name=name)
    saved.members.set(units)
    return saved


def expand(document) -> list[Recipient]:
    """At sending: a recipient row for each member of the document's groups not already named."""
    named = set(document.recipients.exclude(unit=None).values_list("unit_id", flat=True))
    added = []
    for key in document.recipient_groups:
        for unit in members(document.unit, key):
            if unit.pk in named or unit.pk == document.unit_id:
                continue
            named.add(unit.pk)
            added.append(
                Recipient.objects.create(
                    document=document,
                    unit=unit,
                    name=unit.name,
                    agency_id=unit.agency_id or "",
                    email=unit.email,
                )
            )
    return added
