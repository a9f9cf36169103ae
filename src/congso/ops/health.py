"""``/healthz`` (the process answers) and ``/readyz`` (it can serve: database, cache, broker,
storage, migrations applied; the replica's lag reported), for the reverse proxy, the load balancer
and orchestrators. Public and cheap: no names, addresses or error texts in the answer."""

import time

from django.http import JsonResponse

from . import router


def healthz(request):
    return _json({"status": "ok"}, 200)


def _database():
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute("SELECT 1")


_migrated = {"done": False}


def _migrations():
    """Every migration this code knows is applied (once true, stays true for this process)."""
    if _migrated["done"]:
        return
    from django.db import connection
    from django.db.migrations.executor import MigrationExecutor

    executor = MigrationExecutor(connection)
    if executor.migration_plan(executor.loader.graph.leaf_nodes()):
        raise RuntimeError("migrations not applied")
    _migrated["done"] = True


def _cache():
    from django.core.cache import cache

    cache.set("ops:readyz", "1", 30)
    if cache.get("ops:readyz") != "1":
        raise RuntimeError("cache does not keep values")


def _broker():
    from congso.celery import app

    with app.connection_for_write() as connection:
        connection.ensure_connection(max_retries=1, timeout=3)


def reach_storage() -> None:
    """Raise unless the file store answers, without writing on every probe. An object store's
    bucket is asked for itself (a HEAD of one missing object answers "not found" for a missing
    bucket too); a folder is asked for one name."""
    from django.core.files.storage import default_storage

    bucket = getattr(default_storage, "bucket_name", None)  # django-storages' S3 backend
    if bucket:
        default_storage.connection.meta.client.head_bucket(Bucket=bucket)
    else:
        default_storage.exists("ops/readyz")


CHECKS = {
    "database": _database,
    "migrations": _migrations,
    "cache": _cache,
    "broker": _broker,
    "storage": reach_storage,
}


def readiness() -> tuple[bool, dict]:
    results, ready = {}, True
    for name, check in CHECKS.items():
        started = time.perf_counter()
        try:
            check()
            ok, error = True, None
        except Exception as problem:  # noqa: BLE001 - any failure is "not ready"
            ok, error = False, type(problem).__name__
        ready &= ok
        results[name] = {"ok": ok, "ms": round((time.perf_counter() - started) * 1000, 1)}
        if error:
            results[name]["error"] = error
    from django.conf import settings

    if router.REPLICA in settings.DATABASES:
        lag = router.replica_lag()
        # A stale replica does not make the node unready: the router reads the primary instead.
        results["replica"] = {"ok": router.replica_is_fresh(), "lag_seconds": lag}
    return ready, results


def readyz(request):
    ready, results = readiness()
    return _json(
        {"status": "ready" if ready else "not ready", "checks": results}, 200 if ready else 503
    )


def _json(body: dict, status: int) -> JsonResponse:
    response = JsonResponse(body, status=status)
    response["Cache-Control"] = "no-store"
    return response
