"""Finding F9 of issue 14: /captcha/refresh/ stores a row per request, so it is limited per IP."""

from __future__ import annotations

import pytest
from captcha.models import CaptchaStore
from django.test import Client

from mooc.accounts.captcha import REFRESH_LIMIT

pytestmark = pytest.mark.django_db

XHR = {"X-Requested-With": "XMLHttpRequest"}


def test_refreshes_are_limited_per_ip_with_a_json_429() -> None:
    client = Client(REMOTE_ADDR="203.0.113.7")
    for _ in range(REFRESH_LIMIT):
        assert client.get("/captcha/refresh/", headers=XHR).status_code == 200
    rows = CaptchaStore.objects.count()

    refused = client.get("/captcha/refresh/", headers=XHR)

    assert refused.status_code == 429
    assert int(refused["Retry-After"]) > 0
    body = refused.json()
    assert "key" not in body and body["error"]  # the widget's script ignores it
    assert CaptchaStore.objects.count() == rows  # nothing stored
    other = Client(REMOTE_ADDR="198.51.100.8").get("/captcha/refresh/", headers=XHR)
    assert other.status_code == 200 and other.json()["key"]
