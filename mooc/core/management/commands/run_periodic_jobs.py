from __future__ import annotations

import time
from typing import Any

from django.core.cache import cache
from django.core.management.base import BaseCommand, CommandError, CommandParser

from config.celery import app as celery_app
from mooc.core.periodic import JOBS, PeriodicJob


def _last_run_key(job: PeriodicJob) -> str:
    return f"periodic:last-run:{job.name}"


class Command(BaseCommand):
    help = (
        "Run the periodic jobs that are due, in this process: for deployments without Celery "
        "beat, run it from cron every minute. Each job runs at most once per its interval."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--job", action="append", help="Only this job (repeatable).")
        parser.add_argument("--force", action="store_true", help="Run even if not yet due.")

    def handle(self, *args: Any, **options: Any) -> None:
        wanted = set(options["job"] or [])
        unknown = wanted - {job.name for job in JOBS}
        if unknown:
            raise CommandError(f"Unknown job(s): {', '.join(sorted(unknown))}")
        celery_app.loader.import_default_modules()
        for job in JOBS:
            if wanted and job.name not in wanted:
                continue
            self._run(job, force=options["force"])

    def _run(self, job: PeriodicJob, *, force: bool) -> None:
        now = time.time()
        last = cache.get(_last_run_key(job))
        if not force and last is not None and now - float(last) < job.every_seconds - 5:
            self.stdout.write(f"{job.name}: not due")
            return
        # The lock keeps two overlapping cron runs (or servers) from running a job twice.
        lock = f"periodic:lock:{job.name}"
        if not cache.add(lock, now, timeout=max(job.every_seconds, 60)):
            self.stdout.write(f"{job.name}: already running")
            return
        try:
            result = celery_app.tasks[job.task].apply()
            if result.failed():
                raise CommandError(f"{job.name} failed: {result.result!r}")
            cache.set(_last_run_key(job), now, timeout=job.every_seconds * 4)
            self.stdout.write(f"{job.name}: ok")
        finally:
            cache.delete(lock)
