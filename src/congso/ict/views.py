"""ICT pages for unit administrators and district IT: the summary per unit and year (page and
Excel) and each unit's page, where equipment, IPv6 checks, links, IT staff, training and
investment are recorded. Invalid input comes back at the field; nothing is saved."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Q
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _

from congso.accounts.permissions import may
from congso.core.downloads import XLSX, download
from congso.core.forms import add_service_errors
from congso.org.choices import LOCALITY_KINDS

from . import reports, services
from .forms import FORMS
from .models import Equipment, Investment, ItStaff, NetworkLink, Training

SAVERS = {
    "equipment": services.save_equipment,
    "ipv6": services.record_ipv6_check,
    "link": services.add_link,
    "staff": services.add_it_staff,
    "training": services.record_training,
    "investment": services.record_investment,
}


def _official(request) -> None:
    if not may(request.user, services.VIEW):
        raise PermissionDenied(_("Trang này dành cho quản trị đơn vị và cán bộ CNTT."))


def _year(request) -> int:
    today = timezone.localdate().year
    try:
        year = int(request.GET.get("nam", today))
    except ValueError:
        return today
    return year if 2000 <= year <= today + 5 else today


def _listed_units(user):
    """Localities in reach, plus any office that has ICT records of its own."""
    units = services.units_for(user, services.VIEW)
    return units.filter(Q(kind__in=LOCALITY_KINDS) | Q(ict__isnull=False)).order_by("path")


@login_required
def summary(request):
    _official(request)
    year = _year(request)
    rows = reports.summary(_listed_units(request.user), year)
    if request.GET.get("dinh-dang") == "xlsx":
        return download(reports.summary_xlsx(rows, year), XLSX, f"ha-tang-cntt-{year}.xlsx")
    totals = {
        "computers": sum(r.computers for r in rows),
        "ready": sum(r.ipv6_ready for r in rows),
        "planned": sum(r.planned for r in rows),
        "spent": sum(r.spent for r in rows),
    }
    context = {"rows": rows, "year": year, "totals": totals}
    return render(request, "ict/summary.html", context)


def _forms(request, unit, posted: str | None):
    equipment = Equipment.objects.filter(unit=unit).first()
    initial = {
        "equipment": {
            "computers": getattr(equipment, "computers", 0),
            "computers_for_officials": getattr(equipment, "computers_for_officials", 0),
            "dual_stack": getattr(equipment, "dual_stack", "none"),
            "ipv6_address_plan": getattr(equipment, "ipv6_address_plan", ""),
        },
        "ipv6": {"checked_on": timezone.localdate()},
        "investment": {"year": timezone.localdate().year},
    }
    return equipment, {
        name: cls(
            request.POST if name == posted else None,
            prefix=name,
            initial=initial.get(name),
        )
        for name, cls in FORMS.items()
    }


@login_required
def unit_page(request, unit_pk: int):
    _official(request)
    unit = services.units_for(request.user, services.VIEW).filter(pk=unit_pk).first()
    if unit is None:
        raise Http404(_("Không tìm thấy đơn vị."))
    posted = request.POST.get("form") if request.method == "POST" else None
    if posted is not None and posted not in FORMS:
        posted = None
    equipment, forms = _forms(request, unit, posted)
    status = 200
    if posted:
        form = forms[posted]
        if form.is_valid():
            try:
                SAVERS[posted](actor=request.user, unit=unit, **form.cleaned_data)
            except (ValidationError, PermissionDenied) as refused:
                add_service_errors(form, refused)
            else:
                messages.success(request, _("Đã lưu."))
                return redirect("ict:unit", unit.pk)
        status = 400
    context = {
        "unit": unit,
        "equipment": equipment,
        "forms": forms,
        "may_manage": may(request.user, services.MANAGE, unit),
        "links": NetworkLink.objects.filter(unit=unit),
        "staff": ItStaff.objects.filter(unit=unit),
        "trainings": Training.objects.filter(unit=unit),
        "investments": Investment.objects.filter(unit=unit),
    }
    return render(request, "ict/unit.html", context, status=status)
