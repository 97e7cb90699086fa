"""Where a webhook may be sent: the egress guard.

A receiver URL must be https and its host must resolve only to public addresses, so a
subscription cannot make the hub call into its own network (cloud metadata at
169.254.169.254, Neo4j on loopback, private ranges). The form is checked when a
subscription is saved; the addresses are checked when it is saved and again at every
connection, by the network backend of the delivery client (`GuardedTransport`): it
resolves the host once, refuses unless every answer is public, and connects to an address
it checked. The host name still serves TLS (SNI and certificate) and the Host header, so
a DNS answer that changes between the check and the connection (DNS rebinding) cannot
turn a delivery towards loopback.

Public means: outside every block of the IANA IPv4 and IPv6 special-purpose address
registries (and multicast, and IPv6 outside global unicast 2000::/3), with IPv4 carried
inside IPv6 (mapped, compatible, NAT64, 6to4, Teredo) judged as IPv4 as well.

An admin setting (`HUB_WEBHOOK_ALLOW_PRIVATE`) lifts the guard for closed networks and
tests, and then also allows plain http. Redirects are never followed.
"""

from __future__ import annotations

import asyncio
import ipaddress
import socket
from collections.abc import Awaitable, Callable, Iterable
from urllib.parse import urlsplit

import httpcore
import httpx

from hub.errors import InvalidInput
from hub.values import plain

MAX_URL_LENGTH = 2000
IP = ipaddress.IPv4Address | ipaddress.IPv6Address
Resolver = Callable[[str, int], Awaitable[list[str]]]

# IANA IPv4 Special-Purpose Address Registry (every block, whether or not it is marked
# globally reachable: none is a webhook receiver), plus multicast and limited broadcast.
SPECIAL_V4 = tuple(
    ipaddress.IPv4Network(block)
    for block in (
        "0.0.0.0/8",  # this network
        "10.0.0.0/8",  # private
        "100.64.0.0/10",  # shared address space (carrier-grade NAT)
        "127.0.0.0/8",  # loopback
        "169.254.0.0/16",  # link-local (cloud metadata)
        "172.16.0.0/12",  # private
        "192.0.0.0/24",  # IETF protocol assignments (DS-Lite, NAT64 discovery...)
        "192.0.2.0/24",  # documentation
        "192.31.196.0/24",  # AS112-v4
        "192.52.193.0/24",  # AMT
        "192.88.99.0/24",  # deprecated 6to4 relay anycast
        "192.168.0.0/16",  # private
        "192.175.48.0/24",  # direct delegation AS112
        "198.18.0.0/15",  # benchmarking
        "198.51.100.0/24",  # documentation
        "203.0.113.0/24",  # documentation
        "224.0.0.0/4",  # multicast
        "240.0.0.0/4",  # reserved (and 255.255.255.255, limited broadcast)
    )
)

# IANA IPv6 Special-Purpose Address Registry, plus what lies outside global unicast.
SPECIAL_V6 = tuple(
    ipaddress.IPv6Network(block)
    for block in (
        "::/96",  # unspecified, loopback and deprecated IPv4-compatible addresses
        "::ffff:0:0/96",  # IPv4-mapped (judged by its IPv4 address, see below)
        "64:ff9b::/96",  # NAT64 well-known prefix (judged by its IPv4 address too)
        "64:ff9b:1::/48",  # NAT64 local use
        "100::/64",  # discard-only
        "100:0:0:1::/64",  # dummy prefix
        "2001::/23",  # IETF protocol assignments: Teredo, benchmarking, ORCHID, AMT...
        "2001:db8::/32",  # documentation
        "2002::/16",  # 6to4
        "2620:4f:8000::/48",  # direct delegation AS112
        "3fff::/20",  # documentation
        "5f00::/16",  # segment routing (SRv6) SIDs
        "fc00::/7",  # unique local
        "fe80::/10",  # link-local
        "fec0::/10",  # deprecated site-local
        "ff00::/8",  # multicast
    )
)
GLOBAL_UNICAST = ipaddress.IPv6Network("2000::/3")
NAT64 = (ipaddress.IPv6Network("64:ff9b::/96"), ipaddress.IPv6Network("64:ff9b:1::/48"))
COMPATIBLE = ipaddress.IPv6Network("::/96")


def _refused(en: str, zh: str) -> InvalidInput:
    return InvalidInput(f"url: {en}", f"url：{zh}", field="url")


def check_url(url: str, allow_private: bool) -> str:
    """The URL, stripped, if its form is acceptable; otherwise an error naming `url`."""
    url = url.strip()
    if not url or len(url) > MAX_URL_LENGTH:
        raise _refused(
            f"give a URL of at most {MAX_URL_LENGTH} characters",
            f"请填写不超过 {MAX_URL_LENGTH} 个字符的网址",
        )
    parts = urlsplit(url)
    schemes = ("https", "http") if allow_private else ("https",)
    if parts.scheme not in schemes or not parts.hostname:
        raise _refused("must be an https:// URL with a host", "须为带主机名的 https:// 网址")
    if parts.username or parts.password:
        raise _refused("must not carry a user name or password", "不得包含用户名或密码")
    return plain("url", url)


