"""Who reaches which URL: every URL pattern of the project is requested by an anonymous visitor, a
citizen and each role of the demo district, and the answer's class is compared with the reviewed
matrix in ``access_matrix.json`` (route → actor → class). A page that an actor should not reach
and yet answers ``ok`` is a bug to fix, not a line to record.

Path parameters are filled with objects of the demo district (``SAMPLES``; a pattern without a
sample gets a value of the right shape, which then answers 404). Pages are read with GET; every
route is also POSTed to, empty, by the anonymous visitor and the citizen: a change is never
accepted from someone who may not make it (``ok``) and never fails (``error``).

To record the matrix after adding a URL: ``CONGSO_WRITE_ACCESS_MATRIX=1 pytest
tests/security/test_access_matrix.py``, then review the diff line by line.
"""

import json
import os
import uuid
from pathlib import Path

import pytest
from django.conf import settings
from django.db import transaction
from django.test import Client, override_settings
from django.urls import NoReverseMatch, get_resolver, reverse

from tests.test_no_500 import send_rolled_back, signed_in, simplest_path, walk

pytestmark = pytest.mark.slow

MATRIX = Path(__file__).with_name("access_matrix.json")
WRITE = os.environ.get("CONGSO_WRITE_ACCESS_MATRIX") == "1"

#: actor → demo username (None: anonymous)
ACTORS = {
    "anonymous": None,
    "citizen": "congdan.an",
    "system_admin": "admin",
    "unit_admin": "quantri.nghiloc",
    "district_leader": "lanhdao.nghiloc",
    "district_clerk": "vanthu.nghiloc",
    "district_desk": "motcua.nghiloc",
    "department_specialist": "chuyenvien.tuphap",
    "commune_leader": "lanhdao.nghilong",
    "commune_desk": "motcua.nghilong",
    "commune_specialist": "congchuc.nghilong",
    "commune_clerk": "vanthu.nghilong",
}
POSTERS = ["anonymous", "citizen"]
#: Django's own admin is for superusers (none of the actors); its index stands for it.
SKIPPED_PREFIX = "django-admin/"


def status_class(response) -> str:
    code = response.status_code
    if 200 <= code < 300:
        return "ok"
    if 300 <= code < 400:
        return (
            "login" if response.get("Location", "").startswith(settings.LOGIN_URL) else "redirect"
        )
    return {401: "denied", 403: "denied", 404: "missing", 405: "method"}.get(
        code, "error" if code >= 500 else "invalid"
    )


def _first(model, **conditions):
    return model.objects.filter(**conditions).order_by("pk").first()


def samples() -> dict[str, dict]:
    """Keyword arguments for each named pattern, from the demo district."""
    from congso.accounts.models import Position, User
    from congso.catalog.models import Procedure
    from congso.documents.models import Document, WorkFile
    from congso.feedback.models import Attachment, Complaint, Rating
    from congso.meetings.models import FeedToken, Invitation, Meeting, MeetingDocument, Task
    from congso.notify.models import Notification
    from congso.onestop.models import Dossier, DossierDocument
    from congso.org.models import Unit
    from congso.payments.models import Payment
    from congso.signing.models import Certificate
    from congso.skills.models import Programme, Session, Team, TeamMember, Topic
    from congso.worktime.models import CalendarException

    unit = Unit.objects.get(name__contains="Nghi Long", kind="commune")
    person = User.objects.get(username="motcua.nghilong")
    position = Position.objects.filter(user=person).first()
    dossier = _first(Dossier, receiving_unit=unit) or _first(Dossier)
    document = _first(Document)
    meeting = _first(Meeting)
    complaint = _first(Complaint)
    topic = Topic.values[0]
    pk = {"pk": 0}
    objects = {
        "accounts": person,
        "org": unit,
        "worktime:delete_exception": _first(CalendarException),
        "notify:mark_read": _first(Notification),
        "api-notification-read": _first(Notification),
        "signing": _first(Certificate),
        "meetings": meeting,
        "meetings:respond": _first(Invitation),
        "meetings:task": _first(Task),
        "meetings:task_reopen": _first(Task),
        "api-meeting": meeting,
        "api-meeting-transitions": meeting,
        "api-meeting-attendance": meeting,
        "api-meeting-task": _first(Task),
        "api-meeting-task-transitions": _first(Task),
        "documents": document,
        "documents:work_file_metadata": _first(WorkFile),
        "api-document": document,
        "api-document-transitions": document,
        "api-document-file": document,
        "api-document-metadata": document,
        "payments:refund": _first(Payment),
        "feedback:attachment": _first(Attachment),
        "api-feedback-rating": _first(Rating),
        "skills:team": _first(Team),
        "skills:member_remove": _first(TeamMember),
        "skills:programme": _first(Programme),
        "skills:session": _first(Session),
    }
    values = {
        "code": dossier.code,
        "topic": topic,
        "unit_pk": unit.pk,
        "position_pk": position.pk if position else 0,
        "document_pk": getattr(_first(MeetingDocument), "pk", 0),
        "token": getattr(_first(FeedToken), "token", "x"),
        "number": 1,
        "recipient": 1,
        "direction": "incoming",
        "form": "phieu-tiep-nhan",
        "kind": "xlsx",
        "ref": _first(Payment).ref,  # pinned paid (``_pin_sample_payment``): it has a receipt
        "action": "assign",
        "group": 1,
        "encoded": "x",
        **pk,
    }
    by_name = {}
    for name, obj in objects.items():
        by_name[name] = {"pk": obj.pk if obj is not None else 0}
    by_name["catalog"] = {"code": _first(Procedure).code}
    by_name["feedback"] = {"code": complaint.code if complaint else "x"}
    for api_name in ("api-feedback-complaint", "api-feedback-complaint-actions"):
        by_name[api_name] = by_name["feedback"]
    by_name["payments:pay"] = {"code": dossier.code}
    by_name["onestop:document"] = {"pk": getattr(_first(DossierDocument, dossier=dossier), "pk", 0)}
    return values, by_name


