"""The one list of periodic jobs.

Celery beat reads it (settings.CELERY_BEAT_SCHEDULE) and so does
`manage.py run_periodic_jobs`, for deployments that run cron instead of beat.
Apps add their jobs here; this module must not import Django models, since
settings import it.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any


@dataclass(frozen=True)
class PeriodicJob:
    name: str
    task: str
    every_seconds: int


JOBS: tuple[PeriodicJob, ...] = (
    PeriodicJob("clear-expired-sessions", "mooc.core.tasks.clear_expired_sessions", 3600),
    PeriodicJob(
        "purge-unactivated-accounts", "mooc.accounts.tasks.purge_unactivated_accounts", 6 * 3600
    ),
    PeriodicJob("grade-expired-attempts", "mooc.exams.tasks.grade_expired_attempts", 60),
    PeriodicJob(
        "number-pending-certificates", "mooc.certificates.tasks.number_pending_certificates", 60
    ),
    # Retention (UU PDP; docs/security.md, "Record of processing").
    PeriodicJob(
        "purge-expired-account-tokens", "mooc.privacy.tasks.purge_expired_account_tokens", 6 * 3600
    ),
    PeriodicJob("purge-expired-captchas", "mooc.privacy.tasks.purge_expired_captchas", 3600),
    PeriodicJob(
        "purge-expired-data-exports", "mooc.privacy.tasks.purge_expired_data_exports", 3600
    ),
)


def beat_schedule() -> dict[str, dict[str, Any]]:
    return {job.name: {"task": job.task, "schedule": float(job.every_seconds)} for job in JOBS}
