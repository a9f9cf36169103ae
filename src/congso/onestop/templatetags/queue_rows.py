"""The rows of the queue table (``queues.html``) drawn in Python, with the HTML the template's
loop drew: 25 rows of seven cells, each a variable, a condition, a filter or a translation — in
the template engine about a fifth of a desk page (issue 16). ``test_queue_rows`` holds the tag
equal to the loop it replaced."""

from urllib.parse import quote

from django import template
from django.urls import reverse
from django.utils.http import RFC3986_SUBDELIMS
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext as _

from congso.catalog.choices import Channel
from congso.core import formatting
from congso.core.formatting import escaped

register = template.Library()

#: The class of a row, by urgency (``rules.Urgency``).
ROW_CLASS = {"overdue": ' class="row--overdue"', "due_today": ' class="row--due-today"'}


class _Table:
    """What every row of one table shares, worked out once: the dossier page's address around the
    code, the channels' labels and the two phrases (a ``reverse`` and three translations a row
    were a sixth of a desk page)."""

    CODE = "CODE"

    def __init__(self):
        self.link = reverse("onestop:dossier", args=[self.CODE]).split(self.CODE)
        self.channels = {value: escaped(str(label)) for value, label in Channel.choices}
        self.filed = _("nộp lúc %(t)s")
        self.pick = _("Chọn hồ sơ %(code)s")

    def address(self, code: str) -> str:
        """``reverse("onestop:dossier", args=[code])``, quoted as it quotes."""
        before, after = self.link
        return f"{before}{quote(code, safe=RFC3986_SUBDELIMS + '/~:@')}{after}"


def _pick(table: _Table, dossier) -> str:
    """The bulk form's check box of one dossier, with the revision its page showed."""
    code = escaped(dossier.code)
    label = table.pick % {"code": code}
    return (
        f'<td><input type="checkbox" name="codes" value="{code}" id="pick-{dossier.pk}" '
        f'aria-label="{label}"><input type="hidden" name="revision-{code}" '
        f'value="{dossier.revision}"></td>'
    )


def _code(table: _Table, dossier) -> str:
    link = table.address(dossier.code)
    channel = table.channels.get(dossier.channel) or escaped(dossier.channel)
    if dossier.channel == "online":
        filed = table.filed % {"t": escaped(formatting.datetime(dossier.filed_at))}
        channel += f" · {filed}"
    return f'<td><a href="{escaped(link)}">{escaped(dossier.code)}</a><br><span class="meta">{channel}</span></td>'


def _progress(row) -> str:
    if row["urgency"]:
        kind = "tag--overdue" if row["urgency"] == "overdue" else "tag--due-today"
        return (
            f'<span class="tag {kind}" data-urgency="{escaped(str(row["urgency"]))}">'
            f"{escaped(row['urgency_label'])}</span>"
        )
    if row["timeliness"]:
        kind, late = ("tag--overdue", "1") if row["late"] else ("tag--ontime", "0")
        return f'<span class="tag {kind}" data-late="{late}">{escaped(row["timeliness"])}</span>'
    return ""


def _row(table: _Table, row, bulk: bool) -> str:
    dossier = row["dossier"]
    cells = [
        _pick(table, dossier) if bulk else "",
        _code(table, dossier),
        f"<td>{escaped(dossier.applicant_name)}</td>",
        f"<td>{escaped(dossier.procedure__name)}</td>",
        f'<td data-state="{escaped(dossier.state)}">{escaped(row["state"])} '
        f'<span class="meta">({escaped(row["national"])})</span><br>'
        f'<span class="meta">{escaped(dossier.current_unit__name)}</span></td>',
        f"<td>{escaped(formatting.datetime(dossier.due_at))}</td>",
        f"<td>{_progress(row)}</td>",
    ]
    return (
        f"\n    <tr{ROW_CLASS.get(row['urgency'] or '', '')}>\n      "
        + "\n      ".join(cells)
        + "\n    </tr>\n  "
    )


@register.simple_tag
def queue_rows(rows, bulk) -> SafeString:
    """The ``<tr>`` of each row of the queue (``views._row``), with a check box each when the
    queue offers a transition to apply to several (``bulk``)."""
    table = _Table()
    return mark_safe("".join(_row(table, row, bool(bulk)) for row in rows))  # noqa: S308 — escaped
