"""Helpers for the API tests (no tests here)."""

from __future__ import annotations

from typing import Any

from django.test import Client

from mooc.accounts.models import User
from mooc.accounts.tests.factories import PASSWORD

API = "/api/v1"


def sign_in(client: Client, user: User, *, device: str = "Android test") -> dict[str, Any]:
    response = client.post(
        f"{API}/auth/login/",
        {"username": user.username, "password": PASSWORD, "device": device},
        content_type="application/json",
    )
    assert response.status_code == 200, response.content
    data: dict[str, Any] = response.json()
    return data


def auth(tokens: dict[str, Any]) -> dict[str, str]:
    return {"Authorization": f"Bearer {tokens['access_token']}"}


class Api:
    """A client signed in as `user` through the API."""

    def __init__(self, user: User, client: Client | None = None) -> None:
        self.client = client or Client()
        self.tokens = sign_in(self.client, user)

    def _headers(self, extra: dict[str, str] | None) -> dict[str, str]:
        return {**auth(self.tokens), **(extra or {})}

    def get(
        self, path: str, headers: dict[str, str] | None = None, query: dict[str, str] | None = None
    ) -> Any:
        return self.client.get(f"{API}{path}", query, headers=self._headers(headers))

    def post(self, path: str, body: Any = None, headers: dict[str, str] | None = None) -> Any:
        return self.client.post(
            f"{API}{path}",
            body if body is not None else {},
            content_type="application/json",
            headers=self._headers(headers),
        )

    def put(self, path: str) -> Any:
        return self.client.put(f"{API}{path}", headers=self._headers(None))

    def patch(self, path: str, body: Any) -> Any:
        return self.client.patch(
            f"{API}{path}", body, content_type="application/json", headers=self._headers(None)
        )

    def delete(self, path: str) -> Any:
        return self.client.delete(f"{API}{path}", headers=self._headers(None))
