"""The one-stop desk proves a citizen's personal ID number after checking their identity card:
the only way besides VNeID that a number is bound to an account. Every change is a call into
``services``, which records who checked and when."""

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from congso.core.forms import add_service_errors

from . import permissions, services
from .backends import find_user
from .models import UserKind


class ProveIdForm(forms.Form):
    person = forms.CharField(
        label=gettext_lazy("Tài khoản công dân"),
        max_length=254,
        help_text=gettext_lazy("Tên đăng nhập, số điện thoại hoặc thư điện tử của tài khoản."),
    )
    id_number = forms.CharField(
        label=gettext_lazy("Số định danh cá nhân trên thẻ căn cước đã đối chiếu"), max_length=20
    )

    def clean_person(self):
        person = find_user(self.cleaned_data["person"])
        if person is None or person.kind != UserKind.CITIZEN:
            raise ValidationError(_("Không tìm thấy tài khoản công dân này."))
        return person


@login_required
def prove_id(request):
    if not permissions.may(request.user, services.PROVE_ACTION):
        raise PermissionDenied
    form = ProveIdForm(request.POST if request.method == "POST" else None)
    if form.is_valid():
        try:
            person = services.prove_id_at_desk(
                form.cleaned_data["person"], form.cleaned_data["id_number"], actor=request.user
            )
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(
                request,
                _("Đã xác minh số định danh %(number)s cho tài khoản của %(name)s.")
                % {"number": person.id_number, "name": person.get_full_name()},
            )
            return redirect("accounts:prove_id")
    return render(request, "accounts/prove_id.html", {"form": form})
