"""The desk and back-office pages: work queues, receiving at the desk, the dossier page.

Views read input through forms and change nothing themselves: every change goes through
``services`` (one transaction, audited). Who may see a dossier is ``services.visible_dossiers``;
anything else is a 404, so codes of other localities cannot be probed.
"""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Prefetch
from django.forms.utils import ErrorDict
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.html import format_html
from django.utils.translation import gettext as _
from django.views.decorators.clickjacking import xframe_options_sameorigin
from django.views.decorators.http import require_POST

from congso.accounts import services as accounts
from congso.accounts.permissions import may
from congso.catalog import declaration_form
from congso.catalog import services as catalog
from congso.core.downloads import stored
from congso.core.formatting import money
from congso.core.forms import add_service_errors
from congso.core.pagination import CappedPaginator

from . import queue_counts, queues, result_views, reuse, services
from .forms import (
    FORMS,
    BulkForm,
    CardScanForm,
    ChooseProcedureForm,
    QueueFilterForm,
    ReceiveForm,
    ResultForm,
)
from .lifecycle import NATIONAL_CODE, TRANSITIONS, Actor, State
from .models import Dossier, Event, Result, StepKind, StepState
from .rules import Timeliness, classify_open, urgency

PAGE_SIZE = 25
STALE = _(
    "Hồ sơ vừa được người khác cập nhật; trang đã được tải lại với thông tin mới nhất. "
    "Hãy kiểm tra rồi thao tác lại."
)


def _require(user, action: str) -> None:
    if not may(user, action):
        raise PermissionDenied(_("Bạn không có quyền truy cập chức năng này."))


def _dossier_or_404(user, code: str) -> Dossier:
    """The dossier if ``user`` is an official who may see it; otherwise a 404 (never a hint)."""
    if not may(user, "onestop.view"):
        raise Http404
    dossier = services.the_dossier(
        services.visible_dossier(user, code)
        .select_related(
            "procedure__sector", "version", "receiving_unit", "current_unit", "applicant"
        )
        # one read of the plan, with units and assignees, for the page and every rule it asks
        .prefetch_related(Prefetch("steps", services.plan_steps()))
    )
    if dossier is None:
        raise Http404
    return dossier


def _refusal(exc) -> list[str]:
    return exc.messages if isinstance(exc, ValidationError) else [str(exc)]


# --- Work queues ----------------------------------------------------------------------------


def _current_tab(request, counts: dict) -> str:
    tab = request.GET.get("tab", "")
    if tab == "all" or tab in queues.BY_KEY:
        return tab
    return next((key for key, n in counts.items() if n), queues.QUEUES[0].key)


@login_required
def queue_list(request):
    """The official's work queues as tabs with counts, filters, search and bulk hand-over."""
    user = request.user
    _require(user, "onestop.view")
    now = timezone.now()
    # a form only when a filter is chosen; else its blank fields' HTML, kept (``blank_fields``)
    form = QueueFilterForm(request.GET) if QueueFilterForm.chosen_in(request.GET) else None
    filters = form.filters() if form else {}
    # the queue opened by its tab is counted afresh, the other tabs' clock counts may be kept;
    # a clock queue opened without filters is counted by the page's own query (below), its
    # condition built once
    opened = request.GET.get("tab", "")
    counted_by_page = opened in queues.LIVE and not filters
    counts = queues.counts(user, now=now, fresh="" if counted_by_page else opened)
    tab = _current_tab(request, counts)
    if tab in queues.BY_KEY and not filters:  # a queue as the tab opens it: compiled once
        dossiers = queues.PreparedQueue(user, tab, now, PAGE_SIZE)
    else:
        found = queues.all_visible(user) if tab == "all" else queues.queue(user, tab, now=now)
        dossiers = queues.shown(queues.apply_filters(found, filters))
    paginator = CappedPaginator(dossiers, PAGE_SIZE)
    if counted_by_page:
        counts[tab] = paginator.count  # the same capped count, by the rows' queryset
        queue_counts.keep_live(user, {key: counts[key] for key in queues.LIVE})
    elif tab in counts and not filters and (tab == opened or tab not in queues.LIVE):
        paginator.count = counts[tab]  # the tab's exact count, already read (capped alike)
    page = paginator.get_page(request.GET.get("page"))
    bulk = queues.BY_KEY[tab].bulk if tab in queues.BY_KEY else ()
    labels = _Labels()
    context = {
        "tabs": [(q.key, q.label, counts[q.key]) for q in queues.QUEUES],
        "tab": tab,
        "tab_label": queues.BY_KEY[tab].label if tab in queues.BY_KEY else _("Tất cả hồ sơ"),
        "form": form,
        "blank_filter_fields": None if form else QueueFilterForm.blank_fields(),
        "page": page,
        "rows": [_row(d, now, labels) for d in page.object_list],
        "bulk": [(name, TRANSITIONS[name].label) for name in bulk],
        "can_receive": queues.receives(user),
        "query": request.GET.urlencode(),
    }
    return render(request, "onestop/queues.html", context)


