"""The units' video endpoints (điểm cầu), their connection tests and coverage."""

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from congso.core import audit

from ..models import ConnectionResult, Endpoint
from .access import _require


@transaction.atomic
def save_endpoint(
    *, actor, unit, room, equipment="", contact_person=None, contact_phone=""
) -> Endpoint:
    _require(
        actor, "meetings.endpoint", unit, _("Bạn không có quyền khai báo điểm cầu của đơn vị này.")
    )
    if not (room or "").strip():
        raise ValidationError({"room": [_("Hãy nhập tên phòng họp của điểm cầu.")]})
    endpoint, created = Endpoint.objects.update_or_create(
        unit=unit,
        defaults={
            "room": room.strip(),
            "equipment": equipment,
            "contact_person": contact_person,
            "contact_phone": contact_phone,
        },
    )
    audit.record(
        "meetings.endpoint.create" if created else "meetings.endpoint.update",
        endpoint,
        unit_id=unit.pk,
    )
    return endpoint


@transaction.atomic
def record_connection_test(endpoint: Endpoint, *, actor, ok: bool, note: str = "") -> Endpoint:
    """Keep the date and result of the endpoint's latest connection test."""
    endpoint = Endpoint.objects.select_for_update().get(pk=endpoint.pk)
    _require(
        actor, "meetings.endpoint", endpoint.unit, _("Bạn không có quyền kiểm tra điểm cầu này.")
    )
    if not ok and not note.strip():
        raise ValidationError({"note": [_("Hãy ghi lỗi gặp phải khi kiểm tra không đạt.")]})
    endpoint.last_tested_at = timezone.now()
    endpoint.last_test_result = ConnectionResult.OK if ok else ConnectionResult.FAILED
    endpoint.last_test_note = note.strip()[:300]
    endpoint.save()
    audit.record(
        "meetings.endpoint.test",
        endpoint,
        unit_id=endpoint.unit_id,
        data={"ok": ok, "note": endpoint.last_test_note},
    )
    return endpoint


def endpoint_coverage(units) -> dict:
    """Of ``units``, how many have an endpoint whose last connection test passed."""
    units = list(units)
    endpoints = {e.unit_id: e for e in Endpoint.objects.filter(unit__in=units)}
    rows = [(unit, endpoints.get(unit.pk)) for unit in units]
    working = sum(1 for _u, e in rows if e is not None and e.is_working)
    total = len(rows)
    return {
        "rows": rows,
        "working": working,
        "total": total,
        "percent": round(100 * working / total) if total else 0,
    }


def endpoint_by_token(token: str) -> Endpoint | None:
    return Endpoint.objects.select_related("unit").filter(checkin_token=token).first()
