from __future__ import annotations

from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.db import transaction
from django.utils.module_loading import import_string


class Command(BaseCommand):
    help = "Load the demo content (branding, news, FAQ, …). Safe to run again: it updates in place."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--allow-production",
            action="store_true",
            help="Load even with DEBUG off (demo accounts have public passwords).",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        if not settings.DEBUG and not options["allow_production"]:
            raise CommandError(
                "Refusing to load demo content with DEBUG off: its accounts have public "
                "passwords. Use --allow-production on a throw-away server only."
            )
        with transaction.atomic():
            for dotted in settings.DEMO_LOADERS:
                import_string(dotted)()
                if options["verbosity"]:
                    self.stdout.write(f"demo content loaded: {dotted.split('.')[1]}")
