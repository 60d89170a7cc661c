"""Finding F12 of issue 14: per-IP limits count an IPv6 client by its /64."""

from __future__ import annotations

import pytest
from django.test import Client
from django.urls import reverse

from mooc.accounts.tests.factories import NIP, UserFactory
from mooc.accounts.tests.helpers import captcha
from mooc.certificates.views import VERIFY_LIMIT
from mooc.core.net import ratelimit_ip_key

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    ("ip", "key"),
    [
        ("203.0.113.9", "203.0.113.9"),
        ("2001:db8:1:2:aaaa:bbbb:cccc:dddd", "2001:db8:1:2::/64"),
        ("2001:db8:1:2::1", "2001:db8:1:2::/64"),
        ("2001:db8:1:3::1", "2001:db8:1:3::/64"),
        ("::ffff:203.0.113.9", "203.0.113.9"),
        ("", ""),
        ("not-an-ip", "not-an-ip"),
    ],
)
def test_the_key_of_an_address(ip: str, key: str) -> None:
    assert ratelimit_ip_key(ip) == key


def test_addresses_of_one_slash_64_share_the_verification_limit() -> None:
    url = reverse("certificates:verify", args=["B" * 16])
    for i in range(VERIFY_LIMIT):
        response = Client(REMOTE_ADDR=f"2001:db8:1:2::{i + 1:x}").get(url)
        assert response.status_code == 404
    assert Client(REMOTE_ADDR="2001:db8:1:2::ffff").get(url).status_code == 429
    assert Client(REMOTE_ADDR="2001:db8:1:3::1").get(url).status_code == 404  # another /64


def test_addresses_of_one_slash_64_share_the_login_lockout(settings) -> None:  # type: ignore[no-untyped-def]
    settings.AXES_FAILURE_LIMIT = 3
    UserFactory.create(username=NIP)
    for i in range(3):
        Client(REMOTE_ADDR=f"2001:db8:1:2::{i + 1}").post(
            "/login/", captcha(username=NIP, password="Salah12345")
        )
    response = Client(REMOTE_ADDR="2001:db8:1:2::99").post(
        "/login/", captcha(username=NIP, password="Salah12345")
    )
    assert response.status_code == 429
