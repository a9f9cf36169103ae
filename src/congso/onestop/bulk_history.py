"""Years of closed history, copied inside PostgreSQL: the benchmark's millions of dossiers.

``history.generate`` tells each story in Python (hundreds of dossiers a second). A province's
archive is mostly closed dossiers whose stories look like this year's, so the benchmark tells a
recent period once and then copies its closed dossiers (returned, withdrawn, refused, stopped)
into the preceding years, with their steps, hand-overs, events, supplement requests, documents,
access rows and clock history:
``copies`` copies spread over ``years`` earlier years (``copies / years`` copies land in each
year, as the same desks' neighbours' work would), shifted back by whole weeks so weekdays and
working days keep their place. Open dossiers are never copied: queues hold today's work, the
archive only grows behind it.

Why ``INSERT … SELECT`` and not ``COPY``: no byte of a copy leaves the server, and the server
spends less on a row it computes than on one it parses. The told closed rows are gathered once
into unlogged staging tables, each row numbered (``_rn``) and a child row given its dossier's
number (a hand-over its step's); a batch of copies of a table is then one statement — the staged
rows crossed with the batch's copy numbers, ids computed from ranges reserved on each table's
sequence, date-times moved back by ``interval`` arithmetic, codes rewritten with string
functions — and two connections share the statements (the machine's two cores). Measured
(03/12/2026, shared 2 cores, load average 3–6; ``docs/performance.md``): 1.16 M event rows cost
the server 5.3 CPU-seconds by ``INSERT … SELECT``, against 6.0 in the receiving backend alone by
``COPY (FORMAT binary)`` piped from a second backend (2.3) through Python (3.7), 7.2 by text
``COPY``; the whole former loader (``COPY … TO STDOUT``, rows re-written as text in Python,
``COPY … FROM STDIN``) ran beside this one at 5,500 dossiers per CPU-second against 12,400
(12,400–14,500 in the other runs).

While copying, the tables' secondary indexes, unique constraints and the primary keys no foreign
key references are dropped (an event's primary key doubled its row's cost: 2.65 → 5.57
CPU-seconds for the 1.16 M rows), each rebuilt in one sort at the end, two at a time, the
trigram index first (the longest; PostgreSQL 15 builds it on one core); the referenced keys of
dossiers and steps stay (re-adding the foreign keys pointing at them would check every row
again). Foreign-key triggers are off (``session_replication_role = replica``: every reference
is copied from a row that satisfied it).

Ids are reserved from each table's sequence; codes keep the told code's agency and re-dated day,
with ``(lane + 1) × step`` added to the day's number (``step`` the power of ten above the
busiest day's number of any dossier already there) so copies landing in the same year stay
unique, and never take the code of a dossier filed on their new day. Copying works
from a database holding only the told period: it refuses one already holding copies (make the
bigger database from a copy of the told one, ``CREATE DATABASE … TEMPLATE``).
"""

import math
import os
import threading
import time
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path

import psycopg
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
#: A day numbers at most this many dossiers a unit (``rules.dossier_code``).
MAX_SEQUENCE = 9999
#: Rows of a table written by one statement (a batch is this many rows' worth of whole copies).
BATCH_ROWS = 400_000
#: Connections copying (and rebuilding indexes) at once: the machine's cores.
WORKERS = 2
STAGE = "bulk_history_"


@dataclass
class Copied:
    dossiers: int = 0
    rows: int = 0
    seconds: float = 0.0
    copy_seconds: float = 0.0
    index_seconds: float = 0.0
    #: CPU seconds of the copy (this process and its database backends): the rate a machine of
    #: its own would reach, whatever else shares it.
    copy_cpu_seconds: float | None = None
    #: What a lane adds to a code's day number (copies sharing a year take lanes).
    lane_step: int = 0
    #: How far back each period of copies lands (whole weeks, in days).
    week_days: int = 0
    workers: int = 1


@dataclass
class Plan:
    """What every statement of one copy needs: the staged counts and the reserved id ranges."""

    copies: int
    lanes: int
    week_days: int  # a period's length, whole weeks in days
    counts: dict = field(default_factory=dict)  # model → staged rows
    bases: dict = field(default_factory=dict)  # model → first reserved id
    lane_step: int = 0


def _table(model) -> str:
    return model._meta.db_table


def _stage(model) -> str:
    return STAGE + _table(model)


def _columns(model) -> list[str]:
    return [f.column for f in model._meta.concrete_fields]


