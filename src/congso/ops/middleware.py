"""The first middleware: a request id for the logs, latency for the metrics, and the operations
endpoints answered before host checks, HTTPS redirects and sessions (a load balancer probes
``http://10.0.0.5:8000/readyz`` with no public host name)."""

import time

from django.conf import settings

from . import health, logs, metrics, router

ENDPOINTS = {"/healthz": health.healthz, "/readyz": health.readyz, "/metrics": metrics.metrics}


class OperationsMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        with logs.request_id(logs.new_request_id(request.headers.get("X-Request-ID"))) as rid:
            endpoint = ENDPOINTS.get(request.path_info)
            if endpoint is not None and request.method in ("GET", "HEAD"):
                response = endpoint(request)
            else:
                started = time.perf_counter()
                replica_reader = _reads_from_replica(request)
                with router.reading_from_replica(replica_reader):
                    response = self.get_response(request)
                if replica_reader and router.REPLICA in settings.DATABASES:
                    # Which copy the reports read (the lag limit decides): for the operator.
                    response["X-Congso-Read-From"] = router.source()
                metrics.observe(request, response, time.perf_counter() - started)
            response["X-Request-ID"] = rid
        return response


def _reads_from_replica(request) -> bool:
    return request.method in ("GET", "HEAD") and request.path_info.startswith(
        tuple(settings.CONGSO_REPLICA_PATHS)
    )
