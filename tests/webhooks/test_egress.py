"""The egress guard: receivers on loopback, link-local or private addresses, plain http
and URLs with credentials are refused, naming the field, unless an admin allows them."""

from __future__ import annotations

import pytest

from hub.config import Settings
from hub.db.driver import Database, Tx
from hub.errors import InvalidInput
from hub.webhooks import egress
from tests import factories
from tests.webhooks.common import subscribe

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