def _staging_sql(model, told: int) -> str:
    """The statement gathering the told closed rows of ``model`` with their numbers."""
    table, stage = _table(model), _stage(model)
    if model is Dossier:
        finals = ", ".join(f"'{s}'" for s in sorted(FINAL_STATES))
        return (
            f"CREATE UNLOGGED TABLE {stage} AS SELECT t.*, "  # noqa: S608
            "(row_number() OVER (ORDER BY t.id) - 1) AS _rn, "
            r"substring(t.code FROM '^(.*)-\d{6}-\d+$') AS _agency, "
            r"to_date(substring(t.code FROM '-(\d{6})-\d+$'), 'YYMMDD') AS _day, "
            r"substring(t.code FROM '-(\d+)$')::int AS _number, "
            "substr(t.search_text, length(t.code) + 1) AS _search_tail "
            f"FROM {table} t WHERE t.state IN ({finals}) AND t.id <= {told}"
        )
    step_join = ""
    step_rn = ""
    if model is HandOver:
        step_join = f" LEFT JOIN {_stage(Step)} s ON s.id = t.step_id"
        step_rn = ", s._rn AS _step_rn"
    return (
        f"CREATE UNLOGGED TABLE {stage} AS SELECT t.*, "  # noqa: S608
        "(row_number() OVER (ORDER BY t.dossier_id, t.id) - 1) AS _rn, "
        f"d._rn AS _dossier_rn{step_rn} "
        f"FROM {table} t JOIN {_stage(Dossier)} d ON d.id = t.dossier_id{step_join}"
    )


def _insert_sql(model, plan: Plan, first: int, last: int) -> str:
    """One statement writing copies ``first`` … ``last`` of ``model``'s staged rows."""
    n = plan.counts
    values = []
    for f in model._meta.concrete_fields:
        column = f.column
        if column == "id":
            value = f"{plan.bases[model]} + k * {n[model]} + _rn"
        elif column == "dossier_id" and model is not Dossier:
            value = f"{plan.bases[Dossier]} + k * {n[Dossier]} + _dossier_rn"
        elif model is HandOver and column == "step_id":
            value = f"{plan.bases[Step]} + k * {n[Step]} + _step_rn"  # NULL stays NULL
        elif model is Dossier and column == "code":
            value = "_code"
        elif model is Dossier and column == "search_text":
            value = "lower(_code) || _search_tail"
        elif isinstance(f, models.DateTimeField):
            value = f'"{column}" - _back'
        else:
            value = f'"{column}"'
        values.append(value)
    # each copy's shift (whole weeks back, a period a year) and lane, computed once a copy
    copies = (
        f"(SELECT k, make_interval(days => {plan.week_days} * (k / {plan.lanes} + 1)) AS _back, "  # noqa: S608
        f"{plan.week_days} * (k / {plan.lanes} + 1) AS _back_days, "
        f"{plan.lane_step} * (k % {plan.lanes} + 1) AS _lane "
        f"FROM generate_series({first}, {last}) k) g"
    )
    source = f"{_stage(model)} s CROSS JOIN {copies}"
    if model is Dossier:
        source = (
            "(SELECT s.*, g.*, s._agency || '-' || to_char(s._day - _back_days, 'YYMMDD') || '-' "  # noqa: S608
            f"|| to_char(s._number + _lane, 'FM0000') AS _code FROM {source}) c"
        )
    names = ", ".join(f'"{c}"' for c in _columns(model))
    return f"INSERT INTO {_table(model)} ({names}) SELECT {', '.join(values)} FROM {source}"  # noqa: S608


def _reserve(cursor, model, count: int) -> int:
    """The first of ``count`` consecutive ids taken from ``model``'s sequence."""
    table = _table(model)
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


@dataclass
class Rebuilt:
    """An index dropped before copying: how to drop it, build it again, and (a constraint's)
    attach it to its constraint once built."""

    table: str
    drop: str
    build: str
    attach: str | None = None

    @property
    def gin(self) -> bool:
        return " USING gin " in self.build


def _dropped_structures(cursor, rows: dict[str, int]) -> list[Rebuilt]:
    """Every index of the copied tables but the referenced primary keys (dropping one would drop
    the foreign keys pointing at it, and adding those back checks every row again): kept while
    copying, a primary key's index costs as much as the row it points at. In building order,
    longest first so the connections finish together: the trigram (GIN) indexes, then by the
    table's ``rows``."""
    tables = list(rows)
    cursor.execute(
        "SELECT i.indexname, i.indexdef, i.tablename FROM pg_indexes i WHERE i.tablename = ANY(%s) "
        "AND i.indexname NOT IN (SELECT conname FROM pg_constraint "
        "WHERE conrelid::regclass::text = ANY(%s))",
        [tables, tables],
    )
    dropped = [
        Rebuilt(table, f'DROP INDEX IF EXISTS "{name}"', definition)
        for name, definition, table in cursor
    ]
    # unique constraints and unreferenced primary keys: their index is built like any other
    # (beside the others, where ``ADD CONSTRAINT`` would lock the table), then attached
    cursor.execute(
        "SELECT c.conname, c.conrelid::regclass::text, pg_get_indexdef(c.conindid), "
        "CASE c.contype WHEN 'p' THEN 'PRIMARY KEY' ELSE 'UNIQUE' END FROM pg_constraint c "
        "WHERE c.conrelid::regclass::text = ANY(%s) AND (c.contype = 'u' OR c.contype = 'p' AND "
        "NOT EXISTS (SELECT 1 FROM pg_constraint f WHERE f.contype = 'f' "
        "AND f.confrelid = c.conrelid))",
        [tables],
    )
    dropped += [
        Rebuilt(
            table,
            f'ALTER TABLE {table} DROP CONSTRAINT "{name}"',
            definition,
            f'ALTER TABLE {table} ADD CONSTRAINT "{name}" {kind} USING INDEX "{name}"',
        )
        for name, table, definition, kind in cursor
    ]
    return sorted(dropped, key=lambda index: (not index.gin, -rows[index.table]))


