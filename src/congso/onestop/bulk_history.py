"""Years of closed history, streamed with PostgreSQL ``COPY``: the benchmark's millions of dossiers.

``history.generate`` tells each story in Python (hundreds of dossiers a second). A province's
archive is mostly closed dossiers whose stories look like this year's, so the benchmark tells a
recent period once and then copies its closed dossiers (returned, withdrawn, refused, stopped)
into the preceding years, with their steps, hand-overs, events, supplement requests, documents,
access rows and clock history:
``copies`` copies spread over ``years`` earlier years (``copies / years`` copies land in each
year, as the same desks' neighbours' work would), shifted back by whole weeks so weekdays and
working days keep their place. Open dossiers are never copied: queues hold today's work, the
archive only grows behind it.

Why ``COPY`` and not ``INSERT … SELECT``: the told rows are read once (``COPY … TO STDOUT``),
re-numbered and re-dated in Python as text, and streamed back (``COPY … FROM STDIN``) — tens of
thousands of dossiers a second — while the tables' secondary indexes are dropped (and rebuilt in
one sort each at the end) and foreign-key triggers are off for the session
(``session_replication_role = replica``: every reference is copied from a row that satisfied it).
Ids are reserved from each table's sequence; codes keep the told code's agency and re-dated day,
with ``1000 × lane`` added to the day's number so copies landing in the same year stay unique.
"""

import datetime as dt
import math
import os
import time
from dataclasses import dataclass
from pathlib import Path

from django.db import connection, models, transaction

from .lifecycle import FINAL_STATES
from .models import (
    ClockChange,
    Dossier,
    DossierAccess,
    DossierDocument,
    Event,
    HandOver,
    Step,
    SupplementRequest,
)

#: Tables copied, parents first; each child references ``dossier_id`` (and a hand-over its step).
TABLES = (
    Dossier,
    Step,
    HandOver,
    Event,
    SupplementRequest,
    DossierDocument,
    DossierAccess,
    ClockChange,
)
#: A copy's lane adds this to the day's number of the code (the told numbers stay below it).
LANE = 1000
CHUNK = 1 << 20


@dataclass
class Copied:
    dossiers: int = 0
    rows: int = 0
    seconds: float = 0.0
    copy_seconds: float = 0.0
    index_seconds: float = 0.0
    #: CPU seconds of the copy (this process and its database backend): the rate a machine of
    #: its own would reach, whatever else shares it.
    copy_cpu_seconds: float | None = None


@dataclass
class Template:
    """The told rows of one table as COPY text fields, and where the copy must change them."""

    model: type
    rows: list  # [(dossier index, [field bytes])]
    times: list  # indexes of date-time fields
    step_field: int | None = None  # a hand-over's step
    base: int = 0  # first id reserved for the copies


def _fields(model) -> list:
    return list(model._meta.concrete_fields)


def _read(cursor, model, closed: str) -> list:
    table = model._meta.db_table
    names = ", ".join(f'"{f.column}"' for f in _fields(model))
    key = "id" if model is Dossier else "dossier_id"
    sql = (
        f"COPY (SELECT {names} FROM {table} WHERE {key} IN ({closed}) "  # noqa: S608
        f"ORDER BY {key}, id) TO STDOUT"
    )
    with cursor.copy(sql) as copy:
        data = b"".join(bytes(chunk) for chunk in copy)
    return [line.split(b"\t") for line in data.split(b"\n") if line]


