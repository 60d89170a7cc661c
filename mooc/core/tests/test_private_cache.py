"""Finding F15 of issue 14: per-user pages are marked private; POST /healthz is a 405."""

from __future__ import annotations

import pytest
from django.test import Client
from django.urls import reverse

from mooc.accounts.tests.factories import UserFactory
from mooc.accounts.tests.helpers import signed_in

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    "name",
    [
        "catalog:dashboard",
        "catalog:my_courses",
        "catalog:favorites",
        "accounts:profile",
        "accounts:change_password",
        "certificates:list",
    ],
)
def test_a_signed_in_users_pages_are_private(client: Client, name: str) -> None:
    signed_in(client, UserFactory.create())

    response = client.get(reverse(name))

    assert response.status_code == 200
    assert "private" in response["Cache-Control"]
    assert "public" not in response["Cache-Control"]


def test_a_visitors_page_keeps_its_own_public_caching(client: Client) -> None:
    response = client.get(reverse("catalog:catalogue"))

    assert "public" in response["Cache-Control"]
    assert "private" not in response["Cache-Control"]


def test_posting_to_healthz_is_method_not_allowed(client: Client) -> None:
    csrf_client = Client(enforce_csrf_checks=True)

    response = csrf_client.post("/healthz")

    assert response.status_code == 405
    assert set(response["Allow"].replace(" ", "").split(",")) == {"GET", "HEAD"}