def _prepare(cursor) -> None:
    cursor.execute("SET TIME ZONE 'UTC'")
    cursor.execute("SET synchronous_commit = off")
    cursor.execute("SET jit = off")  # plain scans: compiling costs more than it saves
    cursor.execute("SET maintenance_work_mem = '512MB'")
    cursor.execute("SET session_replication_role = replica")


class _Workers:
    """``count`` connections of their own, each running statements in its own transaction (a
    thread per connection: the work is the server's), or the caller's cursor alone when the
    caller is inside a transaction (the other connections could not see its rows)."""

    def __init__(self, count: int, cursor):
        self.cursor = cursor
        self.count = count if not connection.in_atomic_block else 1
        self.local = threading.local()
        self.connections = []
        self.lock = threading.Lock()
        self.pool = ThreadPoolExecutor(self.count) if self.count > 1 else None

    def _cursor(self):
        if self.count == 1:
            return self.cursor
        cursor = getattr(self.local, "cursor", None)
        if cursor is None:
            params = connection.get_connection_params()
            conn = psycopg.connect(**params, autocommit=True)
            with self.lock:
                self.connections.append(conn)
            cursor = self.local.cursor = conn.cursor()
            _prepare(cursor)
        return cursor

    def pids(self) -> list[int]:
        if self.count == 1:
            self.cursor.execute("SELECT pg_backend_pid()")
            return [self.cursor.fetchone()[0]]
        return [c.info.backend_pid for c in self.connections]

    def run(self, statements, done=None) -> None:
        """Run ``statements`` ([(sql, tag)]), calling ``done(tag)`` in this thread as each ends."""
        if self.count == 1:
            for sql, tag in statements:
                self.cursor.execute(sql)
                if done:
                    done(tag)
            return
        futures = [(self.pool.submit(self._execute, sql), tag) for sql, tag in statements]
        for future, tag in futures:
            future.result()
            if done:
                done(tag)

    def _execute(self, sql: str) -> None:
        self._cursor().execute(sql)

    def cpu(self) -> dict[int, float | None]:
        """CPU seconds used so far by each of the connections' backends."""
        return {pid: _backend_cpu(pid) for pid in self.pids()}

    def close(self) -> None:
        if self.pool:
            self.pool.shutdown()
        for conn in self.connections:
            conn.close()


def _plan(cursor, copies: int, lanes: int, week_days: int) -> Plan:
    """Stage the told closed rows, check their codes leave room for the lanes, reserve ids.
    A dossier filed more than a period (and a week's slack for stories begun before the told
    period) before the newest is a copy already made: copying again would re-use its codes."""
    cursor.execute(f"SELECT coalesce(max(id), 0), max(filed_at) FROM {_table(Dossier)}")  # noqa: S608
    told, newest = cursor.fetchone()
    if newest is not None:
        cursor.execute(
            f"SELECT EXISTS (SELECT 1 FROM {_table(Dossier)} "  # noqa: S608
            f"WHERE filed_at < %s - make_interval(days => {week_days + 7}))",
            [newest],
        )
        if cursor.fetchone()[0]:
            raise ValueError(
                "the database already holds history before the told period: copy from a "
                "database holding only the told period (CREATE DATABASE … TEMPLATE)"
            )
    plan = Plan(copies=copies, lanes=lanes, week_days=week_days)
    try:
        _stage_rows(cursor, plan, told)
    except BaseException:
        _drop_stages(cursor)
        raise
    with transaction.atomic():
        for model in TABLES:
            plan.bases[model] = _reserve(cursor, model, plan.counts[model] * copies)
    return plan


def _drop_stages(cursor) -> None:
    for model in TABLES:
        cursor.execute(f"DROP TABLE IF EXISTS {_stage(model)}")


