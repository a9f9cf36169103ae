"""One lifecycle engine: every state machine of the platform is a table of rows run by ``Machine``.

A row says: from which state(s) an action may be done, by whom (an app-specific value — a set of
roles, a permission, a side — judged by the machine's ``may`` predicate), into which state (``None``:
the state does not change, e.g. a hand-over), which printed form it issues, if any, and whether the
action must state its reason (a refusal, a return, a recall: the law wants the citizen or the
other agency told why — the row carries the Vietnamese prompt). Anything not in the table is refused with ``TransitionRefused`` carrying a Vietnamese reason. Each app's
``lifecycle.py`` is its table; ``core/tests/test_lifecycle_tables.py`` walks every cell of every
machine registered in ``MACHINES``.
"""

from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, replace
from typing import Any

from django.core.exceptions import ValidationError
from django.db import models
from django.utils.translation import gettext_lazy as _

#: Every machine built, by its dotted name ("onestop.dossier", "documents.outgoing", …).
MACHINES: dict[str, "Machine"] = {}


class TransitionRefused(Exception):
    """Raised with a Vietnamese message saying why; each app's services turn it into its own
    answer (a validation error, a permission refusal)."""


@dataclass(frozen=True)
class Row:
    sources: frozenset[str]
    name: str
    target: str | None  # None: the state does not change (a hand-over, an apology)
    who: Any = None  # who may: roles, a permission or a side, judged by ``Machine.may``
    form: str | None = None  # the printed form issued, where the law numbers one
    reason: str | None = None  # the prompt when the action must state why; None: no reason needed
    label: str = ""  # filled in by the machine from its action labels

    def lands(self, state: str) -> str:
        """The state after this row is applied from ``state``."""
        return self.target or state


def row(
    sources,
    name: str,
    target: str | None,
    who: Any = None,
    form: str | None = None,
    *,
    reason: str | None = None,
) -> Row:
    """One transition: ``sources`` is a state or a set of states; a set of ``who`` is frozen."""
    states = {sources} if isinstance(sources, str) else set(sources)
    if isinstance(who, set):
        who = frozenset(who)
    return Row(frozenset(states), name, target, who, form, reason)


def stated_reason(r: Row, text, *, field: str = "note") -> str:
    """The reason the caller gave for ``r``, trimmed; refused on ``field`` (nothing written yet)
    when the row requires one and none was given."""
    text = text.strip() if isinstance(text, str) else ""
    if r.reason and not text:
        raise ValidationError({field: [r.reason]})
    return text


class Machine:
    """A transition table with its one gate (``check``) and the buttons it offers (``allowed``).

    ``may(who, **context)`` says whether the caller described by ``context`` may do a row whose
    ``who`` is given; ``refused_who(label, who, **context)`` is the Vietnamese reason when not.
    """

    def __init__(
        self,
        name: str,
        states: type[models.TextChoices],
        labels: Mapping[str, str],
        rows: Iterable[Row],
        *,
        noun: str,
        initial: str,
        final: Iterable[str] = (),
        codes: Mapping[str, int] | None = None,
        may: Callable[..., bool] | None = None,
        refused_who: Callable[..., str] | None = None,
    ):
        self.name = name
        self.states = states
        self.labels = dict(labels)
        self.rows = [replace(r, label=self.labels[r.name]) for r in rows]
        self.noun = noun
        self.initial = initial
        self.final = frozenset(final)
        self.codes = dict(codes or {})
        self.may = may
        self.refused_who = refused_who
        MACHINES[name] = self

    def cells(self) -> dict[tuple[str, str], Row]:
        """(state, action) → row, for every allowed cell, in table order."""
        return {(source, r.name): r for r in self.rows for source in r.sources}

    def row(self, state: str, action: str) -> Row:
        """The row for ``action`` from ``state``, whoever asks; else refused."""
        if action not in self.labels:
            raise TransitionRefused(_("Thao tác “%(name)s” không tồn tại.") % {"name": action})
        for r in self.rows:
            if r.name == action and state in r.sources:
                return r
        raise TransitionRefused(
            _("Không thể “%(label)s” khi %(noun)s đang ở trạng thái “%(state)s”.")
            % {"label": self.labels[action], "noun": self.noun, "state": self.states(state).label}
        )

    def _may(self, r: Row, context) -> bool:
        return self.may is None or self.may(r.who, **context)

    def check(self, state: str, action: str, **context) -> Row:
        """The one gate: the row when ``action`` is allowed from ``state`` for the caller described
        by ``context``; otherwise ``TransitionRefused`` with a Vietnamese message."""
        r = self.row(state, action)
        if not self._may(r, context):
            raise TransitionRefused(self.refused_who(r.label, r.who, **context))
        return r

    def allowed(self, state: str, **context) -> list[Row]:
        """Rows the caller may apply from ``state`` now, in table order (buttons, API)."""
        return [r for r in self.rows if state in r.sources and self._may(r, context)]

    def actions_from(self, state: str) -> list[str]:
        """Names of the actions anyone may do from ``state``, in table order."""
        return [r.name for r in self.rows if state in r.sources]
