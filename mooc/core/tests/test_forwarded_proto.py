"""Finding F7 of issue 14: X-Forwarded-Proto is believed only from trusted proxies."""

from __future__ import annotations

import pytest
from django.test import Client, override_settings

pytestmark = [
    pytest.mark.django_db,
    pytest.mark.usefixtures("behind_a_proxy"),
]

PROXY = "10.0.0.5"


@pytest.fixture
def behind_a_proxy():  # type: ignore[no-untyped-def]
    with override_settings(
        TRUSTED_PROXIES=[PROXY],
        SECURE_PROXY_SSL_HEADER=("HTTP_X_FORWARDED_PROTO", "https"),
        SECURE_SSL_REDIRECT=True,
    ):
        yield


def test_a_client_cannot_claim_https_itself(client: Client) -> None:
    response = client.get("/pelatihan/", REMOTE_ADDR="198.51.100.7", HTTP_X_FORWARDED_PROTO="https")

    assert response.status_code == 301
    assert response["Location"].startswith("https://")


def test_the_trusted_proxy_is_believed(client: Client) -> None:
    response = client.get("/pelatihan/", REMOTE_ADDR=PROXY, HTTP_X_FORWARDED_PROTO="https")

    assert response.status_code == 200


def test_the_proxy_saying_http_is_redirected(client: Client) -> None:
    response = client.get("/pelatihan/", REMOTE_ADDR=PROXY, HTTP_X_FORWARDED_PROTO="http")

    assert response.status_code == 301