def _stage_rows(cursor, plan: Plan, told: int) -> None:
    for model in TABLES:
        cursor.execute(f"DROP TABLE IF EXISTS {_stage(model)}")
        cursor.execute(_staging_sql(model, told))
        plan.counts[model] = cursor.rowcount
    cursor.execute(
        f"SELECT count(*) FILTER (WHERE _day IS NULL), coalesce(max(_day) - min(_day) + 1, 0) "  # noqa: S608
        f"FROM {_stage(Dossier)}"
    )
    uncoded, told_days = cursor.fetchone()
    if uncoded:
        raise ValueError(f"{uncoded} told codes are not <agency>-YYMMDD-NNNN")
    # A period back is at least as long as the told codes' days (stories begun in the slack
    # before the told period included), or two periods' copies would share a day and a lane.
    plan.week_days = max(plan.week_days, 7 * -(-told_days // 7))
    # The busiest day of every dossier already here, not only the told closed ones: lanes start
    # one step above it, so a copy never takes the code of a dossier filed on its new day (the
    # stories begun in the week's slack before the told period, open ones included).
    cursor.execute(
        rf"SELECT coalesce(max(substring(code FROM '-(\d+)$')::int), 0) FROM {_table(Dossier)}"  # noqa: S608
    )
    busiest = cursor.fetchone()[0]
    plan.lane_step = 10 ** len(str(busiest))
    if (plan.lanes + 1) * plan.lane_step > MAX_SEQUENCE + 1:
        raise ValueError(
            f"a day numbers {busiest} dossiers: at most "
            f"{(MAX_SEQUENCE + 1) // plan.lane_step - 1} copies a year"
        )


def copy_history(
    copies: int, span_days: int, progress=None, *, years: int | None = None, workers: int = WORKERS
) -> Copied:
    """Copy the told closed dossiers ``copies`` times into the ``years`` (default ``copies``)
    periods of ``span_days`` (rounded up to whole weeks) before the told period, on ``workers``
    connections (one inside the caller's transaction). PostgreSQL only; the connection's role
    must be a superuser (foreign-key triggers are skipped)."""
    if connection.vendor != "postgresql":
        raise ValueError("copying history needs PostgreSQL")
    years = years or copies
    lanes = math.ceil(copies / years)
    started = time.perf_counter()
    done = Copied()
    with connection.cursor() as wrapper:
        cursor = wrapper.cursor
        cursor.execute("SET TIME ZONE 'UTC'")
        cursor.execute("SET synchronous_commit = off")
        plan = _plan(cursor, copies, lanes, 7 * -(-span_days // 7))
        done.lane_step, done.week_days = plan.lane_step, plan.week_days
        pool = _Workers(workers, cursor)
        done.workers = pool.count
        cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")  # the told rows' pending checks first
        rows = {_table(m): plan.counts[m] * (copies + 1) for m in TABLES}
        dropped = _dropped_structures(cursor, rows)
        for index in dropped:
            cursor.execute(index.drop)
        _prepare(cursor)
        cpu, before = time.process_time(), pool.cpu()
        try:
            _copy(pool, plan, done, progress)
            after = pool.cpu()
            if None not in after.values() and None not in before.values():
                server = sum(after.values()) - sum(before.values())
                done.copy_cpu_seconds = time.process_time() - cpu + server
        finally:
            done.copy_seconds = time.perf_counter() - started
            pool.run([(index.build, None) for index in dropped])
            for index in dropped:
                if index.attach:
                    cursor.execute(index.attach)
            pool.close()
            for setting in ("session_replication_role", "jit", "maintenance_work_mem"):
                cursor.execute(f"RESET {setting}")
            _drop_stages(cursor)
            done.index_seconds = time.perf_counter() - started - done.copy_seconds
    done.seconds = time.perf_counter() - started
    return done


def _copy(pool: _Workers, plan: Plan, done: Copied, progress) -> None:
    """Every table's copies in batches of whole copies, a batch's tables before the next batch's
    (so progress is told by whole copies), the connections taking statements in turn."""
    largest = max(plan.counts.values())
    per_batch = max(1, min(plan.copies, BATCH_ROWS // max(largest, 1)))
    statements = []
    remaining = {}
    for first in range(0, plan.copies, per_batch):
        last = min(first + per_batch, plan.copies) - 1
        remaining[last] = len(TABLES)
        statements += [(_insert_sql(m, plan, first, last), (m, first, last)) for m in TABLES]
    per_copy_rows = sum(plan.counts.values())

    def finished(tag) -> None:
        model, first, last = tag
        remaining[last] -= 1
        if remaining[last] == 0:
            done.dossiers += plan.counts[Dossier] * (last - first + 1)
            done.rows += per_copy_rows * (last - first + 1)
            if progress:
                progress(last + 1, done)

    pool.run(statements, finished)
