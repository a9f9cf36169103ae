"""The public verification page: upload a signed PDF, read a report per signature."""

from django.core.exceptions import ValidationError
from django.shortcuts import render
from django.views.decorators.http import require_http_methods

from . import services
from .forms import VerifyForm


@require_http_methods(["GET", "POST"])
def verify(request):
    form = VerifyForm(request.POST or None, request.FILES or None)
    result = None
    if request.method == "POST" and form.is_valid():
        try:
            result = services.verify_upload(form.cleaned_data["file"])
        except ValidationError as exc:
            form.add_error("file", exc)
    status = 400 if request.method == "POST" and form.errors else 200
    return render(request, "signing/verify.html", {"form": form, "result": result}, status=status)
