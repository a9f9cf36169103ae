"""Unit administration for system administrators: the tree, a unit's page, create, edit, retire.

Every change goes through ``org.services``; a retired unit is shown but never offered for editing.
The pages live here, not in ``org``, because deciding who may manage a unit needs the people and
their positions (``accounts``), which sit above the unit tree.
"""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _

from congso.core.collation import by_vietnamese
from congso.core.forms import add_service_errors
from congso.org import services
from congso.org.forms import RetireForm, UnitForm
from congso.org.models import Unit

from .models import Position
from .permissions import acting_units, may

ACTION = "org.manage_units"


def _posted(request):
    """The submitted form data; an empty POST is still a submission (and gets error messages)."""
    return request.POST if request.method == "POST" else None


def _managed_unit(request, pk: int) -> Unit:
    unit = get_object_or_404(Unit.objects.select_related("parent", "successor"), pk=pk)
    if not may(request.user, ACTION, unit):
        raise PermissionDenied
    return unit


def _read_only(request, unit: Unit):
    messages.error(
        request, _("Đơn vị đã giải thể hoặc sáp nhập chỉ được xem, không được thay đổi.")
    )
    return redirect("org:detail", pk=unit.pk)


@login_required
def tree(request):
    """The units the administrator manages, in tree order, indented by depth."""
    if not may(request.user, ACTION):
        raise PermissionDenied
    units = acting_units(request.user, ACTION).order_by("path")
    hide_retired = request.GET.get("active") == "1"
    if hide_retired:
        units = units.filter(valid_until__isnull=True)
    units = list(units)
    top = min((u.depth for u in units), default=0)
    rows = [(unit, unit.depth - top) for unit in units]
    return render(request, "org/tree.html", {"rows": rows, "hide_retired": hide_retired})


@login_required
def detail(request, pk: int):
    unit = _managed_unit(request, pk)
    context = {
        "unit": unit,
        "ancestors": list(reversed(unit.ancestors())),
        "children": unit.children.order_by("path"),
        "predecessors": unit.predecessors.order_by(by_vietnamese("name")),
        "officials": Position.objects.filter(unit=unit).current().count(),
        "editable": not unit.is_retired,
    }
    return render(request, "org/unit_detail.html", context)


@login_required
def create_child(request, pk: int):
    parent = _managed_unit(request, pk)
    if parent.is_retired:
        return _read_only(request, parent)
    form = UnitForm(_posted(request), parent=parent, instance=Unit(parent=parent))
    if request.method == "POST" and form.is_valid():
        try:
            unit = services.create_unit(parent=parent, **form.changes())
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, _("Đã thêm đơn vị %(name)s.") % {"name": unit.name})
            return redirect("org:detail", pk=unit.pk)
    return render(request, "org/unit_form.html", {"form": form, "parent": parent, "unit": None})


@login_required
def edit(request, pk: int):
    unit = _managed_unit(request, pk)
    if unit.is_retired:
        return _read_only(request, unit)
    form = UnitForm(_posted(request), parent=unit.parent, instance=unit)
    if request.method == "POST" and form.is_valid():
        try:
            services.update_unit(unit, **form.changes())
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, _("Đã lưu thông tin đơn vị."))
            return redirect("org:detail", pk=unit.pk)
    return render(
        request, "org/unit_form.html", {"form": form, "parent": unit.parent, "unit": unit}
    )


@login_required
def retire(request, pk: int):
    """Merge into a successor or abolish: the unit stays, read-only, from the given date."""
    unit = _managed_unit(request, pk)
    if unit.is_retired:
        return _read_only(request, unit)
    successors = (
        acting_units(request.user, ACTION)
        .filter(valid_until__isnull=True)
        .exclude(path__startswith=unit.path)
        .order_by("path")
    )
    form = RetireForm(_posted(request), unit=unit, successors=successors)
    if request.method == "POST" and form.is_valid():
        try:
            services.retire_unit(
                unit, on=form.cleaned_data["on"], successor=form.cleaned_data["successor"]
            )
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(
                request, _("Đã ghi nhận đơn vị %(name)s hết hiệu lực.") % {"name": unit.name}
            )
            return redirect("org:detail", pk=unit.pk)
    return render(request, "org/unit_retire.html", {"form": form, "unit": unit})
