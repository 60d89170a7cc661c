"""Every e-mail is three templates — subject, text and HTML — rendered now, in the
user's language, and sent by a Celery task after the transaction commits, so a
rolled-back change never mails anybody and an SMTP failure never undoes a change."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.db import transaction
from django.template.loader import render_to_string

from mooc.core.selectors import site_settings_get


def email_send(*, to: list[str], template: str, context: dict[str, Any]) -> None:
    """Queue a mail from `templates/emails/<template>-{subject.txt,body.txt,body.html}`."""
    from mooc.core.tasks import send_email_message

    full_context = {"site": site_settings_get(), "site_url": settings.SITE_URL, **context}
    subject = " ".join(render_to_string(f"emails/{template}-subject.txt", full_context).split())
    text = render_to_string(f"emails/{template}-body.txt", full_context)
    html = render_to_string(f"emails/{template}-body.html", full_context)
    recipients = [address for address in to if address]
    if not recipients:
        return
    # robust: a broker or (in-process) SMTP failure is logged, never turned into an
    # error page for a change that has already been saved.
    transaction.on_commit(
        lambda: send_email_message.delay(subject=subject, text=text, html=html, to=recipients),
        robust=True,
    )
