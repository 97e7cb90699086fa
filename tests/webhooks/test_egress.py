"""The egress guard: receivers on loopback, link-local, private or any other special-purpose
address (IPv4 carried in IPv6 included), plain http and URLs with credentials are refused,
naming the field, unless an admin allows them; a delivery connects to the address the
guard checked, so a DNS answer that changes afterwards cannot turn it to loopback."""

from __future__ import annotations

import asyncio
import errno
import socket
from typing import Any

import anyio
import httpcore
import httpx
import pytest

from hub.config import Settings
from hub.db.driver import Database, Tx
from hub.errors import InvalidInput
from hub.webhooks import egress, failures, service
from tests import factories
from tests.routing.common import REQUESTER, STARTUP
from tests.webhooks.common import submit, subscribe
from tests.webhooks.conftest import dispatching

REFUSED = [
    "http://example.com/hooks",  # plain http
    "https://127.0.0.1/hooks",
    "https://localhost:8443/hooks",
    "https://169.254.169.254/latest/meta-data",  # cloud metadata
    "https://10.1.2.3/hooks",
    "https://192.168.0.10/hooks",
    "https://172.16.5.5/hooks",
    "https://100.64.0.1/hooks",  # carrier-grade NAT
    "https://[::1]/hooks",
    "https://[fe80::1]/hooks",
    "https://[::ffff:10.0.0.1]/hooks",  # IPv4-mapped private
    "https://0.0.0.0/hooks",
    "https://[64:ff9b::7f00:1]/hooks",  # NAT64 of loopback
    "https://[::7f00:1]/hooks",  # IPv4-compatible loopback
    "https://[2002:7f00:1::1]/hooks",  # 6to4 of loopback
    "https://[fec0::1]/hooks",  # site-local
    "https://[2001:0:4136:e378:8000:63bf:80ff:fffe]/hooks",  # Teredo (client 127.0.0.1)
    "https://user:secret@example.com/hooks",
    "ftp://example.com/hooks",
    "https:///hooks",
    "",
    "https://example.com/" + "a" * 2000,
]


@pytest.mark.parametrize("url", REFUSED)
async def test_a_private_or_malformed_receiver_is_refused(url: str) -> None:
    with pytest.raises(InvalidInput) as refused:
        await egress.check_target(url, allow_private=False)
    assert refused.value.field == "url"
    assert refused.value.message_en.startswith("url:")
    assert refused.value.message_zh.startswith("url：")


async def test_a_public_address_passes() -> None:
    await egress.check_target("https://93.184.216.34/hooks", allow_private=False)


async def test_the_admin_setting_allows_private_receivers() -> None:
    await egress.check_target("http://127.0.0.1:9/hooks", allow_private=True)


async def test_a_refused_subscription_writes_nothing(clean: Database, settings: Settings) -> None:
    await factories.organization(clean, 8)
    guarded = settings.model_copy(update={"webhook_allow_private": False})
    with pytest.raises(InvalidInput):
        await subscribe(clean, guarded, "https://169.254.169.254/")

    async def count(tx: Tx) -> int:
        row = await tx.single(
            "MATCH (n) WHERE n:WebhookSubscription OR n:AuditRecord RETURN count(n) AS n"
        )
        return int(row["n"]) if row else -1

    assert await clean.read(count) == 0


# Every special-purpose block of the IANA IPv4 and IPv6 registries, and IPv4 carried in
# IPv6; then addresses on the public internet, plain and carried.
NOT_PUBLIC = [
    "0.0.0.0",  # noqa: S104 - an address to refuse, not to bind
    "0.1.2.3",
    "10.0.0.1",
    "100.64.0.1",
    "100.127.255.254",
    "127.0.0.1",
    "127.8.9.10",
    "169.254.169.254",
    "172.16.0.1",
    "172.31.255.254",
    "192.0.0.1",
    "192.0.0.9",
    "192.0.0.170",
    "192.0.2.1",
    "192.31.196.1",
    "192.52.193.1",
    "192.88.99.1",
    "192.168.1.1",
    "192.175.48.1",
    "198.18.0.1",
    "198.19.255.254",
    "198.51.100.1",
    "203.0.113.1",
    "224.0.0.1",
    "239.255.255.250",
    "240.0.0.1",
    "255.255.255.255",
    "::",
    "::1",
    "::7f00:1",
    "::a00:1",
    "::ffff:127.0.0.1",
    "::ffff:10.0.0.1",
    "::ffff:169.254.169.254",
    "64:ff9b::7f00:1",
    "64:ff9b::a9fe:a9fe",
    "64:ff9b:1::1",
    "64:ff9b:1::5db8:d822",
    "100::1",
    "100:0:0:1::1",
    "2001::1",
    "2001:0:4136:e378:8000:63bf:80ff:fffe",
    "2001:1::1",
    "2001:2::1",
    "2001:3::1",
    "2001:4:112::1",
    "2001:10::1",
    "2001:20::1",
    "2001:30::1",
    "2001:db8::1",
    "2002:7f00:1::1",
    "2002:5db8:d822::1",
    "2620:4f:8000::1",
    "3fff::1",
    "5f00::1",
    "fc00::1",
    "fd12:3456::1",
    "fe80::1",
    "fe80::1%eth0",
    "fec0::1",
    "ff02::1",
    "4000::1",
]
PUBLIC = [
    "93.184.216.34",
    "8.8.8.8",
    "1.1.1.1",
    "2606:4700:4700::1111",
    "2a00:1450:4001::1",
    "::ffff:93.184.216.34",
    "64:ff9b::5db8:d822",
]


