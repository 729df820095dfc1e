"""The client's address: REMOTE_ADDR, or what our own proxies say it was, never what a client says.

Behind a load balancer REMOTE_ADDR is the balancer, and the audit trail and the login lock-out
would treat every user as one. `X-Forwarded-For` is believed only as far as it was written by
proxies we configured (TRUSTED_PROXIES): read from the right, each hop added by a trusted proxy
is skipped, and the first address a trusted proxy did not write is the client.
"""

from __future__ import annotations

import ipaddress
from collections.abc import Iterable
from functools import lru_cache

from django.conf import settings
from django.http import HttpRequest

Network = ipaddress.IPv4Network | ipaddress.IPv6Network


@lru_cache(maxsize=8)
def _networks(proxies: tuple[str, ...]) -> tuple[Network, ...]:
    return tuple(ipaddress.ip_network(p.strip(), strict=False) for p in proxies if p.strip())


def _parse(value: str) -> ipaddress.IPv4Address | ipaddress.IPv6Address | None:
    try:
        return ipaddress.ip_address(value.strip())
    except ValueError:
        return None


def _trusted(address, networks: Iterable[Network]) -> bool:
    return any(address in network for network in networks)


def client_ip_from(
    remote_addr: str | None, forwarded_for: str, proxies: tuple[str, ...]
) -> str | None:
    peer = _parse(remote_addr or "")
    if peer is None:
        return None
    networks = _networks(proxies)
    if not _trusted(peer, networks):
        return str(peer)
    client = peer
    for hop in reversed(forwarded_for.split(",") if forwarded_for else []):
        address = _parse(hop)
        if address is None:
            break  # a malformed hop: nothing to its left can be believed
        client = address
        if not _trusted(address, networks):
            break
    return str(client)


def client_ip(request: HttpRequest) -> str | None:
    return client_ip_from(
        request.META.get("REMOTE_ADDR"),
        request.META.get("HTTP_X_FORWARDED_FOR", ""),
        tuple(settings.TRUSTED_PROXIES),
    )
