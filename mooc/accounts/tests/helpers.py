"""Signing in from tests, and the captcha answer forms need."""

from __future__ import annotations

from django.conf import settings
from django.test import Client

from mooc.accounts.models import User
from mooc.accounts.tests.factories import UserFactory


def captcha(**data: str) -> dict[str, str]:
    """Form data with the captcha answered as CAPTCHA_TEST_MODE allows."""
    return {"captcha_0": "test", "captcha_1": "PASSED", **data}


def in_english(client: Client) -> Client:
    """The site is Indonesian unless the language cookie says otherwise; English text
    lets tests read our own strings before their Indonesian entries exist."""
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    return client


def logged_in(client: Client, user: User) -> Client:
    """The client signed in as `user`, with the English interface (messages are
    asserted in the source language)."""
    client.force_login(user)
    return in_english(client)


def signed_in(client: Client, user: User | None = None) -> User:
    """Signs `client` in as `user` (a new learner if none) and returns the user."""
    user = user or UserFactory.create()
    client.force_login(user)
    return user