def _kwargs(name: str, params: set[str], values: dict, by_name: dict) -> dict:
    """The sample for ``name``: its own, its namespace's, then a value of the right shape."""
    namespace = name.split(":")[0]
    chosen = {**by_name.get(namespace, {}), **by_name.get(name, {})}
    kwargs = {}
    for param in params:
        if param in chosen:
            kwargs[param] = chosen[param]
        elif param.endswith("_id"):
            kwargs[param] = uuid.UUID(int=0)
        else:
            kwargs[param] = values.get(param, "x")
    return kwargs


def routes() -> list[tuple[str, str, str]]:
    """``(route, name, path)`` of every URL pattern with its parameters filled."""
    values, by_name = samples()
    found = []
    for chain, pattern in walk(get_resolver()):
        route = "".join(str(p) for p, _ns in chain)
        if route.startswith(SKIPPED_PREFIX) and route != SKIPPED_PREFIX:
            continue
        namespaces = [ns for _p, ns in chain if ns]
        name = ":".join([*namespaces, pattern.name]) if pattern.name else ""
        params = {p for part, _ns in chain for p in getattr(part, "converters", {})}
        try:
            path = reverse(name, kwargs=_kwargs(name, params, values, by_name)) if name else None
        except NoReverseMatch:
            path = None
        found.append((route, name, path or simplest_path(chain)))
    return found


@pytest.fixture(scope="module")
def demo(django_db_setup, django_db_blocker, tmp_path_factory):
    """The full demo district, loaded once for this module and rolled back after it."""
    from congso.accounts.models import User
    from congso.demo.loaders import load_all

    var = tmp_path_factory.mktemp("access-matrix")
    isolated = override_settings(
        PASSWORD_HASHERS=["django.contrib.auth.hashers.MD5PasswordHasher"],
        MEDIA_ROOT=var / "media",
        VAR_DIR=var / "var",
        CELERY_TASK_ALWAYS_EAGER=True,
    )
    with django_db_blocker.unblock(), isolated, transaction.atomic():
        load_all(full=True)
        users = {actor: User.objects.get(username=name) for actor, name in ACTORS.items() if name}
        desk = users["district_desk"].positions.get().unit
        _pin_sample_complaint(desk, users["citizen"])
        _pin_sample_payment(desk, users["citizen"])
        yield users, routes()
        transaction.set_rollback(True)


def _pin_sample_complaint(unit, citizen) -> None:
    """The demo files its complaints about whichever dossiers are returned by the time it runs,
    so the first one's unit depends on the hour: the sample is pinned to the district's one-stop
    desk (where district dossiers are received) and the demo citizen, so the matrix does not."""
    from congso.feedback.models import Complaint

    first = Complaint.objects.order_by("pk").first()
    Complaint.objects.filter(pk=first.pk).update(unit=unit, author=citizen)


def _pin_sample_payment(unit, citizen) -> None:
    """Which demo orders are paid, and whose, depends on the hour the demo runs (recent dossiers
    still open): the sample order is pinned to a paid order of the demo citizen at the district's
    one-stop desk, so that its refund and receipt rows do not change with the clock."""
    from congso.onestop.models import Dossier
    from congso.payments.lifecycle import PaymentState
    from congso.payments.models import Payment

    first = Payment.objects.order_by("pk").first()
    paid = first.paid_at or first.created_at
    Payment.objects.filter(pk=first.pk).update(
        unit=unit,
        state=PaymentState.PAID,
        paid_at=paid,
        settled_at=paid,
        receipt_number=first.receipt_number or f"000001/{paid.year}",
    )
    Dossier.objects.filter(pk=first.dossier_id).update(applicant=citizen)


def _observe(demo, actor: str, method: str) -> dict[str, str]:
    users, found = demo
    client = Client(raise_request_exception=False)
    cookies = signed_in(users.get(actor))
    return {
        route: status_class(send_rolled_back(client, cookies, method, path, {}))
        for route, _name, path in found
    }


def _compare(column: str, observed: dict[str, str]) -> None:
    matrix = json.loads(MATRIX.read_text()) if MATRIX.exists() else {}
    if WRITE:
        for route, cls in observed.items():
            matrix.setdefault(route, {})[column] = cls
        MATRIX.write_text(json.dumps(matrix, ensure_ascii=False, indent=1, sort_keys=True) + "\n")
        return
    expected = {route: row.get(column) for route, row in matrix.items()}
    differences = [
        f"{route}: expected {expected.get(route)}, got {cls}"
        for route, cls in observed.items()
        if expected.get(route) != cls
    ]
    assert not differences, f"{column}:\n" + "\n".join(differences)


@pytest.mark.parametrize("actor", list(ACTORS))
def test_get_matches_the_matrix(demo, db, actor):
    _compare(actor, _observe(demo, actor, "get"))


@pytest.mark.parametrize("actor", POSTERS)
def test_post_by_outsiders_matches_the_matrix(demo, db, actor):
    observed = _observe(demo, actor, "post")
    assert "error" not in observed.values(), [r for r, c in observed.items() if c == "error"]
    _compare(f"{actor} POST", observed)


def test_matrix_names_every_route(demo):
    """A new URL must be recorded (and reviewed); a removed one must leave the matrix."""
    _users, found = demo
    matrix = json.loads(MATRIX.read_text())
    assert set(matrix) == {route for route, _name, _path in found}
