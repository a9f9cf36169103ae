"""Years of closed history, copied inside PostgreSQL: the benchmark's ten million dossiers.

``history.generate`` tells each story in Python (hundreds of dossiers a second). A province's
archive is mostly closed dossiers whose stories look like this year's, so the benchmark tells a
recent period once and then copies its closed dossiers (returned, withdrawn, refused, stopped)
``copies`` times into the preceding periods, shifted back by whole weeks (weekdays and working
days keep their place), with their steps, hand-overs, events, supplement requests and documents.
Every row is written by ``INSERT … SELECT`` in the server (no row crosses the wire), ids from the
tables' own sequences, codes re-dated like the originals (``AGENCY-YYMMDD-NNNN``). Open dossiers
are never copied: queues hold today's work, the archive only grows behind it.
"""

import datetime as dt
from dataclasses import dataclass

from django.db import connection, models, transaction

from .lifecycle import FINAL_STATES
from .models import Dossier, DossierDocument, Event, HandOver, Step, SupplementRequest


@dataclass
class Copied:
    dossiers: int = 0
    rows: int = 0
    seconds: float = 0.0


def _columns(model, replace: dict[str, str], shift: str) -> tuple[str, str]:
    """The insert column list and the select list for ``model``: ``replace`` maps a column to
    an expression; date-times are shifted back by ``shift``; everything else is copied."""
    names, values = [], []
    for field in model._meta.concrete_fields:
        column = field.column
        names.append(f'"{column}"')
        if column in replace:
            values.append(replace[column])
        elif isinstance(field, models.DateTimeField):
            values.append(f's."{column}" - {shift}')
        elif isinstance(field, models.DateField):
            values.append(f'(s."{column}" - {shift})::date')
        else:
            values.append(f's."{column}"')
    return ", ".join(names), ", ".join(values)


def _sequence(model) -> str:
    return f"pg_get_serial_sequence('{model._meta.db_table}', 'id')"


def _copy_once(cursor, days: int, told: int) -> tuple[int, int]:
    """One copy of every closed dossier of the told period (ids up to ``told``: copies are
    never copied again), ``days`` earlier."""
    shift = f"interval '{days} days'"
    dossier, step = Dossier._meta.db_table, Step._meta.db_table
    finals = ", ".join(f"'{s}'" for s in sorted(FINAL_STATES))
    cursor.execute("DROP TABLE IF EXISTS bench_dmap, bench_smap")
    cursor.execute(
        # table, column and state names come from the models, never from input
        f"CREATE TEMP TABLE bench_dmap AS SELECT id AS old, nextval({_sequence(Dossier)}) AS new "  # noqa: S608
        f"FROM {dossier} WHERE state IN ({finals}) AND id <= %s",
        [told],
    )
    cursor.execute("CREATE UNIQUE INDEX ON bench_dmap (old)")
    cursor.execute(
        f"CREATE TEMP TABLE bench_smap AS SELECT s.id AS old, nextval({_sequence(Step)}) AS new "  # noqa: S608
        f"FROM {step} s JOIN bench_dmap m ON m.old = s.dossier_id"
    )
    cursor.execute("CREATE UNIQUE INDEX ON bench_smap (old)")
    code = (
        "split_part(s.code, '-', 1) || '-' || to_char(to_date(split_part(s.code, '-', 2), "
        f"'YYMMDD') - {days}, 'YYMMDD') || '-' || split_part(s.code, '-', 3)"
    )
    rows = 0
    plan = [
        (Dossier, {"id": "m.new", "code": code}, "JOIN bench_dmap m ON m.old = s.id"),
        (
            Step,
            {"id": "t.new", "dossier_id": "m.new"},
            "JOIN bench_dmap m ON m.old = s.dossier_id JOIN bench_smap t ON t.old = s.id",
        ),
        (
            HandOver,
            {"id": f"nextval({_sequence(HandOver)})", "dossier_id": "m.new", "step_id": "t.new"},
            "JOIN bench_dmap m ON m.old = s.dossier_id LEFT JOIN bench_smap t ON t.old = s.step_id",
        ),
    ]
    for model in (Event, SupplementRequest, DossierDocument):
        plan.append(
            (
                model,
                {"id": f"nextval({_sequence(model)})", "dossier_id": "m.new"},
                "JOIN bench_dmap m ON m.old = s.dossier_id",
            )
        )
    for model, replace, joins in plan:
        names, values = _columns(model, replace, shift)
        cursor.execute(
            f"INSERT INTO {model._meta.db_table} ({names}) "  # noqa: S608
            f"SELECT {values} FROM {model._meta.db_table} s {joins}"
        )
        rows += cursor.rowcount
    cursor.execute("SELECT count(*) FROM bench_dmap")
    return cursor.fetchone()[0], rows


def copy_history(
    copies: int, span_days: int, progress=None, *, first: int = 1, told: int | None = None
) -> Copied:
    """Copy the closed dossiers ``copies`` times, each ``span_days`` (rounded up to whole weeks)
    further back. PostgreSQL only. ``first`` and ``told`` (the last told dossier's id) resume an
    interrupted run: copy number ``first`` onwards."""
    if connection.vendor != "postgresql":
        raise ValueError("copying history needs PostgreSQL")
    weeks = -(-span_days // 7)
    started = dt.datetime.now()
    done = Copied()
    with connection.cursor() as cursor:
        if told is None:
            cursor.execute(f"SELECT coalesce(max(id), 0) FROM {Dossier._meta.db_table}")  # noqa: S608
            told = cursor.fetchone()[0]
        for k in range(first, copies + 1):
            with transaction.atomic():
                dossiers, rows = _copy_once(cursor, 7 * weeks * k, told)
            done.dossiers += dossiers
            done.rows += rows
            if progress:
                progress(k, done)
    done.seconds = (dt.datetime.now() - started).total_seconds()
    return done
