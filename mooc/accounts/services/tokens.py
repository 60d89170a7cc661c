"""Single-use tokens for links and steps: activation, password step, e-mail change, "Bukan saya"."""

from __future__ import annotations

import datetime as dt
import secrets
from typing import Any, Literal

from django.db import transaction
from django.utils import timezone

from mooc.accounts.models import AccountToken, TokenPurpose, User

TokenProblem = Literal["invalid", "expired", "used"]


class TokenError(Exception):
    def __init__(self, problem: TokenProblem, token: AccountToken | None = None) -> None:
        super().__init__(problem)
        self.problem: TokenProblem = problem
        self.token = token


@transaction.atomic
def token_issue(
    *,
    user: User,
    purpose: TokenPurpose,
    lifetime: dt.timedelta,
    payload: dict[str, Any] | None = None,
) -> str:
    """A new token; every older unused token of the same purpose stops working."""
    now = timezone.now()
    AccountToken.objects.filter(user=user, purpose=purpose, used_at__isnull=True).update(
        used_at=now
    )
    raw = secrets.token_urlsafe(32)
    AccountToken.objects.create(
        user=user,
        purpose=purpose,
        token_hash=AccountToken.hash(raw),
        payload=payload or {},
        expires_at=now + lifetime,
    )
    return raw


def token_check(*, raw: str, purpose: TokenPurpose) -> AccountToken:
    """The token if it can still be used, else TokenError saying why."""
    token = (
        AccountToken.objects.select_related("user")
        .filter(token_hash=AccountToken.hash(raw or ""), purpose=purpose)
        .first()
    )
    if token is None:
        raise TokenError("invalid")
    if token.used_at is not None:
        raise TokenError("used", token)
    if token.is_expired:
        raise TokenError("expired", token)
    return token


def token_consume(*, raw: str, purpose: TokenPurpose) -> AccountToken:
    """Use a token exactly once, even when two requests race with the same link.

    Call inside the transaction that does what the token allows.
    """
    token = token_check(raw=raw, purpose=purpose)
    used = AccountToken.objects.filter(pk=token.pk, used_at__isnull=True).update(
        used_at=timezone.now()
    )
    if not used:
        raise TokenError("used", token)
    return token