@pytest.mark.parametrize("address", NOT_PUBLIC)
def test_a_special_purpose_address_is_not_public(address: str) -> None:
    assert not egress.is_public(address)


@pytest.mark.parametrize("address", PUBLIC)
def test_a_public_address_is_public(address: str) -> None:
    assert egress.is_public(address)


class Rebinding:
    """A resolver whose first answer is public and every later one loopback."""

    def __init__(self) -> None:
        self.asked = 0

    async def __call__(self, host: str, port: int) -> list[str]:
        self.asked += 1
        return ["93.184.216.34"] if self.asked == 1 else ["127.0.0.1"]


class Recording(httpcore.AsyncNetworkBackend):
    """Records where it is asked to connect, and connects to `target` instead."""

    def __init__(self, target: int | None = None) -> None:
        self.asked: list[str] = []
        self.target = target
        self.inner = httpcore.AnyIOBackend()

    async def connect_tcp(
        self,
        host: str,
        port: int,
        timeout: float | None = None,  # noqa: ASYNC109
        local_address: str | None = None,
        socket_options: Any = None,
    ) -> httpcore.AsyncNetworkStream:
        self.asked.append(host)
        if self.target is None:
            raise httpcore.ConnectError("recorded only")
        return await self.inner.connect_tcp("127.0.0.1", self.target, timeout)

    async def sleep(self, seconds: float) -> None:
        await self.inner.sleep(seconds)


async def test_the_guard_connects_to_the_address_it_checked() -> None:
    inner = Recording()
    backend = egress.GuardedBackend(Rebinding(), inner)
    with pytest.raises(httpcore.ConnectError):
        await backend.connect_tcp("rebind.example", 443)  # public: handed to the network
    with pytest.raises(egress.Refused):
        await backend.connect_tcp("rebind.example", 443)  # now loopback: refused
    assert inner.asked == ["93.184.216.34"]


class Listener:
    """A TCP listener on loopback that answers 204 and keeps each request's head."""

    def __init__(self) -> None:
        self.heads: list[bytes] = []
        self.connections = 0

    async def __aenter__(self) -> Listener:
        self.server = await asyncio.start_server(self._serve, "127.0.0.1", 0)
        self.port = int(self.server.sockets[0].getsockname()[1])
        return self

    async def __aexit__(self, *_: object) -> None:
        self.server.close()
        await self.server.wait_closed()

    async def _serve(self, reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        self.connections += 1
        try:
            self.heads.append(await reader.readuntil(b"\r\n\r\n"))
            writer.write(b"HTTP/1.1 204 No Content\r\ncontent-length: 0\r\n\r\n")
            await writer.drain()
        except (asyncio.IncompleteReadError, asyncio.LimitOverrunError, ConnectionError):
            pass
        finally:
            writer.close()


async def test_the_host_name_stays_in_the_request_while_the_checked_address_is_dialled() -> None:
    async with Listener() as listener:
        inner = Recording(target=listener.port)
        backend = egress.GuardedBackend(Rebinding(), inner)
        async with httpx.AsyncClient(transport=egress.GuardedTransport(backend)) as http:
            response = await http.post(f"http://receiver.example:{listener.port}/hooks")
    assert response.status_code == 204
    assert inner.asked == ["93.184.216.34"]
    assert f"host: receiver.example:{listener.port}".encode() in listener.heads[0].lower()


async def test_dns_rebinding_never_reaches_loopback(
    network: Database, settings: Settings, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The host resolves to a public address when checked and to loopback afterwards: no
    connection reaches the loopback listener, and `lastError` tells no address or port."""
    real = socket.getaddrinfo
    answers = iter(["93.184.216.34"])

    def rebinding(host: Any, port: Any, *args: Any, **kwargs: Any) -> Any:
        # (anyio passes the host name as IDNA-encoded bytes)
        if (host.decode() if isinstance(host, bytes) else host) != "rebind.example":
            return real(host, port, *args, **kwargs)
        address = next(answers, "127.0.0.1")
        return [(socket.AF_INET, socket.SOCK_STREAM, 6, "", (address, int(port)))]

    dialled: list[str] = []
    connect = anyio.connect_tcp

    async def recorded(remote_host: Any, *args: Any, **kwargs: Any) -> Any:
        dialled.append(str(remote_host))
        if str(remote_host) == "93.184.216.34":  # never leave this machine
            raise OSError(errno.ECONNREFUSED, "refused by the test")
        return await connect(remote_host, *args, **kwargs)

    monkeypatch.setattr(socket, "getaddrinfo", rebinding)
    monkeypatch.setattr(anyio, "connect_tcp", recorded)
    guarded = settings.model_copy(update={"webhook_allow_private": False})
    async with Listener() as listener:
        await subscribe(network, settings, f"https://rebind.example:{listener.port}/hooks")
        await submit(network, 1)
        async with dispatching(network, guarded):
            [seen] = await service.subscriptions(network, STARTUP, REQUESTER)
            while seen.failures == 0:
                await asyncio.sleep(0.05)
                [seen] = await service.subscriptions(network, STARTUP, REQUESTER)
    assert listener.connections == 0, dialled
    assert seen.last_error == failures.REFUSED