class _Labels(dict):
    """Each choice's label in the request's language, translated once a page: 25 rows of four
    lazy labels, each cast and escaped on its own, were a tenth of a desk page (issue 16). Keyed
    by the choice's class too: ``Urgency.OVERDUE`` and ``OpenTimeliness.OVERDUE`` are equal
    strings with labels of their own."""

    def __call__(self, choice) -> str:
        key = (type(choice), choice)
        if key not in self:
            self[key] = str(choice.label)
        return self[key]


def _row(dossier, now, labels: _Labels) -> dict:
    """A queue table's row: the dossier as ``queues.shown`` reads it, and its labels."""
    running = dossier.state in queues.RUNNING
    level = urgency(dossier.due_at, now) if running else None
    state = State(dossier.state)
    return {
        "dossier": dossier,
        "timeliness": _timeliness_label(dossier, now, labels),
        "late": _is_late(dossier, now),
        "urgency": level,
        "urgency_label": labels(level) if level else "",
        "state": labels(state),
        "national": NATIONAL_CODE[state],
    }


def _is_late(dossier, now) -> bool:
    """Finished late, or still open past the appointment: drawn unlike "Còn hạn" (a dossier, or
    a queue's row)."""
    if dossier.timeliness:
        return dossier.timeliness == Timeliness.LATE
    return bool(dossier.due_at and dossier.state in queues.RUNNING and dossier.due_at < now)


def _timeliness_label(dossier, now, labels: _Labels) -> str:
    if dossier.timeliness:
        return labels(Timeliness(dossier.timeliness))
    if dossier.due_at and dossier.state in queues.RUNNING:
        return labels(classify_open(dossier.due_at, now))
    return ""


@login_required
@require_POST
def bulk(request):
    """Apply one transition to each selected dossier; report each success or refusal."""
    user = request.user
    _require(user, "onestop.view")
    tab = request.POST.get("tab", "")
    allowed = queues.BY_KEY[tab].bulk if tab in queues.BY_KEY else ()
    codes = request.POST.getlist("codes")[:PAGE_SIZE]
    form = BulkForm(
        request.POST,
        transitions=[(name, TRANSITIONS[name].label) for name in allowed],
        codes=codes,
    )
    if not form.is_valid():
        for errors in form.errors.values():
            for error in errors:
                messages.error(request, error)
    else:
        _apply_bulk(request, form.cleaned_data)
    return redirect(f"{reverse('onestop:queues')}?tab={tab}" if tab else "onestop:queues")


def _apply_bulk(request, data: dict) -> None:
    """Each dossier on its own through the one gate (``services.transition``: lifecycle,
    permission, revision), all or nothing for that dossier; then one summary of the lot."""
    name, note = data["transition"], data["note"]
    label = TRANSITIONS[name].label
    visible = services.visible_dossiers(request.user)
    extra = {k: data[k] for k in ("returned_to", "id_checked") if data.get(k)}
    done = 0
    for code in data["codes"]:
        done += _apply_one(request, visible, code, name, label, note=note, **extra)
    summary = _("“%(label)s”: %(done)s/%(total)s hồ sơ đã thực hiện.") % {
        "label": label,
        "done": done,
        "total": len(data["codes"]),
    }
    (messages.success if done == len(data["codes"]) else messages.warning)(request, summary)


