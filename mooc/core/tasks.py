from __future__ import annotations

import logging
import smtplib

from celery import shared_task
from django.conf import settings
from django.core import management
from django.core.mail import EmailMultiAlternatives

logger = logging.getLogger(__name__)


@shared_task(name="mooc.core.tasks.clear_expired_sessions")
def clear_expired_sessions() -> None:
    management.call_command("clearsessions")


def _send(*, subject: str, text: str, html: str, to: list[str], bcc: list[str] | None) -> None:
    message = EmailMultiAlternatives(subject, text, settings.DEFAULT_FROM_EMAIL, to, bcc=bcc)
    message.attach_alternative(html, "text/html")
    message.send()
    logger.info("mail sent: %s to %d recipient(s)", subject, len(to) + len(bcc or []))


@shared_task(
    name="mooc.core.tasks.send_email_message",
    autoretry_for=(smtplib.SMTPException, OSError),
    retry_backoff=30,
    retry_backoff_max=30 * 60,
    retry_jitter=True,
    max_retries=12,  # about six hours of retrying before giving up
)
def send_email_message(*, subject: str, text: str, html: str, to: list[str]) -> None:
    _send(subject=subject, text=text, html=html, to=to, bcc=None)


# Notices that staff set off for many people at once (an import of thousands of
# accounts) go through their own queue, rate-limited per worker, so they neither flood
# the institution's SMTP relay nor hold up a learner's activation mail.
@shared_task(
    name="mooc.core.tasks.send_email_notice",
    rate_limit=settings.EMAIL_NOTICE_RATE_LIMIT,
    autoretry_for=(smtplib.SMTPException, OSError),
    retry_backoff=30,
    retry_backoff_max=30 * 60,
    retry_jitter=True,
    max_retries=12,
)
def send_email_notice(
    *, subject: str, text: str, html: str, to: list[str], bcc: list[str] | None = None
) -> None:
    _send(subject=subject, text=text, html=html, to=to, bcc=bcc)