def _templates(cursor, told: int) -> tuple[list, dict, dict]:
    finals = ", ".join(f"'{s}'" for s in sorted(FINAL_STATES))
    closed = f"SELECT id FROM {Dossier._meta.db_table} WHERE state IN ({finals}) AND id <= {told}"  # noqa: S608
    templates, dossier_index, step_index = [], {}, {}
    for model in TABLES:
        fields = _fields(model)
        rows = _read(cursor, model, closed)
        names = [f.column for f in fields]
        if model is Dossier:
            dossier_index = {row[0]: i for i, row in enumerate(rows)}
            keyed = [(i, row) for i, row in enumerate(rows)]
        else:
            at = names.index("dossier_id")
            keyed = [(dossier_index[row[at]], row) for row in rows]
        if model is Step:
            step_index = {row[0]: i for i, row in enumerate(rows)}
        times = [i for i, f in enumerate(fields) if isinstance(f, models.DateTimeField)]
        template = Template(model, keyed, times)
        if model is HandOver:
            template.step_field = names.index("step_id")
        templates.append(template)
    return templates, dossier_index, step_index


def _reserve(cursor, model, count: int) -> int:
    """The first of ``count`` consecutive ids taken from ``model``'s sequence."""
    table = model._meta.db_table
    cursor.execute(f"SELECT nextval(pg_get_serial_sequence('{table}', 'id'))")
    first = cursor.fetchone()[0]
    if count > 1:
        cursor.execute(
            f"SELECT setval(pg_get_serial_sequence('{table}', 'id'), %s)", [first + count - 1]
        )
    return first


def _backend_cpu(pid: int) -> float | None:
    """CPU seconds used so far by the database backend ``pid`` when the server runs on this
    machine (``/proc``), else ``None``."""
    try:
        fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    except OSError:
        return None
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def _secondary_indexes(cursor) -> list[tuple[str, str]]:
    """(name, definition) of every index of the copied tables that backs no constraint."""
    tables = [m._meta.db_table for m in TABLES]
    cursor.execute(
        "SELECT indexname, indexdef FROM pg_indexes WHERE tablename = ANY(%s) AND indexname NOT IN "
        "(SELECT conname FROM pg_constraint WHERE conrelid::regclass::text = ANY(%s))",
        [tables, tables],
    )
    return cursor.fetchall()


def _recode(code: bytes, day: bytes, lane: int) -> bytes:
    agency, _, sequence = code.rsplit(b"-", 2)
    return b"%s-%s-%04d" % (agency, day, int(sequence) + LANE * lane)


class _Shift:
    """Re-dates COPY text: ``YYYY-MM-DD…`` moved back by whole days, each day computed once."""

    def __init__(self, days: int):
        self.delta = dt.timedelta(days=days)
        self.days: dict[bytes, bytes] = {}

    def day(self, text: bytes) -> bytes:
        shifted = self.days.get(text)
        if shifted is None:
            moved = dt.date.fromisoformat(text.decode()) - self.delta
            shifted = self.days[text] = moved.isoformat().encode()
        return shifted

    def moment(self, value: bytes) -> bytes:
        return value if value == b"\\N" else self.day(value[:10]) + value[10:]

    def code_day(self, yymmdd: bytes) -> bytes:
        moved = self.day(b"20" + yymmdd[:2] + b"-" + yymmdd[2:4] + b"-" + yymmdd[4:6])
        return moved[2:4] + moved[5:7] + moved[8:10]


def _lines(template: Template, copy_no: int, shift: _Shift, lane: int, bases: dict) -> bytes:
    """The COPY text of one copy of one table."""
    n_rows = len(template.rows)
    first = template.base + copy_no * n_rows
    dossier_first = bases["dossier"] + copy_no * bases["dossiers"]
    step_first = bases["step"] + copy_no * bases["steps"]
    step_index = bases["step_index"]
    is_dossier = template.model is Dossier
    out = []
    for i, (d, row) in enumerate(template.rows):
        f = row.copy()
        f[0] = b"%d" % (first + i)
        for t in template.times:
            f[t] = shift.moment(f[t])
        if is_dossier:
            code = _recode(row[1], shift.code_day(row[1].rsplit(b"-", 2)[1]), lane)
            f[1] = code
            f[bases["search"]] = code.lower() + row[bases["search"]][len(row[1]) :]
        else:
            f[bases[template.model]] = b"%d" % (dossier_first + d)
            if template.step_field is not None and f[template.step_field] != b"\\N":
                f[template.step_field] = b"%d" % (step_first + step_index[row[template.step_field]])
        out.append(b"\t".join(f))
    return b"\n".join(out) + b"\n" if out else b""