def _apply_one(request, visible, code: str, name: str, label, **payload) -> bool:
    dossier = visible.filter(code=code).first()
    if dossier is None:
        messages.error(request, _("%(code)s: không tìm thấy hồ sơ.") % {"code": code})
        return False
    revision = request.POST.get(f"revision-{code}", "")
    try:
        services.transition(
            dossier,
            name,
            actor=request.user,
            revision=int(revision) if revision.isdigit() else None,
            **payload,
        )
    except services.Conflict:
        messages.error(
            request,
            _("%(code)s: hồ sơ vừa được người khác cập nhật, chưa thực hiện.") % {"code": code},
        )
    except (PermissionDenied, ValidationError) as exc:
        messages.error(request, f"{code}: {' '.join(_refusal(exc))}")
    else:
        messages.success(
            request, _("%(code)s: đã thực hiện “%(label)s”.") % {"code": code, "label": label}
        )
        return True
    return False


# --- Receiving at the desk ------------------------------------------------------------------


@login_required
def receive(request):
    """Step one: choose the desk unit and the procedure; step two: the intake form."""
    user = request.user
    _require(user, "onestop.receive")
    units = queues.desk_units(user)
    if not units:
        raise PermissionDenied(_("Bạn không phải cán bộ một cửa của đơn vị nào."))
    source = request.POST if request.method == "POST" else request.GET
    unit = _chosen_unit(units, source.get("unit"))
    offered = list(catalog.procedures_offered_at(unit).order_by("code"))
    choose = ChooseProcedureForm(
        source if source.get("procedure") else None,
        initial={"unit": unit.pk},
        units=units,
        procedures=offered,
    )
    procedure = _chosen_procedure(offered, source.get("procedure"))
    version = _desk_version(procedure)
    if source.get("procedure") and version is None:
        choose.is_valid()
        if not choose.errors:
            choose.add_error(
                "procedure", _("Thủ tục này chưa có phiên bản đang áp dụng cho nộp trực tiếp.")
            )
    if version is None:
        context = {
            "form": choose,
            "units": units,
            "unit": unit,
            "frequent": queues.frequent_procedures(unit),
        }
        return render(request, "onestop/receive_choose.html", context)
    return _intake(request, units, unit, procedure, version)


def _desk_version(procedure):
    """The version in force when it can be filed at the desk, else ``None``."""
    version = procedure.current_version() if procedure else None
    if version is None or not any(t.channel == "desk" for t in version.channels.all()):
        return None
    return version


def _chosen_unit(units, raw):
    return next((u for u in units if str(u.pk) == str(raw)), units[0])


def _chosen_procedure(offered, code):
    return next((p for p in offered if p.code == code), None)


def _read_card(request, initial: dict) -> CardScanForm:
    """The card's QR code (or a bare personal ID) as scanned: on success ``initial`` takes what the
    card says and what the applicant's latest dossier adds (phone, e-mail); nothing otherwise."""
    scan = CardScanForm(request.POST if request.POST.get("action") == "scan" else None)
    if scan.is_bound and scan.is_valid():
        read = scan.cleaned_data["card"]
        known = services.known_applicant(request.user, read["applicant_id_number"])
        initial.update({**known, **read})
    return scan


def _intake(request, units, unit, procedure, version):
    initial = {"unit": unit.pk, "procedure": procedure.code}
    scan = _read_card(request, initial)
    posted = request.method == "POST" and not scan.is_bound  # after a scan the form starts again
    source = request.POST if posted else initial
    id_number = str(source.get("applicant_id_number", "")).strip()
    form = ReceiveForm(
        request.POST if posted else None,
        request.FILES if posted else None,
        initial=initial,
        units=units,
        version=version,
        offers=reuse.offers(request.user, id_number),
        load_offer=lambda key: reuse.load(request.user, id_number, key),
    )
    _place_focus(form, scan)
    wants_fee_only = request.POST.get("action") == "fee"
    if posted and form.is_valid() and not wants_fee_only:
        try:
            dossier = services.receive_at_desk(request.user, form.intake())
        except (ValidationError, PermissionDenied) as exc:
            add_service_errors(form, exc)
        else:
            messages.success(
                request,
                _("Đã tiếp nhận hồ sơ %(code)s. Hẹn trả kết quả: %(due)s. Phí, lệ phí: %(fee)s.")
                % {
                    "code": dossier.code,
                    "due": _due_text(dossier),
                    "fee": money(dossier.fee_amount),
                },
            )
            return redirect("onestop:dossier", code=dossier.code)
    if wants_fee_only:
        form.is_valid()
        form._errors = ErrorDict()  # recomputing the fee is not a submission: no error messages
    context = {
        "form": form,
        "scan": scan,
        "unit": unit,
        "procedure": procedure,
        "version": version,
        "terms": version.channel("desk"),
        "fee": _intake_fee(version, form),
        "several_units": len(units) > 1,
    }
    return render(request, "onestop/receive.html", context, status=400 if scan.errors else 200)


