from __future__ import annotations

import socket
import threading
from collections.abc import Iterator
from typing import cast

import pytest
from django.core import mail
from django.core.mail import EmailMultiAlternatives
from django.db import transaction
from pytest_django import Settings

from mooc.core.emails import email_send

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def broken_smtp_server() -> Iterator[tuple[int, list[int]]]:
    """A real TCP server on loopback that hangs up on every SMTP client."""
    listener = socket.socket()
    listener.bind(("127.0.0.1", 0))
    listener.listen()
    listener.settimeout(0.2)
    connections: list[int] = []
    stop = threading.Event()

    def serve() -> None:
        while not stop.is_set():
            try:
                conn, _ = listener.accept()
            except TimeoutError:
                continue
            connections.append(1)
            conn.close()

    thread = threading.Thread(target=serve, daemon=True)
    thread.start()
    yield listener.getsockname()[1], connections
    stop.set()
    thread.join()
    listener.close()


def test_mail_is_rendered_from_three_templates_and_sent_after_commit() -> None:
    with transaction.atomic():
        email_send(
            to=["budi@example.go.id"],
            template="email-change",
            context={"user": None, "new_email": "baru@example.go.id", "link": "http://x/y/"},
        )
        assert mail.outbox == []  # nothing leaves before the commit
    # The stubs type the outbox as EmailMessage; ours carry the HTML alternative.
    message = cast(EmailMultiAlternatives, mail.outbox[0])
    assert message.subject == "Konfirmasi alamat email baru Anda"
    assert "http://x/y/" in message.body
    assert "http://x/y/" in message.alternatives[0][0]  # type: ignore[operator]


def test_a_rolled_back_change_mails_nobody() -> None:
    with pytest.raises(RuntimeError), transaction.atomic():
        email_send(to=["a@example.go.id"], template="email-change", context={"link": "x"})
        raise RuntimeError
    assert mail.outbox == []


def test_an_smtp_failure_is_retried_and_the_change_is_kept(
    broken_smtp_server: tuple[int, list[int]], settings: Settings
) -> None:
    from mooc.accounts.models import User

    port, connections = broken_smtp_server
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST, settings.EMAIL_PORT = "127.0.0.1", port
    settings.EMAIL_USE_TLS = False
    settings.EMAIL_TIMEOUT = 2

    with transaction.atomic():
        user = User.objects.create_user(username="rina.w", email="rina@example.go.id")
        email_send(to=[user.email], template="email-change", context={"link": "x"})

    assert User.objects.filter(username="rina.w").exists()
    assert len(connections) == 1

    # The task itself asks Celery to try again later (a worker would, with backoff).
    from celery.exceptions import Retry

    from mooc.core.tasks import send_email_message

    with pytest.raises(Retry):
        send_email_message.apply(kwargs={"subject": "s", "text": "t", "html": "h", "to": ["a@b.c"]})
    assert len(connections) == 2
