"""One name for the acting user: every service function that acts for someone takes them as the
keyword-only ``actor=`` (issue 13, item 7).

A service is any module or package named ``services`` under ``congso`` (``documents.services``
and ``meetings.services`` are packages; ``documents.exchange.services`` is one too). For each
public function defined there:

- a parameter named ``actor`` is keyword-only: ``services.transition(dossier, "accept",
  actor=request.user)`` says who acts at the call, and a user passed in the wrong place fails;
- the other names once used for the acting user (``by``, ``official``, ``clerk``, …) are not used;
- a parameter named ``user`` appears only in the functions listed in ``ABOUT_THE_USER``, whose
  answer is *about* that user (what they see, what they may do, their own account and
  notifications): a new function that takes ``user`` fails here until its author decides
  whether it acts for someone (then ``actor=``) or answers about them (then it is listed).
"""

import importlib
import inspect
import pkgutil

from django.apps import apps

#: Names that meant "the acting user" before ``actor`` was the one name.
OTHER_NAMES = {"by", "official", "clerk", "acting_user", "acting", "who", "performer"}

#: Functions whose ``user`` is the subject of the answer, not someone acting.
ABOUT_THE_USER = {
    # what the user may see or do (scopes, buttons, roles)
    "accounts.services": {
        "grantable_roles",
        "grantable_units",
        "may_grant",
        "visible_people",
        "may_manage_account",
        # the user's own account: password, second factor, eID session
        "generate_password",
        "change_password",
        "confirm_totp",
        "regenerate_recovery_codes",
        "remember_eid_session",
    },
    "notify.services": {"unread_count", "bell_count", "mark_read", "mark_all_read"}
    | {"save_preference"},
    "onestop.services": {
        "view_unit_ids",
        "visible_dossiers",
        "visible_dossier",
        "visible_with_plan",
        "is_applicant",
        "sight",
        "actors_for",
        "allowed_transitions",
        "may_correct_declaration",
    },
    "signing.services": {"check_enrolment", "personal_certificate", "pending_signature"},
    "meetings.services": {
        "acting_unit_ids",
        "may",
        "may_manage",
        "visible_meetings",
        "visible_tasks",
        "units_to_invite",
        # whose calendar feed, who joins the video room
        "feed_token",
        "participant_for",
        "join_url",
    },
    "documents.services": {"visible_documents", "registered_file", "viewable_organs", "organs_for"},
    "payments.services": {
        "owned_dossiers",
        "visible_payments",
        "read_return",
        "refunds_to_transfer",
    },
    "feedback.services": {
        "handling_units",
        "visible_complaints",
        "visible_ratings",
        "may_handle",
        "sides_for",
        "allowed_actions",
        "rating_refusal",
        "at_desk",
        "own_dossier",
    },
    "skills.services": {"units_for", "visible", "programmes_for", "completed_topics"},
    "ict.services": {"units_for", "visible"},
    "inbox.services": {"items_for", "header_count"},
}


def service_modules():
    """Every ``services`` module of every congso app, and each module of a ``services``
    package (the functions are defined there and re-exported by the package)."""
    found = []
    for app in apps.get_app_configs():
        if not app.name.startswith("congso."):
            continue
        for info in pkgutil.walk_packages([app.path], app.name + "."):
            if ".tests" in info.name or ".migrations" in info.name:
                continue
            if info.name.endswith(".services") or ".services." in info.name:
                found.append(importlib.import_module(info.name))
    return found


def public_functions(module):
    for name, function in vars(module).items():
        if (
            not name.startswith("_")
            and inspect.isfunction(function)
            and function.__module__ == module.__name__
        ):
            yield name, function


def short(module_name: str) -> str:
    """``congso.documents.services.gate`` → ``documents.services``."""
    parts = module_name.removeprefix("congso.").split(".")
    return ".".join(parts[: parts.index("services") + 1])


def test_the_walk_finds_the_services():
    names = {module.__name__ for module in service_modules()}
    assert {"congso.onestop.services", "congso.documents.services.gate"} <= names
    assert "congso.meetings.services.meeting" in names


def test_the_acting_user_is_keyword_only_actor():
    wrong = []
    for module in service_modules():
        about = ABOUT_THE_USER.get(short(module.__name__), set())
        for name, function in public_functions(module):
            where = f"{module.__name__}.{name}"
            for parameter in inspect.signature(function).parameters.values():
                if parameter.name == "actor" and parameter.kind != parameter.KEYWORD_ONLY:
                    wrong.append(f"{where}: 'actor' must be keyword-only")
                elif parameter.name in OTHER_NAMES:
                    wrong.append(f"{where}: '{parameter.name}' — name the acting user 'actor'")
                elif parameter.name == "user" and name not in about:
                    wrong.append(
                        f"{where}: 'user' — the acting user is keyword-only 'actor'; a user "
                        "the answer is about is listed in ABOUT_THE_USER"
                    )
    assert wrong == []


def test_the_list_names_only_existing_functions():
    """A renamed or removed function leaves no stale exemption behind."""
    defined = {}
    for module in service_modules():
        for name, function in public_functions(module):
            if "user" in inspect.signature(function).parameters:
                defined.setdefault(short(module.__name__), set()).add(name)
    stale = {
        where: sorted(names - defined.get(where, set()))
        for where, names in ABOUT_THE_USER.items()
        if names - defined.get(where, set())
    }
    assert stale == {}
