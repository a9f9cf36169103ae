"""Recalling an issued document and a recipient's agreement to it."""

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

from ..models import Document
from .sending import _external_package
from .status import _status


def _recall(document: Document, user, **options):
    """Ask every recipient to delete the document (status 13); platform units see the request
    on their copy and agree (14)."""
    for recipient in document.recipients.all():
        _status(recipient, "13", staff_name=str(user))
        if recipient.delivered_id:
            Document.objects.filter(pk=recipient.delivered_id).update(recall_requested=True)
        elif recipient.agency_id:
            _external_package(document, recipient, business_type=1)
    return {"recipients": document.recipients.count()}


def _agree_recall(document: Document, user, **options):
    if not document.recall_requested:
        raise ValidationError(_("Bên gửi chưa đề nghị thu hồi văn bản này."), code="no_recall")
    return {}
