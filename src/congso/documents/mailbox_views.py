"""The official mailbox pages: the clerk's incoming mails (register, set aside, the ``.eml``)
and the administrator's mailbox settings with "test the connection"."""

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from congso.accounts import permissions
from congso.core.downloads import stored
from congso.org import services as org

from . import mailbox
from .models import DocumentType, Mailbox


class MailboxForm(forms.ModelForm):
    password = forms.CharField(
        label=gettext_lazy("Mật khẩu ứng dụng"),
        required=False,
        widget=forms.PasswordInput(render_value=False),
        help_text=gettext_lazy("Để trống để giữ mật khẩu đã lưu."),
    )

    class Meta:
        model = Mailbox
        fields = ["address", "host", "port", "security", "auth", "username", "folder", "active"]


@login_required
def mail_list(request):
    """Mails sent to the document addresses of the organs where the user registers documents."""
    waiting = mailbox.waiting(request.user)
    if not permissions.organs_for(request.user, mailbox.REGISTER).exists():
        raise PermissionDenied
    return render(
        request,
        "documents/mail_list.html",
        {"mails": waiting[:200], "doc_types": DocumentType.choices},
    )


@login_required
@require_POST
def mail_register(request, pk: int):
    try:
        document = mailbox.register(request.user, pk, doc_type=request.POST.get("doc_type", "CV"))
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
        return redirect("documents:mail")
    messages.success(
        request, _("Đã vào sổ văn bản đến, số đến %(n)s.") % {"n": document.arrival_number}
    )
    return redirect("documents:detail", document.pk)


@login_required
@require_POST
def mail_dismiss(request, pk: int):
    try:
        mailbox.dismiss(request.user, pk)
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    else:
        messages.success(request, _("Đã để riêng thư, không vào sổ."))
    return redirect("documents:mail")


@login_required
def mail_eml(request, pk: int):
    message = mailbox.evidence(request.user, pk)
    return stored(message.eml, f"thu-{message.pk}.eml")


@login_required
def mailbox_settings(request, unit: int):
    """The organ's mailbox: save the settings, or save and test the connection."""
    organ = get_object_or_404(org.units(), pk=unit)
    if not permissions.may(request.user, mailbox.MANAGE, organ):
        raise PermissionDenied
    current = mailbox.mailbox_of(organ)
    form = MailboxForm(request.POST or None, instance=current)
    if request.method == "POST" and form.is_valid():
        fields = {name: form.cleaned_data[name] for name in MailboxForm.Meta.fields}
        try:
            saved = mailbox.save(request.user, organ, fields, form.cleaned_data["password"])
            if "test" in request.POST:
                count = mailbox.test_connection(request.user, saved)
                messages.success(
                    request,
                    _("Kết nối được hộp thư: thư mục %(f)s có %(n)s thư.")
                    % {"f": saved.folder, "n": count},
                )
            else:
                messages.success(request, _("Đã lưu hộp thư công vụ."))
        except ValidationError as exc:
            form.add_error(None, exc)
        else:
            return redirect("documents:mailbox", organ.pk)
    return render(
        request,
        "documents/mailbox.html",
        {"form": form, "organ": organ, "mailbox": mailbox.mailbox_of(organ)},
    )
