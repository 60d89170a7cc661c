from __future__ import annotations

from typing import Any

import pytest
from django.core.handlers.wsgi import WSGIRequest
from django.test import RequestFactory, override_settings

from mooc.core.net import client_ip


def request(remote: str, forwarded: str | None = None) -> WSGIRequest:
    headers: dict[str, Any] = {"REMOTE_ADDR": remote}
    if forwarded is not None:
        headers["HTTP_X_FORWARDED_FOR"] = forwarded
    return RequestFactory().get("/", **headers)


@override_settings(TRUSTED_PROXIES=[])
def test_without_trusted_proxies_the_header_is_ignored() -> None:
    assert client_ip(request("203.0.113.9", "1.2.3.4")) == "203.0.113.9"


@override_settings(TRUSTED_PROXIES=["10.0.0.5"])
def test_a_request_not_from_the_proxy_cannot_claim_another_address() -> None:
    assert client_ip(request("198.51.100.7", "1.2.3.4")) == "198.51.100.7"


@override_settings(TRUSTED_PROXIES=["10.0.0.5"])
def test_behind_the_proxy_the_rightmost_untrusted_hop_is_the_client() -> None:
    # The client wrote "6.6.6.6" itself; nginx appended the address it saw.
    assert client_ip(request("10.0.0.5", "6.6.6.6, 203.0.113.20")) == "203.0.113.20"


@override_settings(TRUSTED_PROXIES=["10.0.0.0/8", "2001:db8::/32"])
def test_chains_of_trusted_proxies_and_networks_are_skipped() -> None:
    assert client_ip(request("10.1.1.1", "203.0.113.20, 10.2.2.2")) == "203.0.113.20"
    assert client_ip(request("2001:db8::1", "2001:db8::2, 198.51.100.1")) == "198.51.100.1"
    assert client_ip(request("10.1.1.1", "[2001:db9::7]:443")) == "2001:db9::7"


@override_settings(TRUSTED_PROXIES=["10.0.0.5"])
@pytest.mark.parametrize("forwarded", ["", "not-an-ip", "   ,  "])
def test_a_missing_or_garbled_header_falls_back_to_the_proxy(forwarded: str) -> None:
    assert client_ip(request("10.0.0.5", forwarded)) == "10.0.0.5"


@override_settings(TRUSTED_PROXIES=["10.0.0.5"])
def test_a_garbled_hop_stops_the_walk() -> None:
    assert client_ip(request("10.0.0.5", "1.2.3.4, garbage")) == "10.0.0.5"


@override_settings(TRUSTED_PROXIES=["10.0.0.5"])
def test_an_oversized_hop_is_garbage_and_never_cached() -> None:
    from mooc.core.net import _parse_address

    client_ip(request("10.0.0.5", "203.0.113.20"))  # the short ones are cached
    before = _parse_address.cache_info()
    huge = "1" * 8000
    assert client_ip(request("10.0.0.5", f"203.0.113.20, {huge}")) == "10.0.0.5"
    after = _parse_address.cache_info()
    assert after.currsize == before.currsize and after.misses == before.misses


@override_settings(TRUSTED_PROXIES=["10.0.0.5"])
def test_trust_follows_the_settings_despite_the_cache() -> None:
    assert client_ip(request("10.0.0.5", "203.0.113.20")) == "203.0.113.20"
    with override_settings(TRUSTED_PROXIES=[]):
        assert client_ip(request("10.0.0.5", "203.0.113.20")) == "10.0.0.5"
