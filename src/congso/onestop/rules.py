"""Pure rules of the one-stop shop: dossier codes and timeliness classes (regulations §3, §5)."""

import datetime as dt

from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class Timeliness(models.TextChoices):
    EARLY = "early", _("Trước hạn")
    ON_TIME = "on_time", _("Đúng hạn")
    LATE = "late", _("Quá hạn")


class Urgency(models.TextChoices):
    """How a queue marks an open dossier: overdue, due today, or nothing to mark."""

    OVERDUE = "overdue", _("Quá hạn")
    DUE_TODAY = "due_today", _("Đến hạn hôm nay")


class OpenTimeliness(models.TextChoices):
    WITHIN_TIME = "within_time", _("Còn hạn")
    OVERDUE = "overdue", _("Quá hạn")


#: Bounds of what an applicant states for per-copy and per-page fees (copies of the result,
#: pages of each copy): beyond them the figure is a typing slip or an attempt to game the fee.
MAX_COPIES = 99
MAX_PAGES = 9999


def dossier_code(agency_id: str, day: dt.date, sequence: int) -> str:
    """``<agency electronic ID>-YYMMDD-NNNN``: the sequence restarts every day for each unit."""
    if not 1 <= sequence <= 9999:
        raise ValueError("a unit receives at most 9,999 dossiers a day")
    return f"{agency_id}-{day:%y%m%d}-{sequence:04d}"


def search_text(
    *, code: str, folded_name: str, id_number: str, phone: str, folded_procedure: str
) -> str:
    """What a dossier is found by (code, applicant, ID, phone, procedure), already folded so a
    diacritic-free query matches. Callers fold the names: bulk generation caches the folding."""
    return " ".join([code.lower(), folded_name, id_number, phone, folded_procedure])


def code_counter_key(agency_id: str, day: dt.date) -> str:
    return f"dossier:{agency_id}:{day:%Y%m%d}"


def _local_date(instant: dt.datetime) -> dt.date:
    return timezone.localtime(instant).date() if timezone.is_aware(instant) else instant.date()


def classify_finished(finished_at: dt.datetime, due_at: dt.datetime) -> Timeliness:
    """Early if finished before the due date, on time on the due date, late after it (by date)."""
    finished, due = _local_date(finished_at), _local_date(due_at)
    if finished < due:
        return Timeliness.EARLY
    if finished == due:
        return Timeliness.ON_TIME
    return Timeliness.LATE


def classify_open(due_at: dt.datetime, period_end: dt.datetime) -> OpenTimeliness:
    """A dossier still open at the end of a period is within time while its due date has not passed."""
    return OpenTimeliness.WITHIN_TIME if due_at >= period_end else OpenTimeliness.OVERDUE


def urgency(due_at: dt.datetime | None, now: dt.datetime) -> Urgency | None:
    """Overdue once the appointment has passed, due today on its local day (Decree 61/2018/NĐ-CP
    on the one-stop mechanism: the desk follows each dossier to its appointment and apologises
    for a late one); ``None`` otherwise or without a due date."""
    if due_at is None:
        return None
    if due_at < now:
        return Urgency.OVERDUE
    if _local_date(due_at) == _local_date(now):
        return Urgency.DUE_TODAY
    return None
