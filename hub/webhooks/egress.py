"""Where a webhook may be sent: the egress guard.

A receiver URL must be https and its host must resolve only to public addresses, so a
subscription cannot make the hub call into its own network (cloud metadata at
169.254.169.254, Neo4j on loopback, private ranges). The check runs when a subscription
is saved and again before each batch of deliveries, since DNS answers change. An admin setting
(`HUB_WEBHOOK_ALLOW_PRIVATE`) lifts it for closed networks and tests, and then also
allows plain http. Redirects are never followed (the HTTP client is made that way).
"""

from __future__ import annotations

import asyncio
import ipaddress
import socket
from urllib.parse import urlsplit

from hub.errors import InvalidInput

MAX_URL_LENGTH = 2000


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
    return url


def _public(address: str) -> bool:
    ip = ipaddress.ip_address(address.split("%", 1)[0])
    if isinstance(ip, ipaddress.IPv6Address) and ip.ipv4_mapped is not None:
        ip = ip.ipv4_mapped
    return ip.is_global and not ip.is_multicast


async def resolve(host: str, port: int) -> list[str]:
    loop = asyncio.get_running_loop()
    try:
        infos = await loop.getaddrinfo(host, port, type=socket.SOCK_STREAM)
    except socket.gaierror as error:
        raise _refused(f"host {host} does not resolve", f"无法解析主机 {host}") from error
    return sorted({str(info[4][0]) for info in infos})


async def check_target(url: str, allow_private: bool) -> str:
    """The URL (stripped) when its form is acceptable and its host resolves only to public
    addresses (unless private ones are allowed); otherwise an error naming `url`."""
    url = check_url(url, allow_private)
    if allow_private:
        return url
    parts = urlsplit(url)
    host = parts.hostname or ""
    addresses = await resolve(host, parts.port or 443)
    private = [a for a in addresses if not _public(a)]
    if private:
        raise _refused(
            f"{host} resolves to a private, loopback or link-local address ({private[0]})",
            f"{host} 解析到内网、回环或链路本地地址（{private[0]}）",
        )
    return url
