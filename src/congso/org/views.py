from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.shortcuts import render

from congso.accounts.permissions import can

from .models import Unit


@login_required
def tree(request):
    if not can(request.user, "org.manage_units"):
        raise PermissionDenied
    return render(request, "org/tree.html", {"units": Unit.objects.all()})