def _place_focus(form, scan) -> None:
    """Where the keyboard starts: the scan field on a fresh form, the first document after a good
    scan (the card filled the applicant); an error summary takes the focus itself."""
    if scan.errors or form.is_bound:
        return
    if not scan.is_bound:
        scan.fields["card"].widget.attrs["autofocus"] = True
    elif form.documents:
        form.fields[f"doc_{form.documents[0].pk}_received"].widget.attrs["autofocus"] = True


def _intake_fee(version, form) -> int | None:
    """The fee as receiving will compute it, or ``None`` while a figure it needs is missing (a
    per-page fee before the pages are counted): the page asks for it, never fails."""
    try:
        return services.fee_for(version, "desk", **form.fee_inputs())
    except ValidationError:
        return None


def _due_text(dossier: Dossier) -> str:
    """``dd/mm/yyyy hh:mm`` as the brief of the desk asks."""
    local = timezone.localtime(dossier.due_at)
    return local.strftime("%d/%m/%Y %H:%M")


# --- The dossier page -----------------------------------------------------------------------


def _next_step(dossier: Dossier, name: str):
    steps = dossier.steps.filter(kind=StepKind.MAIN).order_by("position")
    if name == "forward":
        active = steps.filter(state=StepState.ACTIVE).first()
        if active is None:
            return None
        steps = steps.filter(position__gt=active.position)
    return steps.exclude(state=StepState.DONE).select_related("unit").first()


def assignee_candidates(dossier: Dossier, name: str) -> list:
    """Officials who can act at the step a start or forward hands the dossier to."""
    step = _next_step(dossier, name)
    if step is None or step.actor not in (Actor.SPECIALIST, Actor.LEADER):
        return []
    units = {step.unit_id, step.unit.locality().pk}
    positions = accounts.current_positions(
        services.ACTOR_ROLES[step.actor], unit_id__in=units
    ).order_by("user__full_name", "user__username")
    users = {p.user_id: p.user for p in positions if p.user.is_active}
    return list(users.values())


def _form_for(name: str, dossier: Dossier, data=None, files=None):
    form_class = FORMS[name]
    options = {}
    if name in ("start", "forward"):
        options = {
            "candidates": assignee_candidates(dossier, name),
            "with_opinion": name == "forward",
        }
    elif name == "apologise":
        options = {"unit": dossier.receiving_unit}
    elif name == "request_supplement":
        options = {"repeat": dossier.supplement_count >= 1}
    elif name == "return_result":
        options = {"delivery": dossier.result_delivery}
    initial = {"transition": name, "revision": dossier.revision}
    if name == "approve":  # the draft the leader sees is the one he signs
        initial["draft_sha256"] = getattr(
            Result.objects.filter(dossier=dossier).first(), "sha256", ""
        )
    # unique ids for the several forms of one page; field names stay plain (``transition`` first)
    return form_class(data, files, initial=initial, auto_id=f"{name}-%s", **options)


def _can_attach_result(user, dossier: Dossier) -> bool:
    return dossier.state == State.PROCESSING and bool(
        services.actors_for(user, dossier) & {Actor.SPECIALIST, Actor.LEADER}
    )