def _write(cursor, template: Template, text: bytes) -> None:
    names = ", ".join(f'"{f.column}"' for f in _fields(template.model))
    with cursor.copy(f"COPY {template.model._meta.db_table} ({names}) FROM STDIN") as copy:
        for start in range(0, len(text), CHUNK):
            copy.write(text[start : start + CHUNK])


def copy_history(copies: int, span_days: int, progress=None, *, years: int | None = None) -> Copied:
    """Copy the told closed dossiers ``copies`` times into the ``years`` (default ``copies``)
    periods of ``span_days`` (rounded up to whole weeks) before the told period. PostgreSQL only;
    the connection's role must be a superuser (foreign-key triggers are skipped)."""
    if connection.vendor != "postgresql":
        raise ValueError("copying history needs PostgreSQL")
    years = years or copies
    lanes = math.ceil(copies / years)
    if lanes * LANE > 9999:
        raise ValueError("at most 9 copies a year")
    weeks = -(-span_days // 7)
    started = time.perf_counter()
    done = Copied()
    with connection.cursor() as wrapper:
        cursor = wrapper.cursor  # psycopg's own cursor: COPY
        cursor.execute("SET TIME ZONE 'UTC'")
        cursor.execute("SET synchronous_commit = off")
        cursor.execute(f"SELECT coalesce(max(id), 0) FROM {Dossier._meta.db_table}")  # noqa: S608
        told = cursor.fetchone()[0]
        templates, dossiers, steps = _templates(cursor, told)
        busiest = max((int(row[1].rsplit(b"-", 1)[1]) for _, row in templates[0].rows), default=0)
        if busiest >= LANE:
            raise ValueError(f"a told day numbers {busiest} dossiers: at most {LANE - 1}")
        bases = {"dossiers": len(dossiers), "steps": len(steps), "step_index": steps}
        bases["search"] = [f.column for f in _fields(Dossier)].index("search_text")
        with transaction.atomic():
            for template in templates:
                template.base = _reserve(cursor, template.model, len(template.rows) * copies)
                if template.model is not Dossier:
                    bases[template.model] = [f.column for f in _fields(template.model)].index(
                        "dossier_id"
                    )
        bases["dossier"], bases["step"] = templates[0].base, templates[1].base
        indexes = _secondary_indexes(cursor)
        for name, _definition in indexes:
            cursor.execute(f'DROP INDEX IF EXISTS "{name}"')
        cursor.execute("SELECT pg_backend_pid()")
        backend = cursor.fetchone()[0]
        cpu = time.process_time(), _backend_cpu(backend)
        try:
            cursor.execute("SET session_replication_role = replica")
            for k in range(copies):
                shift = _Shift(7 * weeks * (k // lanes + 1))
                with transaction.atomic():
                    for template in templates:
                        _write(cursor, template, _lines(template, k, shift, k % lanes, bases))
                        done.rows += len(template.rows)
                done.dossiers += len(dossiers)
                if progress:
                    progress(k + 1, done)
        finally:
            cursor.execute("SET session_replication_role = DEFAULT")
            done.copy_seconds = time.perf_counter() - started
            server = _backend_cpu(backend)
            if server is not None and cpu[1] is not None:
                done.copy_cpu_seconds = time.process_time() - cpu[0] + server - cpu[1]
            cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")  # the told rows' pending checks
            cursor.execute("SET maintenance_work_mem = '512MB'")
            for _name, definition in indexes:
                cursor.execute(definition)
            done.index_seconds = time.perf_counter() - started - done.copy_seconds
    done.seconds = time.perf_counter() - started
    return done
