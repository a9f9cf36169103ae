"""Prometheus metrics at ``/metrics`` (a bearer token, or a client address listed in
``CONGSO_METRICS_ALLOWED_IPS``; anyone else gets a 404).

Per process (each web process is its own scrape target, ``python -m congso web`` runs one):
request latency and count by view, dossiers received and finished. Read at scrape time from the
shared systems: the job queue's length, the outbox's backlog and the age of its oldest message,
the replica's lag.
"""

import hmac
import ipaddress
import logging

from django.conf import settings
from django.http import HttpResponse, HttpResponseNotFound
from django.utils import timezone
from prometheus_client import CONTENT_TYPE_LATEST, REGISTRY, Counter, Histogram, generate_latest
from prometheus_client.core import GaugeMetricFamily

from congso.core.middleware import client_ip

from . import router

logger = logging.getLogger(__name__)

REQUEST_SECONDS = Histogram(
    "congso_request_duration_seconds",
    "Thời gian xử lý yêu cầu, theo view",
    ["view", "method"],
    buckets=(0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10),
)
REQUESTS = Counter("congso_requests", "Số yêu cầu, theo view và nhóm mã trả về", ["view", "status"])
DOSSIERS_RECEIVED = Counter("congso_dossiers_received", "Hồ sơ đã tiếp nhận")
DOSSIERS_FINISHED = Counter("congso_dossiers_finished", "Hồ sơ đã kết thúc", ["state"])
#: The transitions after which a dossier counts as received (lifecycle names).
RECEIVING = frozenset({"receive", "accept"})


def view_name(request) -> str:
    match = getattr(request, "resolver_match", None)
    if match is None:
        return "<unresolved>"
    return match.view_name or match.route or "<unnamed>"


def observe(request, response, seconds: float) -> None:
    view = view_name(request)
    REQUEST_SECONDS.labels(view, request.method).observe(seconds)
    REQUESTS.labels(view, f"{response.status_code // 100}xx").inc()


def _on_dossier_changed(sender, dossier=None, transition="", to_state="", **kwargs):
    from congso.onestop.lifecycle import FINAL_STATES

    if transition in RECEIVING:
        DOSSIERS_RECEIVED.inc()
    if to_state in FINAL_STATES:
        DOSSIERS_FINISHED.labels(str(to_state)).inc()


def count_dossiers() -> None:
    from congso.onestop.signals import dossier_changed

    dossier_changed.connect(_on_dossier_changed, dispatch_uid="ops-count-dossiers")


def _queue_length(queue: str) -> int:
    from congso.celery import app

    with app.connection_for_read() as connection:
        connection.ensure_connection(max_retries=1, timeout=3)
        try:
            declared = connection.default_channel.queue_declare(queue=queue, passive=True)
        except Exception as missing:
            if getattr(missing, "code", None) == 404:  # Redis: an empty queue has no key
                return 0
            raise
        return declared.message_count


class PlatformCollector:
    """Figures read from the shared systems when Prometheus scrapes."""

    def describe(self):
        """The names, without reading anything (``REGISTRY.register`` asks at start-up)."""
        return [
            GaugeMetricFamily(name, "")
            for name in (
                "congso_queue_length",
                "congso_outbox_backlog",
                "congso_outbox_oldest_age_seconds",
                "congso_replica_lag_seconds",
            )
        ]

    def collect(self):
        yield from self._queues()
        yield from self._outbox()
        lag = router.replica_lag()
        if lag is not None:
            gauge = GaugeMetricFamily("congso_replica_lag_seconds", "Độ trễ của bản sao CSDL")
            gauge.add_metric([], lag)
            yield gauge

    def _queues(self):
        from congso.celery import app

        gauge = GaugeMetricFamily("congso_queue_length", "Việc nền đang chờ", labels=["queue"])
        queue = app.conf.task_default_queue
        try:
            gauge.add_metric([queue], _queue_length(queue))
        except Exception:  # noqa: BLE001 - an unreachable broker is /readyz's to report
            logger.warning("metrics: queue length unavailable", exc_info=True)
            return
        yield gauge

    def _outbox(self):
        from congso.notify.services import backlog

        count, oldest = backlog()
        pending = GaugeMetricFamily("congso_outbox_backlog", "Thông báo chưa gửi")
        pending.add_metric([], count)
        age = GaugeMetricFamily("congso_outbox_oldest_age_seconds", "Tuổi thông báo chờ lâu nhất")
        age.add_metric([], (timezone.now() - oldest).total_seconds() if oldest else 0)
        yield pending
        yield age


_collector = PlatformCollector()
REGISTRY.register(_collector)


def _allowed(request) -> bool:
    token = settings.CONGSO_METRICS_TOKEN
    offered = request.headers.get("Authorization", "")
    if token and hmac.compare_digest(offered.encode(), f"Bearer {token}".encode()):
        return True
    address = client_ip(request)
    if not address or not settings.CONGSO_METRICS_ALLOWED_IPS:
        return False
    try:
        ip = ipaddress.ip_address(address)
    except ValueError:
        return False
    return any(
        ip in ipaddress.ip_network(allowed, strict=False)
        for allowed in settings.CONGSO_METRICS_ALLOWED_IPS
    )


def metrics(request):
    if not _allowed(request):
        return HttpResponseNotFound()
    response = HttpResponse(generate_latest(REGISTRY), content_type=CONTENT_TYPE_LATEST)
    response["Cache-Control"] = "no-store"
    return response
