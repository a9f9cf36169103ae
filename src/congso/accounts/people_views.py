"""People administration: officials, their positions and their accounts, within the
administrator's scope. Pages only read; every change is a call into ``services``.

A person outside the administrator's reach answers 404, as if they did not exist.
"""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.db.models import Prefetch, Q
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.cache import never_cache

from congso.core.collation import by_vietnamese
from congso.core.forms import add_service_errors
from congso.core.params import as_id

from . import permissions, services
from .forms import EndPositionForm, OfficialForm, PositionForm
from .models import Position, User

ACTION = services.ACTION


def _posted(request):
    """The submitted form data; an empty POST is still a submission (and gets error messages)."""
    return request.POST if request.method == "POST" else None


def _require_admin(request) -> None:
    if not permissions.may(request.user, ACTION):
        raise PermissionDenied


def _person(request, pk: int) -> User:
    return get_object_or_404(services.visible_people(request.user), pk=pk)


@login_required
def people(request):
    """Officials with a position in the administrator's units; search by name or username."""
    _require_admin(request)
    current = Position.objects.current().select_related("unit").order_by("unit__path")
    people = services.visible_people(request.user).prefetch_related(
        Prefetch("positions", queryset=current, to_attr="current_positions")
    )
    query = request.GET.get("q", "").replace("\x00", "").strip()[:100]
    if query:
        people = people.filter(
            Q(full_name__icontains=query) | Q(username__icontains=query) | Q(email__icontains=query)
        )
    units = permissions.acting_units(request.user, ACTION).order_by("path")
    unit_id = as_id(request.GET.get("unit"))
    if unit_id and units.filter(pk=unit_id).exists():
        people = people.filter(
            pk__in=Position.objects.current().filter(unit_id=unit_id).values("user")
        )
        unit_id = str(unit_id)
    else:
        unit_id = ""
    page = Paginator(people.order_by(by_vietnamese("full_name"), "username"), 25).get_page(
        request.GET.get("page")
    )
    context = {"page": page, "q": query, "units": units, "unit_id": unit_id}
    return render(request, "accounts/people.html", context)


@never_cache
@login_required
def person_create(request):
    """Create an official and their first position; a generated password is shown once."""
    _require_admin(request)
    form = OfficialForm(_posted(request), actor=request.user)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            person, generated = services.create_official(
                actor=request.user,
                username=data["username"],
                full_name=data["full_name"],
                email=data["email"],
                phone=data["phone"],
                password=None if data["generate_password"] else data["password"],
                unit=data["unit"],
                role=data["role"],
                title=data["title"],
                valid_from=data["valid_from"],
            )
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            if generated is None:
                messages.success(request, _("Đã tạo tài khoản %(name)s.") % {"name": person})
                return redirect("accounts:person", pk=person.pk)
            # Rendered in this response only (never stored, never cached): shown once.
            return render(
                request, "accounts/person_created.html", {"person": person, "password": generated}
            )
    return render(request, "accounts/person_form.html", {"form": form})


@login_required
def person(request, pk: int):
    """One official: positions (with end buttons), account state and the actions allowed."""
    _require_admin(request)
    person = _person(request, pk)
    positions = person.positions.select_related("unit").order_by("-valid_until", "unit__path")
    roles = set(services.grantable_roles(request.user))
    scope = set(permissions.acting_units(request.user, ACTION).values_list("pk", flat=True))
    current = set(person.positions.current().values_list("pk", flat=True))
    rows = [
        (
            position,
            position.pk in current,
            person.pk != request.user.pk
            and position.valid_until is None
            and position.role in roles
            and position.unit_id in scope,
        )
        for position in positions
    ]
    context = {
        "person": person,
        "rows": rows,
        "manage_account": services.may_manage_account(request.user, person),
        "position_form": PositionForm(actor=request.user),
        "end_form": EndPositionForm(),
    }
    return render(request, "accounts/person.html", context)


@login_required
def position_add(request, pk: int):
    _require_admin(request)
    person = _person(request, pk)
    form = PositionForm(_posted(request), actor=request.user)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            services.add_position(
                person,
                actor=request.user,
                unit=data["unit"],
                role=data["role"],
                title=data["title"],
                valid_from=data["valid_from"],
            )
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, _("Đã giao chức danh."))
            return redirect("accounts:person", pk=person.pk)
    return render(request, "accounts/position_form.html", {"form": form, "person": person})


@login_required
def position_end(request, pk: int, position_pk: int):
    _require_admin(request)
    person = _person(request, pk)
    position = get_object_or_404(
        Position.objects.select_related("unit"), pk=position_pk, user=person
    )
    form = EndPositionForm(_posted(request))
    if request.method == "POST" and form.is_valid():
        try:
            services.end_position(position, actor=request.user, on=form.cleaned_data["on"])
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, _("Đã kết thúc chức danh."))
            return redirect("accounts:person", pk=person.pk)
    return render(
        request,
        "accounts/position_end.html",
        {"form": form, "person": person, "position": position},
    )


def _account_action(change, done_message: str):
    """A POST-only view running one account-wide ``services`` change on a visible person."""

    @login_required
    def view(request, pk: int):
        _require_admin(request)
        person = _person(request, pk)
        if request.method != "POST":
            return redirect("accounts:person", pk=person.pk)
        try:
            change(person, actor=request.user)
        except ValidationError as error:
            messages.error(request, " ".join(error.messages))
        else:
            messages.success(request, done_message % {"name": person})
        return redirect("accounts:person", pk=person.pk)

    return view


person_deactivate = _account_action(
    services.deactivate, gettext_lazy("Đã vô hiệu hoá tài khoản %(name)s.")
)
person_reactivate = _account_action(
    services.reactivate, gettext_lazy("Đã mở lại tài khoản %(name)s.")
)
person_unlock = _account_action(
    services.reset_lockout, gettext_lazy("Đã mở khoá đăng nhập cho %(name)s.")
)
person_reset_totp = _account_action(
    services.reset_totp,
    gettext_lazy("Đã huỷ xác thực hai lớp của %(name)s; lần đăng nhập sau phải đăng ký lại."),
)
