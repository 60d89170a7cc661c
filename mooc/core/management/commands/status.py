from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from config.celery import app as celery_app
from mooc.core import status


class Command(BaseCommand):
    help = (
        "Check every part the site needs, /healthz's and the rest: database, cache, the "
        "Celery broker, that a worker answers a ping, and when each periodic job last "
        "finished. One line per part; exits 1 when any part failed (for monitoring)."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--timeout",
            type=float,
            default=5.0,
            help="Seconds to wait for the broker and for the workers' answers (default 5).",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        timeout: float = options["timeout"]
        cache = status.check_cache()
        checks = [status.check_database(), cache]
        if status.uses_broker(celery_app):
            broker = status.check_broker(celery_app, timeout)
            checks.append(broker)
            if broker.ok:
                checks.append(status.check_workers(celery_app, timeout))
            else:
                checks.append(status.Check("workers", False, "not asked: no broker"))
        else:
            self.stdout.write(
                "broker, workers: not used (no REDIS_URL: tasks run in the process that "
                "queues them)"
            )
        if cache.ok:
            checks += status.check_periodic_jobs()
        else:  # the jobs' finishing times are kept in the cache
            checks.append(status.Check("periodic jobs", False, "not read: the cache failed"))
        for check in checks:
            self.stdout.write(check.line())
        failed = [check.part for check in checks if not check.ok]
        if failed:
            raise CommandError(f"status: failed: {', '.join(failed)}")
        self.stdout.write("status: ok")
