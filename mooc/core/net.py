"""The client's IP address, believing X-Forwarded-For only from trusted proxies.

Per-IP limits and lockouts depend on this: trusting the header from anyone
would let an attacker pick a fresh "IP" for every request.
"""

from __future__ import annotations

import ipaddress
from functools import lru_cache

from django.conf import settings
from django.http import HttpRequest

Network = ipaddress.IPv4Network | ipaddress.IPv6Network


@lru_cache(maxsize=8)
def _networks(spec: tuple[str, ...]) -> tuple[Network, ...]:
    return tuple(ipaddress.ip_network(item, strict=False) for item in spec)


_LONGEST = 64  # "[IPv6]:port" fits; anything longer is not an address


def _parse(value: str) -> ipaddress.IPv4Address | ipaddress.IPv6Address | None:
    # Only address-sized strings reach the cache: X-Forwarded-For is the client's to
    # write, and 4,096 cached hops of 8 KB each would be 32 MB per process.
    return _parse_address(value) if len(value) <= _LONGEST else None


# Every request asks about the same few addresses (the proxy's, the office's):
# parsing them with ipaddress each time was 8 % of an answer save's CPU.
@lru_cache(maxsize=4096)
def _parse_address(value: str) -> ipaddress.IPv4Address | ipaddress.IPv6Address | None:
    value = value.strip()
    if value.startswith("[") and "]" in value:  # "[::1]:443"
        value = value[1 : value.index("]")]
    elif value.count(":") == 1:  # "10.0.0.1:443"
        value = value.split(":", 1)[0]
    try:
        return ipaddress.ip_address(value)
    except ValueError:
        return None


def is_trusted_proxy(address: str) -> bool:
    if len(address) > _LONGEST:
        return False
    return _is_trusted(address, tuple(settings.TRUSTED_PROXIES))


@lru_cache(maxsize=4096)
def _is_trusted(address: str, proxies: tuple[str, ...]) -> bool:
    ip = _parse(address)
    if ip is None:
        return False
    return any(ip in net for net in _networks(proxies))


def client_ip(request: HttpRequest) -> str:
    """Walk X-Forwarded-For from the right, skipping our own proxies.

    The first address not belonging to a trusted proxy is the client; anything
    further left could have been written by the client itself.
    """
    remote = request.META.get("REMOTE_ADDR", "") or ""
    if not is_trusted_proxy(remote):
        return remote
    forwarded = request.META.get("HTTP_X_FORWARDED_FOR", "")
    hops = [hop for hop in (h.strip() for h in forwarded.split(",")) if hop]
    for hop in reversed(hops):
        ip = _parse(hop)
        if ip is None:
            # A malformed hop: stop at the last address we could vouch for.
            break
        if not is_trusted_proxy(str(ip)):
            return str(ip)
        remote = str(ip)
    return remote


# IPv6 hands a single subscriber a whole /64 (and often more): counting its addresses one
# by one would give an attacker 2**64 fresh "IPs". Per-IP limits count the /64 instead.
IPV6_RATELIMIT_PREFIX = 64


@lru_cache(maxsize=4096)
def ratelimit_ip_key(ip: str) -> str:
    """The key per-IP limits count under: an IPv4 address as it is, an IPv6 address's
    /64 network (an IPv4-mapped IPv6 address counts as its IPv4 address)."""
    parsed = _parse(ip)
    if not isinstance(parsed, ipaddress.IPv6Address):
        return ip
    if parsed.ipv4_mapped is not None:
        return str(parsed.ipv4_mapped)
    return str(ipaddress.IPv6Network((parsed, IPV6_RATELIMIT_PREFIX), strict=False))


def client_ip_key(request: HttpRequest) -> str:
    """`ratelimit_ip_key` of the client's address: what every per-IP limit counts."""
    return ratelimit_ip_key(client_ip(request))
