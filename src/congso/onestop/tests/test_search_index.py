"""PostgreSQL answers the queue's diacritic-insensitive search from the trigram index."""

from django.db import connection

from congso.accounts.models import User
from congso.onestop import queues
from congso.onestop.models import Dossier

INDEX = "onestop_dossier_search_trgm"


def _plan(queryset, *off: str) -> str:
    """The plan with reading the whole table (and ``off``, e.g. plain index scans) disabled."""
    sql, params = queryset.query.sql_with_params()
    with connection.cursor() as cursor:
        for method in ("seqscan", *off):
            cursor.execute(f"SET LOCAL enable_{method} = off")
        cursor.execute(f"EXPLAIN {sql}", params)
        return "\n".join(row[0] for row in cursor.fetchall())


def test_the_trigram_index_exists(require_postgres, db):
    with connection.cursor() as cursor:
        cursor.execute("SELECT indexdef FROM pg_indexes WHERE indexname = %s", [INDEX])
        [(definition,)] = cursor.fetchall()
    assert "gin" in definition and "search_text gin_trgm_ops" in definition


def test_the_queue_search_uses_it(require_postgres, demo):
    """The queue's search filters on the indexed column itself (folded text, ``LIKE``), which the
    trigram index answers. Whether the planner starts from the index or from the desk's access
    rows (``DossierAccess``) depends on the statistics of the moment — on the demo's few hundred
    dossiers autovacuum's last ANALYZE decides — so the plan of the queue query is not pinned;
    the predicate and the index serving it are."""
    desk = User.objects.get(username="motcua.nghiloc")
    searched = queues.search(queues.all_visible(desk), "nguyen thi mai")
    plan = _plan(searched)
    for word in ("nguyen", "thi", "mai"):
        assert f"search_text ~~ '%{word}%'::text" in plan, plan
    # unordered, and with the ordering indexes' full scans off, only the trigram index can answer
    plain = _plan(Dossier.objects.filter(search_text__contains="mai").order_by(), "indexscan")
    assert INDEX in plain and "Bitmap Index Scan" in plain, plain


def test_a_whole_code_is_found_by_its_unique_index(require_postgres, demo):
    """A code typed in any case is compared upper-cased with the column itself, which the unique
    index answers (``iexact`` compared ``UPPER(code)`` and read every dossier)."""
    plan = _plan(queues.search(Dossier.objects.order_by(), "000.22.29.h41-261203-0001"))
    assert "Index Scan using onestop_dossier_code" in plan and "upper" not in plan.lower(), plan
    assert "code)::text = '000.22.29.H41-261203-0001'" in plan, plan
