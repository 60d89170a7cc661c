from __future__ import annotations

from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand

from mooc.accounts.demo import DEMO_LOGINS, totp_uri


class Command(BaseCommand):
    help = "Print the demo accounts' logins."

    def handle(self, *args: Any, **options: Any) -> None:
        self.stdout.write("")
        self.stdout.write(f"MOOC ASN demo is starting on {settings.SITE_URL}")
        self.stdout.write("Demo logins (NIP/Username / Password):")
        for login in DEMO_LOGINS:
            self.stdout.write(f"  {login.role:<14} {login.username:<20} {login.password}")
        staff = [login for login in DEMO_LOGINS if login.totp_key]
        if staff:
            self.stdout.write("Two-step verification (add the URI to an authenticator app):")
            for login in staff:
                self.stdout.write(f"  {login.username:<14} {totp_uri(login)}")
        self.stdout.write(f"  Administration: {settings.SITE_URL}/admin/")
        self.stdout.write("")
