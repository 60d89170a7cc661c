"""`manage.py status`: the parts /healthz does not see (broker, workers, periodic jobs)."""

from __future__ import annotations

import logging
import os
import time
from collections.abc import Iterator

import pytest
from celery import Celery
from celery.contrib.testing.worker import start_worker
from django.core.cache import cache
from django.core.management import CommandError, call_command
from django.test import override_settings

from config.celery import app as project_app
from mooc.core import status
from mooc.core.periodic import JOBS

REDIS_URL = os.environ.get("REDIS_URL", "")
needs_redis = pytest.mark.skipif(not REDIS_URL, reason="needs Redis (REDIS_URL)")

pytestmark = pytest.mark.django_db


def _job(name: str):  # type: ignore[no-untyped-def]
    return next(job for job in JOBS if job.name == name)


@pytest.fixture(autouse=True)
def _no_job_records() -> Iterator[None]:
    for job in JOBS:
        cache.delete(status.finished_key(job))
    yield
    for job in JOBS:
        cache.delete(status.finished_key(job))


def test_a_periodic_job_records_when_it_finished() -> None:
    before = time.time()
    call_command("run_periodic_jobs", job=["clear-expired-sessions"], force=True)
    recorded = cache.get(status.finished_key(_job("clear-expired-sessions")))
    assert recorded is not None and recorded >= before


def test_all_jobs_recent_passes_and_prints_a_line_per_part(capsys) -> None:  # type: ignore[no-untyped-def]
    call_command("run_periodic_jobs", force=True)

    call_command("status")

    out = capsys.readouterr().out
    assert "database: ok" in out
    assert "cache: ok" in out
    for job in JOBS:
        assert f"job {job.name}: ok (last finished" in out
    assert out.rstrip().endswith("status: ok")


def test_a_late_job_fails_with_its_own_line(capsys) -> None:  # type: ignore[no-untyped-def]
    call_command("run_periodic_jobs", force=True)
    grading = _job("grade-expired-attempts")
    cache.set(status.finished_key(grading), time.time() - 3600, timeout=None)

    with pytest.raises(CommandError, match=r"failed: job grade-expired-attempts$"):
        call_command("status")

    out = capsys.readouterr().out
    assert "job grade-expired-attempts: FAILED (last finished 60 min ago, every 60 s:" in out
    assert "mooc-beat" in out
    assert "job clear-expired-sessions: ok" in out


def test_never_seen_fails_only_for_the_every_minute_jobs() -> None:
    checks = {check.part: check for check in status.check_periodic_jobs()}
    assert not checks["job grade-expired-attempts"].ok
    assert not checks["job number-pending-certificates"].ok
    # Hourly jobs may simply not have run yet since a Redis restart.
    assert checks["job clear-expired-sessions"].ok
    assert checks["job clear-expired-sessions"].detail.startswith("not seen yet")


def test_an_unreachable_broker_fails_and_the_workers_are_not_asked() -> None:
    app = Celery("status-test", broker="redis://127.0.0.1:1/0", set_as_current=False)
    broker = status.check_broker(app, timeout=1)
    assert not broker.ok
    assert broker.line().startswith("broker: FAILED (")


@pytest.fixture
def redis_app() -> Iterator[Celery]:
    # Its own control exchange and queue: other workers on this Redis must not answer.
    # No Django fixup: the embedded worker runs in this process, and the fixup's
    # worker-start hook would close the test's own database connection.
    app = Celery("status-test", broker=REDIS_URL, set_as_current=False, fixups=[])
    app.conf.control_exchange = f"status-test-{os.getpid()}"
    app.conf.task_default_queue = f"status-test-{os.getpid()}"
    app.conf.worker_hijack_root_logger = False
    # start_worker sets up logging for its worker: the root logger's level becomes the
    # worker's ("error"), and later tests would capture no warning. Put it back.
    root = logging.getLogger()
    level, handlers = root.level, root.handlers[:]
    yield app
    app.close()
    root.setLevel(level)
    root.handlers[:] = handlers
    # start_worker makes its app the current and default one; shared tasks such as the
    # mail task must find the project's (eager in tests) again.
    project_app.set_current()
    project_app.set_default()


@needs_redis
def test_the_broker_answers_but_no_worker_does(redis_app: Celery) -> None:
    broker = status.check_broker(redis_app, timeout=2)
    assert broker.ok, broker.detail
    assert "redis://" in broker.detail

    workers = status.check_workers(redis_app, timeout=0.5)
    assert not workers.ok
    assert "no Celery worker answered a ping within 0.5 s" in workers.detail


@needs_redis
def test_a_running_worker_answers_the_ping(redis_app: Celery) -> None:
    with start_worker(redis_app, perform_ping_check=False, shutdown_timeout=20):
        # The embedded worker answers once its consumer is up: ask until it does
        # (at most ten times), as an operator would run `status` again.
        for _ in range(10):
            workers = status.check_workers(redis_app, timeout=2)
            if workers.ok:
                break
    assert workers.ok, workers.detail
    assert workers.detail.startswith("1 answered: ")


def test_a_dead_cache_fails_and_the_job_times_are_not_read(capsys) -> None:  # type: ignore[no-untyped-def]
    broken = {
        "default": {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": "redis://127.0.0.1:1/0",
            "OPTIONS": {"socket_connect_timeout": 0.5},
        }
    }
    with override_settings(CACHES=broken), pytest.raises(CommandError, match="cache"):
        call_command("status")
    out = capsys.readouterr().out
    assert "cache: FAILED (" in out
    assert "periodic jobs: FAILED (not read: the cache failed)" in out