def _page(request, dossier: Dossier, *, bound=None, result_form=None, status=200):
    """Render the dossier page; ``bound`` is a (name, form) refused with errors to show again."""
    now = timezone.now()
    actions = []
    for spec in services.allowed_transitions(request.user, dossier):
        form = bound[1] if bound and bound[0] == spec.name else _form_for(spec.name, dossier)
        actions.append({"transition": spec, "form": form})
    can_attach = _can_attach_result(request.user, dossier)
    if can_attach and result_form is None:
        result_form = ResultForm(initial={"revision": dossier.revision})
    context = {
        "dossier": dossier,
        "state_label": State(dossier.state).label,
        "timeliness": _timeliness_label(dossier, now, _Labels()),
        "late": _is_late(dossier, now),
        "documents": dossier.documents.all(),
        "steps": dossier.steps.all(),
        "hand_overs": dossier.hand_overs.select_related(
            "from_user", "to_user", "from_unit", "to_unit", "step"
        ),
        "events": _history(dossier),
        "supplements": dossier.supplements.all(),
        "actions": actions,
        "result_form": result_form if can_attach else None,
        "errors_form": bound[1] if bound else result_form if can_attach else None,
        **result_views.panel(request.user, dossier),
    }
    return render(request, "onestop/dossier.html", context, status=status)


def _history(dossier: Dossier) -> list[dict]:
    """The timeline: every transition, and every entry or correction of the declaration."""
    items = [
        {"event": e, "label": _event_label(e.transition), "state": _state_words(e.to_state)}
        for e in dossier.events.all()
    ]
    for entry in dossier.declaration_revisions.all():
        shown = Event(
            transition="correct_declaration",
            actor_name=entry.by_name,
            at=entry.at,
            note=entry.reason,
        )
        label = _("Sửa tờ khai") if entry.before else _("Nhập tờ khai")
        items.append({"event": shown, "label": label, "state": _state_words(dossier.state)})
    return sorted(items, key=lambda item: item["event"].at)


def _state_words(state: str):
    """The Vietnamese status name, the national code in small print after it."""
    return format_html(
        '{} <span class="meta">({})</span>', State(state).label, NATIONAL_CODE[State(state)]
    )


def _event_label(name: str) -> str:
    if name in TRANSITIONS:
        return str(TRANSITIONS[name].label)
    return {"receive": _("Tiếp nhận tại Bộ phận Một cửa"), "file": _("Nộp hồ sơ trực tuyến")}.get(
        name, name
    )


@login_required
def dossier_detail(request, code: str):
    return _page(request, _dossier_or_404(request.user, code))


@login_required
@require_POST
def act(request, code: str):
    """One transition posted from the dossier page, with the revision the user saw."""
    dossier = _dossier_or_404(request.user, code)
    name = request.POST.get("transition", "")
    allowed = {t.name for t in services.allowed_transitions(request.user, dossier)}
    if name not in allowed:
        if name in TRANSITIONS:
            messages.error(
                request,
                _("Không thể “%(label)s” hồ sơ này lúc này.") % {"label": TRANSITIONS[name].label},
            )
        else:
            messages.error(request, _("Thao tác không hợp lệ."))
        return redirect("onestop:dossier", code=dossier.code)
    form = _form_for(name, dossier, request.POST, request.FILES)
    if not form.is_valid():
        return _page(request, dossier, bound=(name, form), status=400)
    try:
        outcome = services.advance(
            dossier,
            name,
            actor=request.user,
            revision=form.cleaned_data["revision"],
            **form.payload(),
        )
    except services.Conflict:
        messages.error(request, STALE)
        return redirect("onestop:dossier", code=dossier.code)
    except (ValidationError, PermissionDenied) as exc:
        add_service_errors(form, exc)
        return _page(request, dossier, bound=(name, form), status=400)
    messages.success(request, outcome.message)
    return redirect("onestop:dossier", code=dossier.code)


