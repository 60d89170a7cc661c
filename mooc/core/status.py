"""What `manage.py status` checks: the parts `/healthz` does not see.

`/healthz` answers for the web process (database and cache). The Celery worker and
beat can be down while it stays green: mail then waits in Redis, and expired exam
attempts are not graded. These checks look at the broker, ask the workers for a ping,
and read when each periodic job last finished (recorded by `record_job_finished`, a
Celery signal, whether the job was queued by beat or run by `run_periodic_jobs`).
"""

from __future__ import annotations

import logging
import math
import time
from dataclasses import dataclass
from typing import Any

from celery import Celery
from django.core.cache import cache
from django.db import connection

from mooc.core.periodic import JOBS, PeriodicJob

logger = logging.getLogger(__name__)

# A job is late when it has not finished for twice its interval plus this.
LATE_GRACE_SECONDS = 300


@dataclass(frozen=True)
class Check:
    part: str
    ok: bool
    detail: str

    def line(self) -> str:
        return f"{self.part}: {'ok' if self.ok else 'FAILED'} ({self.detail})"


def finished_key(job: PeriodicJob) -> str:
    return f"periodic:finished:{job.name}"


def record_job_finished(sender: Any = None, **kwargs: Any) -> None:
    """Celery's task_success signal: note when a periodic job last finished."""
    name = getattr(sender, "name", None)
    for job in JOBS:
        if job.task == name:
            try:
                cache.set(
                    finished_key(job), time.time(), timeout=max(7 * 86400, 4 * job.every_seconds)
                )
            except Exception:  # the job itself succeeded; the record is only for monitoring
                logger.exception("could not record the finish of periodic job %s", job.name)


def _ago(seconds: float) -> str:
    seconds = max(0, round(seconds))
    if seconds < 120:
        return f"{seconds} s"
    if seconds < 7200:
        return f"{seconds // 60} min"
    return f"{seconds // 3600} h"


def check_database() -> Check:
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
            cursor.fetchone()
    except Exception as exc:  # noqa: BLE001 (any failure is this part's failure)
        return Check("database", False, f"{type(exc).__name__}: {exc}".strip())
    return Check("database", True, connection.vendor)


def check_cache() -> Check:
    try:
        cache.set("status-check", "ok", timeout=10)
        if cache.get("status-check") != "ok":
            return Check("cache", False, "a value written could not be read back")
    except Exception as exc:  # noqa: BLE001 (any failure is this part's failure)
        return Check("cache", False, f"{type(exc).__name__}: {exc}".strip())
    return Check("cache", True, "a value written was read back")


def uses_broker(app: Celery) -> bool:
    """False without REDIS_URL: tasks then run inside the process that queues them."""
    return not app.conf.task_always_eager


def check_broker(app: Celery, timeout: float) -> Check:
    try:
        with app.connection_for_write() as conn:
            uri = conn.as_uri()  # the password is masked
            conn.ensure_connection(max_retries=1, interval_start=0, timeout=math.ceil(timeout))
    except Exception as exc:  # noqa: BLE001 (any failure is this part's failure)
        return Check("broker", False, f"{type(exc).__name__}: {exc}".strip())
    return Check("broker", True, uri)


def check_workers(app: Celery, timeout: float) -> Check:
    try:
        replies = app.control.ping(timeout=timeout) or []
    except Exception as exc:  # noqa: BLE001 (any failure is this part's failure)
        return Check("workers", False, f"{type(exc).__name__}: {exc}".strip())
    names = sorted(name for reply in replies for name in reply)
    if not names:
        return Check(
            "workers",
            False,
            f"no Celery worker answered a ping within {timeout:g} s: is mooc-worker running?",
        )
    return Check("workers", True, f"{len(names)} answered: {', '.join(names)}")


def check_periodic_jobs(now: float | None = None) -> list[Check]:
    """One check per job: when it last finished, against its interval.

    A job never seen fails only when it runs every few minutes (it should have been
    seen by now); the record lives in the cache, so after a Redis restart an hourly
    job is "not seen yet" until it runs again.
    """
    now = time.time() if now is None else now
    checks = []
    for job in JOBS:
        part = f"job {job.name}"
        every = f"every {_ago(job.every_seconds)}"
        try:
            last = cache.get(finished_key(job))
        except Exception as exc:  # noqa: BLE001 (any failure is this part's failure)
            checks.append(Check(part, False, f"{type(exc).__name__}: {exc}".strip()))
            continue
        limit = 2 * job.every_seconds + LATE_GRACE_SECONDS
        if last is None:
            ok = job.every_seconds > LATE_GRACE_SECONDS
            detail = f"not seen yet, {every}"
            if not ok:
                detail += ": is mooc-beat (or the cron line) running, and mooc-worker?"
            checks.append(Check(part, ok, detail))
            continue
        age = now - float(last)
        if age > limit:
            checks.append(
                Check(
                    part,
                    False,
                    f"last finished {_ago(age)} ago, {every}: "
                    "is mooc-beat (or the cron line) running, and mooc-worker?",
                )
            )
        else:
            checks.append(Check(part, True, f"last finished {_ago(age)} ago, {every}"))
    return checks
