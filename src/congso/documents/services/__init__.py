"""The only code that changes documents. Every change: one transaction, the revision checked, the
lifecycle gate passed, an audit record written.

Outgoing: draft (upload or composed) → review → the signer's personal PAdES signature → the clerk
issues: number and notation from a gap-free counter, the organisation's seal signature on a new
file (the personal-signed file stays as it is), then dispatch: platform units receive the document
at once in their incoming register; external organs get an edXML package and an e-mail.
Incoming: registered with a gap-free arrival number and acknowledged (status 03) the same day →
presented → assigned with a due date in working days → handled → done; each step is reported to the
sending platform unit as a status message.

One module per aggregate: ``access`` (who sees and acts for which organ), ``versions`` (a
document's files and search text), ``drafting``, ``gate`` (every transition: review, approval,
assignment, handling — ``advance``/``transition``), ``outcomes`` (what a step says and whom it
tells), ``signature`` (the personal signature), ``issue`` (number and seal), ``recall``,
``handling`` (assignment and attachments), ``sending`` (dispatch to platform units and the exchange
hand-off), ``status`` (edXML status messages), ``registration`` (incoming), ``work_files`` and
``reorganisation``. The names below are the app's service API: callers use
``from congso.documents import services`` and ``services.<name>``.
"""

from .access import organs_for, refuse_secret, registered_file, viewable_organs, visible_documents
from .drafting import Draft, ExternalRecipient, add_comment, add_version, create_outgoing
from .gate import HANDLERS, STATUS_FOR_TRANSITION, Conflict, advance, transition
from .handling import attach
from .issue import header_at_issue
from .outcomes import DONE, outcome, tell_holders
from .registration import (
    Arrival,
    import_package,
    register_email,
    register_incoming,
    register_upload,
)
from .reorganisation import (
    OPEN_INCOMING,
    OPEN_OUTGOING,
    move_to_successor,
    refuse_retirement_with_later_activity,
)
from .sending import dispatch
from .signature import finish_signing, signing_purpose, start_signing
from .status import STATUS_MAX_BYTES, document_id, import_status, receive_status, report_status
from .versions import VERSION_TYPES, store_text
from .work_files import create_work_file, file_document

__all__ = [
    "Arrival",
    "Conflict",
    "DONE",
    "Draft",
    "ExternalRecipient",
    "HANDLERS",
    "OPEN_INCOMING",
    "OPEN_OUTGOING",
    "STATUS_FOR_TRANSITION",
    "STATUS_MAX_BYTES",
    "VERSION_TYPES",
    "add_comment",
    "add_version",
    "advance",
    "attach",
    "create_outgoing",
    "create_work_file",
    "dispatch",
    "document_id",
    "file_document",
    "finish_signing",
    "header_at_issue",
    "import_package",
    "import_status",
    "move_to_successor",
    "organs_for",
    "outcome",
    "receive_status",
    "refuse_retirement_with_later_activity",
    "refuse_secret",
    "register_email",
    "register_incoming",
    "register_upload",
    "registered_file",
    "report_status",
    "signing_purpose",
    "start_signing",
    "store_text",
    "tell_holders",
    "transition",
    "viewable_organs",
    "visible_documents",
]
