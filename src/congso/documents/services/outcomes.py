"""What a step says it did, and the "event → recipients" hook that tells the next holders."""

from django.utils.translation import gettext as _

from congso.core.awaiting import Outcome, names
from congso.notify import work

from .. import awaiting as document_awaiting
from .. import lifecycle
from ..models import Document

#: What each step says it did; ``%(holders)s`` names who holds the document next.
DONE = {
    "submit": _("Đã trình %(holders)s duyệt."),
    "approve": _("Đã duyệt; chuyển %(holders)s ký số."),
    "sign": _("Đã ký số; chuyển %(holders)s cấp số và phát hành."),
    "issue": _("Đã cấp số %(notation)s và phát hành."),
    "return": _("Đã trả lại dự thảo cho %(holders)s sửa."),
    "cancel": _("Đã huỷ dự thảo."),
    "recall": _("Đã thu hồi văn bản."),
    "present": _("Đã trình %(holders)s phân công xử lý."),
    "refuse": _("Đã từ chối nhận văn bản."),
    "assign": _("Đã giao %(holders)s xử lý."),
    "start": _("Đã bắt đầu xử lý; văn bản nằm trong “Việc của tôi” đến khi hoàn thành."),
    "finish": _("Đã hoàn thành xử lý văn bản."),
    "agree_recall": _("Đã đồng ý thu hồi văn bản."),
}


def _said(document: Document, name: str, holders: list) -> str:
    text = DONE.get(name)
    if text is None:
        return _("Đã cập nhật văn bản.")
    if "%(holders)s" in text and not holders:
        return _(
            "Đã thực hiện “%(label)s”. Chưa có cán bộ nào của %(organ)s nhận bước tiếp theo."
        ) % {
            "label": lifecycle.MACHINES[document.machine].labels[name],
            "organ": document.unit,
        }
    return text % {"holders": names(holders), "notation": document.notation}


def tell_holders(document: Document, *, actor=None) -> list:
    """The step's "event → recipients" hook: notify whoever ``document`` now waits for (the
    official who took the step excepted), in the step's transaction. Returns the holders."""
    holders = document_awaiting.holders(document)
    others = [holder for holder in holders if actor is None or holder.user.pk != actor.pk]
    work.tell_holders(
        others, document_awaiting.item(document), stamp=f"{document.state}:{document.revision}"
    )
    return holders


def outcome(document: Document, name: str) -> Outcome:
    """What step ``name`` just did to ``document`` and who holds it now, for a step taken in
    two requests (a signature confirmed on the phone)."""
    holders = document_awaiting.holders(document)
    return Outcome(_said(document, name, holders), tuple(holders), document)
