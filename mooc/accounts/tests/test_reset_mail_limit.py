"""Finding F8 of issue 14: with PASSWORD_RESET_FLOW=email_link the reset mails are
limited per account and per client IP, the same whether or not the account exists."""

from __future__ import annotations

import pytest
from django.core import mail
from django.test import Client

from mooc.accounts.tests.factories import NIP
from mooc.accounts.tests.helpers import captcha
from mooc.accounts.views.password import EmailLinkResetView

# Real commits: the reset mail is queued on commit, as in production.
pytestmark = pytest.mark.django_db(transaction=True)

UNKNOWN = "197001011995031001"


@pytest.fixture(autouse=True)
def _email_link(settings) -> None:  # type: ignore[no-untyped-def]
    settings.PASSWORD_RESET_FLOW = "email_link"


def ask(client: Client, username: str) -> tuple[int, str]:
    response = client.post(
        "/lupa-password/", captcha(username=username, email=f"{username}@example.go.id")
    )
    return response.status_code, response.get("Location", "")


def test_reset_mails_to_one_account_are_limited(make_user) -> None:  # type: ignore[no-untyped-def]
    make_user()
    client = Client()
    for _ in range(EmailLinkResetView.per_account):
        assert ask(client, NIP) == (302, "/lupa-password/terkirim/")
    assert len(mail.outbox) == EmailLinkResetView.per_account

    refused = client.post("/lupa-password/", captcha(username=NIP, email=f"{NIP}@example.go.id"))

    assert refused.status_code == 200
    assert "Terlalu banyak percobaan" in refused.content.decode()
    assert len(mail.outbox) == EmailLinkResetView.per_account
    # Another address's account is not affected.
    assert (
        Client(REMOTE_ADDR="198.51.100.5")
        .post("/lupa-password/", captcha(username=UNKNOWN, email="x@example.go.id"))
        .status_code
        == 302
    )


def test_the_limit_looks_the_same_for_an_unknown_account(make_user) -> None:  # type: ignore[no-untyped-def]
    make_user()
    known, unknown = Client(), Client(REMOTE_ADDR="198.51.100.6")
    answers = []
    for _ in range(EmailLinkResetView.per_account + 1):
        answers.append((ask(known, NIP), ask(unknown, UNKNOWN)))
    assert all(a == b for a, b in answers)
    assert answers[-1][0] == (200, "")


def test_reset_mails_from_one_ip_are_limited() -> None:
    client = Client(REMOTE_ADDR="203.0.113.50")
    for i in range(EmailLinkResetView.per_ip):
        assert ask(client, f"pengguna{i}")[0] == 302
    assert ask(client, "pengguna-lain")[0] == 200
