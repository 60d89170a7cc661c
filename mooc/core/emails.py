"""Every e-mail is three templates — subject, text and HTML — rendered now and sent by a
Celery task after the transaction commits, so a rolled-back change never mails anybody
and an SMTP failure never undoes a change.

A mail is rendered in the active language (the reader's own request), except notices
that staff set off for other people (an import, a bulk enrolment, a reissue): those
are written in the institution's language (`settings.LANGUAGE_CODE`, Indonesian), as
the staff member's English admin says nothing about what the reader reads."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from django.conf import settings
from django.db import transaction
from django.template.loader import render_to_string
from django.utils import translation

from mooc.core.selectors import site_settings_get

# Recipients per message of a notice sent to many (blind copies): well under what mail
# servers accept for one message (often 100), and one message per group, not per person.
NOTICE_BCC_GROUP = 50


def _render(template: str, context: dict[str, Any]) -> tuple[str, str, str]:
    full_context = {"site": site_settings_get(), "site_url": settings.SITE_URL, **context}
    subject = " ".join(render_to_string(f"emails/{template}-subject.txt", full_context).split())
    text = render_to_string(f"emails/{template}-body.txt", full_context)
    html = render_to_string(f"emails/{template}-body.html", full_context)
    return subject, text, html


def email_send(
    *, to: list[str], template: str, context: dict[str, Any], notice: bool = False
) -> None:
    """Queue a mail from `templates/emails/<template>-{subject.txt,body.txt,body.html}`.
    A `notice` is written in the institution's language and goes through the
    rate-limited notice queue."""
    from mooc.core.tasks import send_email_message, send_email_notice

    recipients = [address for address in to if address]
    if not recipients:
        return
    if notice:
        with translation.override(settings.LANGUAGE_CODE):
            subject, text, html = _render(template, context)
    else:
        subject, text, html = _render(template, context)
    task = send_email_notice if notice else send_email_message
    # robust: a broker or (in-process) SMTP failure is logged, never turned into an
    # error page for a change that has already been saved.
    transaction.on_commit(
        lambda: task.delay(subject=subject, text=text, html=html, to=recipients),
        robust=True,
    )


def email_notice_to_many(*, to: Sequence[str], template: str, context: dict[str, Any]) -> int:
    """One notice for a whole batch (the same text for everybody, e.g. "you were enrolled
    in …"): rendered once in the institution's language and sent as few messages, each
    to a group of blind copies, so nobody sees another's address. Returns the messages."""
    from mooc.core.tasks import send_email_notice

    recipients = sorted({address for address in to if address})
    if not recipients:
        return 0
    with translation.override(settings.LANGUAGE_CODE):
        subject, text, html = _render(template, context)
    groups = [
        recipients[start : start + NOTICE_BCC_GROUP]
        for start in range(0, len(recipients), NOTICE_BCC_GROUP)
    ]
    for group in groups:
        transaction.on_commit(
            lambda group=group: send_email_notice.delay(  # type: ignore[misc]
                subject=subject, text=text, html=html, to=[], bcc=group
            ),
            robust=True,
        )
    return len(groups)
