"""/healthz, /readyz and /metrics: answered before host checks and sessions, cheap, restricted
where they say anything about the platform (issue 19, item 4)."""

import json

import pytest

from congso.notify.services import notify
from congso.ops import health


@pytest.mark.django_db
def test_healthz_answers_any_host(client, settings):
    settings.ALLOWED_HOSTS = ["congso.example.vn"]
    response = client.get("/healthz", HTTP_HOST="10.0.0.5:8000")
    assert response.status_code == 200
    assert response.json() == {"status": "ok"}
    assert response["Cache-Control"] == "no-store"


@pytest.mark.django_db
def test_readyz_checks_every_dependency(client):
    response = client.get("/readyz")
    body = response.json()
    assert response.status_code == 200, body
    assert set(body["checks"]) == {"database", "migrations", "cache", "broker", "storage"}
    assert all(check["ok"] for check in body["checks"].values())


@pytest.mark.django_db
def test_readyz_is_503_when_a_dependency_fails(client, monkeypatch):
    def broken():
        raise ConnectionError("redis://secret-host:6379 refused")

    monkeypatch.setitem(health.CHECKS, "broker", broken)
    response = client.get("/readyz")
    assert response.status_code == 503
    body = response.json()
    assert body["checks"]["broker"] == {
        "ok": False,
        "ms": body["checks"]["broker"]["ms"],
        "error": "ConnectionError",
    }
    assert "secret-host" not in response.content.decode()  # no addresses in a public answer


@pytest.mark.django_db
def test_metrics_are_refused_to_strangers(client, settings):
    settings.CONGSO_METRICS_TOKEN = "metrics-token-" + "x" * 20
    settings.CONGSO_METRICS_ALLOWED_IPS = ["10.9.0.0/16"]
    assert client.get("/metrics", REMOTE_ADDR="203.0.113.9").status_code == 404
    wrong = client.get("/metrics", REMOTE_ADDR="203.0.113.9", HTTP_AUTHORIZATION="Bearer nope")
    assert wrong.status_code == 404
    by_token = client.get(
        "/metrics",
        REMOTE_ADDR="203.0.113.9",
        HTTP_AUTHORIZATION=f"Bearer {settings.CONGSO_METRICS_TOKEN}",
    )
    assert by_token.status_code == 200
    assert client.get("/metrics", REMOTE_ADDR="10.9.4.2").status_code == 200


@pytest.mark.django_db
def test_metrics_report_latency_by_view_and_the_outbox(client, settings):
    settings.CONGSO_METRICS_ALLOWED_IPS = ["127.0.0.1"]
    notify("co.ba@example.vn", "account.otp", {"code": "7"})
    notify("091 234 5678", "account.otp", {"code": "7"})
    client.get("/")
    text = client.get("/metrics", REMOTE_ADDR="127.0.0.1").content.decode()
    assert 'congso_request_duration_seconds_count{method="GET",view="portal:home"}' in text
    assert "congso_outbox_backlog 2.0" in text
    assert 'congso_queue_length{queue="celery"}' in text
    age = next(line for line in text.splitlines() if line.startswith("congso_outbox_oldest_age"))
    assert float(age.split()[1]) >= 0


@pytest.mark.django_db
def test_every_response_names_its_request(client):
    response = client.get("/", HTTP_X_REQUEST_ID="nginx-req-0123456789")
    assert response["X-Request-ID"] == "nginx-req-0123456789"
    forged = client.get("/", HTTP_X_REQUEST_ID="<script>")
    assert forged["X-Request-ID"] != "<script>" and len(forged["X-Request-ID"]) == 32


def test_json_log_lines_carry_the_request_id():
    import logging

    from congso.ops.logs import JsonFormatter, RequestIdFilter, request_id

    record = logging.LogRecord(
        "congso.test", logging.INFO, __file__, 1, "Đã gửi %s", ("thư",), None
    )
    with request_id("abcdef0123456789"):
        RequestIdFilter().filter(record)
    line = json.loads(JsonFormatter().format(record))
    assert line["message"] == "Đã gửi thư"
    assert line["request_id"] == "abcdef0123456789"
    assert line["level"] == "INFO"


def test_a_task_queued_by_a_request_logs_under_its_id():
    """The id travels in the message's headers and is the task's while it runs."""
    from types import SimpleNamespace

    from congso.ops import logs

    headers = {}
    with logs.request_id("req-0123456789abcdef"):
        logs._send_request_id(headers=headers)
    assert headers == {logs.HEADER: "req-0123456789abcdef"}
    task = SimpleNamespace(request=SimpleNamespace(**headers))
    logs._adopt_request_id(task_id="t1", task=task)
    assert logs.current_request_id() == "req-0123456789abcdef"
    logs._drop_request_id(task_id="t1")
    assert logs.current_request_id() == "-"
    logs._adopt_request_id(task_id="t2", task=SimpleNamespace(request=SimpleNamespace()))
    assert logs.current_request_id() == "task-t2"  # a scheduled job has its own
    logs._drop_request_id(task_id="t2")
