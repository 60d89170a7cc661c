"""Issue 14 (limits on every mail-sending form): an e-mail change mails a link to an
address the user chooses, so it is limited per account."""

from __future__ import annotations

import pytest
from django.core import mail
from django.test import Client

from mooc.accounts.views.account import EMAIL_CHANGE_LIMIT

pytestmark = pytest.mark.django_db(transaction=True)  # the mail goes on commit


def test_email_change_mails_are_limited_per_account(client: Client, make_user) -> None:  # type: ignore[no-untyped-def]
    client.force_login(make_user())
    for number in range(EMAIL_CHANGE_LIMIT):
        response = client.post("/profil/email/", {"email-new_email": f"baru{number}@example.go.id"})
        assert response.status_code == 302
    assert len(mail.outbox) == EMAIL_CHANGE_LIMIT

    refused = client.post("/profil/email/", {"email-new_email": "lagi@example.go.id"})

    assert refused.status_code == 429
    assert "Terlalu banyak permintaan" in refused.content.decode()
    assert len(mail.outbox) == EMAIL_CHANGE_LIMIT
