from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from config.celery import app as celery_app
from mooc.core.periodic import JOBS


class Command(BaseCommand):
    help = "Run every periodic job once, in this process (for deployments without Celery beat)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--job", action="append", help="Run only this job (repeatable).")

    def handle(self, *args: Any, **options: Any) -> None:
        wanted = set(options["job"] or [])
        unknown = wanted - {job.name for job in JOBS}
        if unknown:
            raise CommandError(f"Unknown job(s): {', '.join(sorted(unknown))}")
        celery_app.loader.import_default_modules()
        for job in JOBS:
            if wanted and job.name not in wanted:
                continue
            result = celery_app.tasks[job.task].apply()
            if result.failed():
                raise CommandError(f"{job.name} failed: {result.result!r}")
            self.stdout.write(f"{job.name}: ok")