def embedded_v4(ip: ipaddress.IPv6Address) -> list[ipaddress.IPv4Address]:
    """The IPv4 addresses an IPv6 address carries: mapped, compatible, NAT64 (the last 32
    bits), 6to4 (bits 16-48) and Teredo (server and client)."""
    found = []
    if ip.ipv4_mapped is not None:
        found.append(ip.ipv4_mapped)
    if ip in COMPATIBLE or any(ip in prefix for prefix in NAT64):
        found.append(ipaddress.IPv4Address(int(ip) & 0xFFFFFFFF))
    if ip.sixtofour is not None:
        found.append(ip.sixtofour)
    if ip.teredo is not None:
        found.extend(ip.teredo)
    return found


def _public_v4(ip: ipaddress.IPv4Address) -> bool:
    return ip.is_global and not any(ip in block for block in SPECIAL_V4)


def is_public(address: str) -> bool:
    """Whether a receiver at this address is on the public internet (see the module)."""
    ip: IP = ipaddress.ip_address(address.split("%", 1)[0])
    if isinstance(ip, ipaddress.IPv4Address):
        return _public_v4(ip)
    carried = embedded_v4(ip)
    if carried and not all(_public_v4(v4) for v4 in carried):
        return False
    if ip.ipv4_mapped is not None or ip in NAT64[0]:
        return True  # IPv4 in IPv6 clothes: judged by the IPv4 address, just above
    return ip in GLOBAL_UNICAST and not any(ip in block for block in SPECIAL_V6)


async def resolve(host: str, port: int) -> list[str]:
    """The addresses `host` resolves to (an address literal resolves to itself)."""
    loop = asyncio.get_running_loop()
    try:
        infos = await loop.getaddrinfo(host, port, type=socket.SOCK_STREAM)
    except (socket.gaierror, UnicodeError) as error:
        raise _refused(f"host {host} does not resolve", f"无法解析主机 {host}") from error
    return sorted({str(info[4][0]) for info in infos})


def _not_public(host: str) -> InvalidInput:
    return _refused(
        f"{host} resolves to a private, loopback, link-local or special-purpose address",
        f"{host} 解析到内网、回环、链路本地或特殊用途地址",
    )


async def check_target(url: str, allow_private: bool, resolver: Resolver = resolve) -> str:
    """The URL (stripped) when its form is acceptable and its host resolves only to public
    addresses (unless private ones are allowed); otherwise an error naming `url`."""
    url = check_url(url, allow_private)
    if allow_private:
        return url
    parts = urlsplit(url)
    host = parts.hostname or ""
    if not all(is_public(a) for a in await resolver(host, parts.port or 443)):
        raise _not_public(host)
    return url


class Refused(httpcore.ConnectError):
    """The guard refused to connect: the host resolved to an address that is not public,
    or did not resolve. (A ConnectError, so httpx reports it as one.)"""


class GuardedBackend(httpcore.AsyncNetworkBackend):
    """Connects only to addresses it has just resolved and found public."""

    def __init__(
        self, resolver: Resolver = resolve, inner: httpcore.AsyncNetworkBackend | None = None
    ) -> None:
        self.resolver = resolver
        self.inner = inner or httpcore.AnyIOBackend()

    async def _addresses(self, host: str, port: int, within: float | None) -> list[str]:
        try:
            async with asyncio.timeout(within):
                addresses = await self.resolver(host, port)
        except TimeoutError as error:
            raise httpcore.ConnectTimeout("resolving the host timed out") from error
        except InvalidInput as error:
            raise Refused("the host does not resolve") from error
        if not addresses or not all(is_public(a) for a in addresses):
            raise Refused("the host resolves to an address that is not public")
        return addresses

    async def connect_tcp(
        self,
        host: str,
        port: int,
        timeout: float | None = None,  # noqa: ASYNC109 - httpcore's interface
        local_address: str | None = None,
        socket_options: Iterable[httpcore.SOCKET_OPTION] | None = None,
    ) -> httpcore.AsyncNetworkStream:
        failure: Exception = Refused("no address to connect to")
        for address in await self._addresses(host, port, timeout):
            try:
                return await self.inner.connect_tcp(
                    address, port, timeout, local_address, socket_options
                )
            except (httpcore.ConnectError, httpcore.ConnectTimeout) as error:
                failure = error
        raise failure

    async def connect_unix_socket(
        self,
        path: str,
        timeout: float | None = None,  # noqa: ASYNC109 - httpcore's interface
        socket_options: Iterable[httpcore.SOCKET_OPTION] | None = None,
    ) -> httpcore.AsyncNetworkStream:
        raise Refused("receivers are reached over TCP only")

    async def sleep(self, seconds: float) -> None:
        await self.inner.sleep(seconds)


class GuardedTransport(httpx.AsyncHTTPTransport):
    """httpx's transport whose connections go through `GuardedBackend`; no proxy from the
    environment (a proxy would resolve the host itself, after the check)."""

    def __init__(self, backend: httpcore.AsyncNetworkBackend | None = None) -> None:
        super().__init__(trust_env=False)
        limits = httpx.Limits()
        # httpx takes no network backend of its own: its pool is rebuilt with ours.
        self._pool = httpcore.AsyncConnectionPool(
            ssl_context=httpx.create_ssl_context(trust_env=False),
            max_connections=limits.max_connections,
            max_keepalive_connections=limits.max_keepalive_connections,
            keepalive_expiry=limits.keepalive_expiry,
            network_backend=backend or GuardedBackend(),
        )


def guarded_client(like: httpx.AsyncClient) -> httpx.AsyncClient:
    """A client with `like`'s timeout and headers, whose connections the guard checks."""
    return httpx.AsyncClient(
        transport=GuardedTransport(),
        timeout=like.timeout,
        headers=like.headers,
        follow_redirects=False,
        trust_env=False,
    )
