"""``check --deploy`` (and every process start) refuses a production without a public address,
a mail relay, files shared among its web nodes, or a singleton beat (issue 19, item 7)."""

import pytest

from congso.core.checks import deployment_problems
from congso.core.tests.test_fail_closed import production  # noqa: F401 - the fixture
from congso.core.tests.test_settings import _production, _run

pytestmark = pytest.mark.slow


def _ids(problems):
    return sorted((problem.id, problem.msg.split()[0]) for problem in problems)


def test_a_complete_production_has_no_problem(production):  # noqa: F811
    assert deployment_problems() == []


@pytest.mark.parametrize("url", ["", "http://127.0.0.1:8000", "https://localhost:8443"])
def test_public_url_missing_or_local(production, url):  # noqa: F811
    production.PUBLIC_URL = url
    assert _ids(deployment_problems()) == [("congso.E004", "CONGSO_PUBLIC_URL")]


def test_mail_relay_missing(production):  # noqa: F811
    production.EMAIL_HOST = ""
    assert _ids(deployment_problems()) == [("congso.E020", "CONGSO_EMAIL_HOST")]


@pytest.fixture
def several_nodes(production):  # noqa: F811
    """Several machines: the beat lock is shared (Redis), the files are the question."""
    production.CONGSO_BEAT_LOCK_URL = "redis://redis.example.vn:6379/0"
    return production


def test_local_files_with_several_web_nodes(several_nodes):
    several_nodes.CONGSO_WEB_NODES = 2
    several_nodes.CONGSO_MEDIA_SHARED = False
    assert _ids(deployment_problems()) == [("congso.E021", "CONGSO_WEB_NODES=2")]
    several_nodes.CONGSO_MEDIA_SHARED = True  # the operator declares a shared mount
    assert deployment_problems() == []


def test_object_storage_serves_several_web_nodes(several_nodes):
    """No E021 with an object store; E024 until it has a bucket (a bucket that answers or not:
    test_object_storage.py, against a real S3-protocol server)."""
    several_nodes.CONGSO_WEB_NODES = 3
    several_nodes.STORAGES = {
        **several_nodes.STORAGES,
        "default": {"BACKEND": "storages.backends.s3.S3Storage", "OPTIONS": {"bucket_name": ""}},
    }
    (problem,) = deployment_problems()
    assert problem.id == "congso.E024" and "CONGSO_S3_BUCKET" in problem.msg


def test_beat_without_the_singleton_scheduler(production):  # noqa: F811
    production.CELERY_BEAT_SCHEDULER = "celery.beat:PersistentScheduler"
    assert _ids(deployment_problems()) == [("congso.E022", "CELERY_BEAT_SCHEDULER")]


@pytest.mark.filterwarnings("ignore:Overriding setting DATABASES")
def test_beat_with_a_lock_of_one_machine(production):  # noqa: F811
    production.CONGSO_BEAT_LOCK = "file"
    production.DATABASES = {"default": {**production.DATABASES["default"]}}
    production.DATABASES["default"]["ENGINE"] = "django.db.backends.postgresql"
    assert _ids(deployment_problems()) == [("congso.E022", "CONGSO_BEAT_LOCK=file")]


def test_beat_with_a_redis_lock_and_no_redis(production):  # noqa: F811
    production.CONGSO_BEAT_LOCK = "redis"
    production.CONGSO_BEAT_LOCK_URL = ""
    production.CELERY_BROKER_URL = "amqp://rabbit"
    assert _ids(deployment_problems()) == [("congso.E022", "CONGSO_BEAT_LOCK=redis")]


def test_error_reporting_without_its_sdk(production, monkeypatch):  # noqa: F811
    import sys

    monkeypatch.setitem(sys.modules, "sentry_sdk", None)  # not installed
    production.CONGSO_SENTRY_DSN = "https://key@sentry.example.vn/3"
    assert _ids(deployment_problems()) == [("congso.E023", "CONGSO_SENTRY_DSN")]


def test_check_deploy_refuses_a_production_without_public_url_or_mail(tmp_path):
    result = _run(
        ["check", "--deploy"],
        **_production(tmp_path, CONGSO_PUBLIC_URL=None, CONGSO_EMAIL_HOST=None),
    )
    assert result.returncode != 0
    assert "congso.E004" in result.stderr and "congso.E020" in result.stderr


def test_a_web_node_refuses_to_start_with_local_files_on_two_nodes(tmp_path):
    result = _run([], code="import congso.wsgi", **_production(tmp_path, CONGSO_WEB_NODES="2"))
    assert result.returncode != 0
    assert "congso.E021" in result.stderr
