"""Demo history: a year of the district's one-stop work, so queues and reports look alive.

About 3,000 dossiers filed over the last 365 days at the district's desk and every commune,
ending now — mostly returned early or on time, some late, some still open (within time or
overdue), some waiting for a supplement, refused or withdrawn, some inter-connected through the
district's departments. Idempotent: nothing is added when dossiers filed before today exist.
"""

import datetime as dt

from django.db import transaction
from django.utils import timezone

from congso.demo import history
from congso.demo import signing as signing_demo
from congso.onestop import result_templates, results
from congso.onestop.examples import declaration
from congso.onestop.lifecycle import State
from congso.onestop.models import Dossier, Result
from congso.onestop.printing import lead_unit
from congso.org.models import COMMUNE_LEVEL_KINDS, UnitKind

DEMO_DOSSIERS = 3000
DEMO_SEED = 2026
DEMO_CITIZENS = ("congdan.an", "congdan.binh")
#: Finished dossiers per procedure whose result is issued for real (template, register, signature).
DEMO_RESULTS = 1


def has_history() -> bool:
    today = timezone.localtime().replace(hour=0, minute=0, second=0, microsecond=0)
    return Dossier.objects.filter(filed_at__lt=today).exists()


def load(loaded: dict) -> None:
    if has_history():
        return
    kinds = {UnitKind.DISTRICT, *COMMUNE_LEVEL_KINDS}
    localities = [u for u in loaded.get("units", {}).values() if u.kind in kinds] or None
    people = loaded.get("people", {})
    end = timezone.now()
    loaded["onestop_history"] = history.generate(
        DEMO_DOSSIERS,
        start=end - dt.timedelta(days=365),
        end=end,
        localities=localities,
        seed=DEMO_SEED,
        documents=True,
        applicants=[people[name] for name in DEMO_CITIZENS if name in people],
    )
    issue_results(loaded)


def issue_results(loaded: dict, per_procedure: int = DEMO_RESULTS) -> list[Result]:
    """Real results for the latest finished dossiers of each procedure that has a template: the
    example declaration (``examples``), the draft, the register number and the signatures, as
    the leader's approval makes them — the demo citizens' own dossiers first."""
    citizens = [loaded.get("people", {}).get(name) for name in DEMO_CITIZENS]
    issued = []
    for code in result_templates.BY_PROCEDURE:
        finished = (
            Dossier.objects.filter(
                procedure__code=code,
                state__in=[State.PROCESSED, State.RETURNED],
                result__isnull=True,
            )
            .select_related("procedure", "version", "receiving_unit")
            .order_by("-finished_at")
        )
        mine = finished.filter(applicant__in=[c for c in citizens if c is not None])
        for dossier in [*mine[:per_procedure], *finished[:per_procedure]][:per_procedure]:
            issued.append(_issue(dossier))
    return issued


def _issue(dossier: Dossier) -> Result:
    approval = dossier.events.filter(transition="approve").select_related("actor").last()
    leader = approval.actor if approval else None
    if leader is None and dossier.version.result_signed_by_leader:
        leader = results.expected_signer(dossier, lead_unit(dossier))
    with transaction.atomic():
        if not dossier.form_data:
            dossier.form_data = declaration(dossier.procedure.code)
            dossier.save(update_fields=["form_data"])
        results.create_draft(dossier, None, when=dossier.finished_at)
        result = results.issue(dossier, leader, when=dossier.finished_at)
        if result.awaiting_signer_id:  # the leader confirmed on the demo CA's phone back then
            result = _signed_on_phone(result, leader)
        return result


def _signed_on_phone(result: Result, leader) -> Result:
    """The leader's own signature through the demo CA's remote service (his key is the CA's, as
    with every demo official), then the seal: what the approval made in the demo's past."""
    from congso.signing import services as signing

    certificate = signing.personal_certificate(leader)
    if certificate is None:
        return result
    with result.file.open("rb") as handle:
        personal = signing_demo.sign_on_phone(
            handle.read(), certificate=certificate, user=leader, reason=str(results.LEADER_REASON)
        )
    return results.signed_by_leader(result, leader, personal)
