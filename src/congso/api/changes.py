"""``?changed_since=`` on the list APIs: only the rows changed at or after a moment.

A change is what the audit log records (every state change is written there with the object's
type and ID), so no model needs an "updated at" column and a partner polling the list sees
exactly the changes the event feed (``api.webhooks``) announces.
"""

from django.utils import timezone
from django.utils.dateparse import parse_datetime
from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import OpenApiParameter
from rest_framework.exceptions import ValidationError

from congso.core.models import AuditRecord

PARAMETER = OpenApiParameter(
    "changed_since",
    str,
    required=False,
    description=_("Chỉ các bản ghi thay đổi từ thời điểm này (ISO 8601, có múi giờ)."),
)


def changed_since(queryset, params, object_type: str):
    """``queryset`` narrowed to the objects of ``object_type`` changed since
    ``params["changed_since"]`` (a 400 in the one error format if it is not a date-time)."""
    raw = (params.get("changed_since") or "").strip()
    if not raw:
        return queryset
    try:
        moment = parse_datetime(raw.replace(" ", "+"))
    except ValueError:
        moment = None
    if moment is None:
        raise ValidationError(
            {
                "changed_since": [
                    _("Thời điểm không hợp lệ; dùng ISO 8601, ví dụ 2026-12-01T08:00:00+07:00.")
                ]
            }
        )
    if timezone.is_naive(moment):
        moment = timezone.make_aware(moment)
    changed = (
        AuditRecord.objects.filter(object_type=object_type, at__gte=moment)
        .values_list("object_id", flat=True)
        .distinct()
    )
    return queryset.filter(pk__in=[int(pk) for pk in changed if pk.isdigit()])
