"""Which network addresses may be fetched: public ones only, unless private URLs are allowed."""

from __future__ import annotations

import ipaddress
import socket
from typing import Any

import aiohttp
from aiohttp.abc import AbstractResolver, ResolveResult


class PrivateAddressError(OSError):
    """A host on the local network or loopback, refused by the policy."""


def is_public(address: str) -> bool:
    """True for a globally routable unicast address (not loopback, private or link-local)."""
    try:
        ip = ipaddress.ip_address(address.split("%", 1)[0])
    except ValueError:
        return False
    if isinstance(ip, ipaddress.IPv6Address) and ip.ipv4_mapped is not None:
        ip = ip.ipv4_mapped
    return ip.is_global and not ip.is_multicast


def is_ip_literal(host: str) -> bool:
    """True when a URL's host is an address rather than a name."""
    try:
        ipaddress.ip_address(host.strip("[]"))
    except ValueError:
        return False
    return True


def refusal(host: str, address: str) -> str:
    """The reason a host is refused, naming the setting that allows it."""
    shown = host if host == address else f"{host} ({address})"
    return (
        f"refused: {shown} is a private, loopback or link-local address; "
        "set QABOT_ALLOW_PRIVATE_URLS=true to fetch from the local network"
    )


class PublicOnlyResolver(AbstractResolver):
    """Resolves names as usual, then refuses any answer that is not a public address.

    Checking what the name resolves to (not the URL's text) stops a public-looking name
    that points at 127.0.0.1 or 10.x; aiohttp connects only to the addresses returned here.
    """

    def __init__(self) -> None:
        self._inner = aiohttp.ThreadedResolver()

    async def resolve(
        self, host: str, port: int = 0, family: socket.AddressFamily = socket.AF_INET
    ) -> list[ResolveResult]:
        """The public addresses of ``host``; PrivateAddressError if any answer is private."""
        results = await self._inner.resolve(host, port, family)
        for result in results:
            if not is_public(result["host"]):
                raise PrivateAddressError(refusal(host, result["host"]))
        return results

    async def close(self) -> None:
        """Release the inner resolver."""
        await self._inner.close()


def peer_address(response: aiohttp.ClientResponse) -> str | None:
    """The address the response came from, when the connection can still say."""
    connection = response.connection
    transport: Any = connection.transport if connection is not None else None
    if transport is None:
        return None
    peer = transport.get_extra_info("peername")
    return str(peer[0]) if peer else None
