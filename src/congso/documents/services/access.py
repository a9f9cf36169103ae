"""Who sees a document and who acts for which organ; secret documents refused."""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Q
from django.utils.translation import gettext as _

from congso.accounts import permissions
from congso.org import services as org
from congso.org.choices import LOCALITY_KINDS

from .. import lifecycle
from ..models import Document, Secrecy

if TYPE_CHECKING:
    from congso.org.models import Unit


def visible_documents(user):
    """Documents of the organs where ``user`` may view documents (their own commune only)."""
    if user is not None and user.is_authenticated and user.is_superuser:
        return Document.objects.all()
    scope = permissions.acting_units(user, lifecycle.VIEW)
    offices = scope.exclude(kind__in=LOCALITY_KINDS).values("parent_id")
    return Document.objects.filter(Q(unit__in=scope) | Q(unit__in=offices))


def registered_file(user, notation: str) -> tuple[str, str, bytes] | None:
    """``(subject, file name, content)`` of the newest file of the document numbered
    ``notation`` (``12/QĐ-UBND``) that ``user`` may see — an issued document's seal-signed PDF,
    an incoming one as received. How another area (a meeting's documents) attaches a registered
    document without reading this app's tables; None when there is no such document."""
    notation = (notation or "").strip()
    if not notation:
        return None
    document = (
        visible_documents(user)
        .filter(Q(notation=notation) | Q(notation=notation.upper()))  # notations are upper case
        .order_by("-issued_on", "-received_at", "-pk")
        .first()
    )
    version = document.current_version() if document else None
    if version is None:
        return None
    return document.subject, version.name, version.read()


def viewable_organs(user):
    """Organs (localities) whose documents ``user`` reads: oversight reaches the subtree — each
    locality in the user's scope and the locality above each other unit in it, worked out from
    the units within reach (``permissions.acting_reach``: no query but the organs' own)."""
    scope = permissions.acting_reach(user, lifecycle.VIEW)
    ids = {u.pk if u.kind in LOCALITY_KINDS else u.parent_id for u in scope} - {None}
    return org.units().filter(pk__in=ids).order_by("path")


def organs_for(user, permission: str):
    """Organs ``user`` acts for in ``permission`` (drafts, registers in their name): their own
    people's committee only, never a locality below."""
    return permissions.organs_for(user, permission).order_by("path")


def _require(user, permission: str, organ: Unit) -> None:
    if not permissions.acts_for(user, permission, organ):
        raise PermissionDenied(
            _("Bạn không có quyền thực hiện thao tác này tại %(organ)s.") % {"organ": organ}
        )


def refuse_secret(secrecy: str) -> None:
    """Secret documents stay on paper (Law on State Secrets Protection 2018; Decree 30 art. 1)."""
    if secrecy and secrecy != Secrecy.NORMAL:
        raise ValidationError(
            {
                "secrecy": _(
                    "Văn bản có độ mật (%(level)s) không được xử lý trên hệ thống; hãy xử lý "
                    "bằng bản giấy theo quy định bảo vệ bí mật nhà nước."
                )
                % {"level": Secrecy(secrecy).label}
            },
            code="secret",
        )
