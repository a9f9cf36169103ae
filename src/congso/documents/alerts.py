"""Due-soon (due today or on the next working day) and overdue alerts for incoming documents
being handled; one message per document, recipient and day (deduplicated)."""

from django.utils import timezone
from django.utils.translation import gettext as _

from .lifecycle import IncomingState
from .models import Direction, Document

OPEN = (IncomingState.ASSIGNED, IncomingState.HANDLING)


def send_due_alerts(today=None) -> int:
    from congso.notify.services import notify
    from congso.worktime.deadlines import next_working_day
    from congso.worktime.services import calendar_for

    today = today or timezone.localdate()
    sent = 0
    documents = Document.objects.filter(
        direction=Direction.INCOMING, state__in=OPEN, due_on__isnull=False
    ).select_related("unit", "lead_user")
    for document in documents:
        soon = next_working_day(calendar_for(document.unit), today)
        if document.due_on > soon or document.lead_user is None:
            continue
        overdue = document.due_on < today
        notify(
            document.lead_user,
            "generic",
            {
                "subject": _("Văn bản quá hạn xử lý") if overdue else _("Văn bản sắp đến hạn"),
                "body": _("Văn bản “%(subject)s” có hạn xử lý %(due)s.")
                % {"subject": document.subject, "due": document.due_on.strftime("%d/%m/%Y")},
                "url": f"/documents/{document.pk}/",
            },
            dedup_key=f"documents.due:{document.pk}:{document.lead_user_id}:{today}",
        )
        sent += 1
    return sent