@login_required
@require_POST
def attach_result(request, code: str):
    dossier = _dossier_or_404(request.user, code)
    if not _can_attach_result(request.user, dossier):
        messages.error(request, _("Chỉ người đang xử lý hồ sơ mới được đính kèm kết quả."))
        return redirect("onestop:dossier", code=dossier.code)
    form = ResultForm(request.POST, request.FILES)
    if not form.is_valid():
        return _page(request, dossier, result_form=form, status=400)
    if form.cleaned_data["revision"] != dossier.revision:
        messages.error(request, STALE)
        return redirect("onestop:dossier", code=dossier.code)
    try:
        services.attach_result(
            dossier,
            actor=request.user,
            title=form.cleaned_data["title"],
            file=form.cleaned_data["file"],
        )
    except (ValidationError, PermissionDenied) as exc:
        add_service_errors(form, exc)
        return _page(request, dossier, result_form=form, status=400)
    messages.success(request, _("Đã đính kèm kết quả (chưa ký số)."))
    return redirect("onestop:dossier", code=dossier.code)


@login_required
def document_file(request, code: str, pk: int):
    """A scan of the dossier, for those who may see the dossier only."""
    dossier = _dossier_or_404(request.user, code)
    document = dossier.documents.filter(pk=pk).exclude(file="").first()
    if document is None:
        raise Http404
    return _file_response(document.file, f"{dossier.code}-{document.pk}")


@login_required
def result_file(request, code: str):
    dossier = _dossier_or_404(request.user, code)
    result = Result.objects.filter(dossier=dossier).exclude(file="").first()
    if result is None:
        raise Http404
    if result.signed_file_id and request.GET.get("draft") != "1":
        return _file_response(result.signed_file.file, f"{dossier.code}-ket-qua-da-ky")
    return _file_response(result.file, f"{dossier.code}-ket-qua")


@login_required
@xframe_options_sameorigin
def document_view(request, code: str, pk: int):
    """A scan shown inside the dossier page (a PDF in a frame, an image): served inline, inert
    (``core.downloads``), framed by the platform's own pages only."""
    dossier = _dossier_or_404(request.user, code)
    document = dossier.documents.filter(pk=pk).exclude(file="").first()
    if document is None:
        raise Http404
    extension = document.file.name.rsplit(".", 1)[-1] if "." in document.file.name else "bin"
    return stored(document.file, f"{dossier.code}-{document.pk}.{extension}", inline=True)


@login_required
def declaration_edit(request, code: str):
    """The desk enters or corrects the declaration with the portal's form, all pages at once."""
    dossier = _dossier_or_404(request.user, code)
    if not services.may_correct_declaration(request.user, dossier):
        raise PermissionDenied(
            _("Chỉ Bộ phận Một cửa nơi tiếp nhận được nhập, sửa tờ khai khi hồ sơ đang mở.")
        )
    schema = dossier.version.form_schema
    answers, errors, reason = dossier.form_data, {}, ""
    if request.method == "POST":
        answers = declaration_form.read_all(schema, request.POST, dossier.form_data)
        reason = request.POST.get("reason", "")
        revision = request.POST.get("revision", "")
        try:
            services.correct_declaration(
                dossier,
                request.user,
                answers,
                reason=reason,
                revision=int(revision) if revision.isdigit() else None,
            )
        except services.Conflict:
            messages.error(request, STALE)
            return redirect("onestop:declaration", code=dossier.code)
        except ValidationError as exc:
            errors = exc.message_dict if hasattr(exc, "error_dict") else {"__all__": exc.messages}
        else:
            messages.success(request, _("Đã lưu tờ khai."))
            return redirect("onestop:dossier", code=dossier.code)
    pages = declaration_form.groups(schema, answers)
    for page in pages:
        declaration_form.attach_errors(page, errors)
    context = {
        "dossier": dossier,
        "pages": pages,
        "errors": errors,
        "summary": _error_summary(pages, errors),
        "reason": reason,
        "correcting": bool(dossier.form_data),
    }
    return render(request, "onestop/declaration.html", context, status=400 if errors else 200)


def _error_summary(pages, errors: dict) -> list[tuple[str, str]]:
    """(anchor, message) of every error: at its field when the page shows it, else at the top."""
    ids = {f.path: f.html_id for page in pages for f in page.fields}
    anchors = {**ids, "reason": "f-reason"}
    return [
        (f"#{anchors.get(key, 'declaration-form')}", message)
        for key, messages_ in errors.items()
        for message in messages_
    ]


def _file_response(field, stem: str):
    extension = field.name.rsplit(".", 1)[-1] if "." in field.name else "bin"
    return stored(field, f"{stem}.{extension}")
