"""Fixtures of the course package tests."""

from __future__ import annotations

from typing import Any

import pytest
from django.test import Client

from mooc.accounts.roles import ROLE_CONTENT_ADMIN
from mooc.packages.tests.helpers import staff_user


@pytest.fixture
def content_admin_client(client: Client, settings: Any) -> Client:
    # The pages are in Indonesian unless the language cookie says otherwise.
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    client.force_login(staff_user("konten", group=ROLE_CONTENT_ADMIN))
    return client
