"""What no longer counts is forgotten: sessions past their absolute end, links past their
expiry, counters whose window is over; what still counts stays. Nothing due: no write."""

from __future__ import annotations

from datetime import timedelta

import httpx

from hub.accounts.purge import purge
from hub.config import Settings
from hub.db.driver import Database, Tx
from hub.time import now
from tests.accounts.common import REQUEST_RESET, signed_in


async def _counts(tx: Tx) -> dict[str, int]:
    row = await tx.single(
        "RETURN COUNT { (:Session) } AS sessions, COUNT { (:AccountLink) } AS links, "
        "COUNT { (:RateCounter) } AS counters"
    )
    assert row is not None
    return dict(row)


async def test_ended_sessions_links_and_counters_are_purged(
    clean: Database, app_client: httpx.AsyncClient, settings: Settings
) -> None:
    browser = await signed_in(app_client, clean, "purge@example.test")
    await browser.gql(REQUEST_RESET, e="purge@example.test")
    before = await clean.read(_counts)
    assert before == {"sessions": 1, "links": 2, "counters": 6}
    assert await purge(clean, now()) == 0
    assert await clean.read(_counts) == before
    later = now() + timedelta(seconds=settings.session_max_s + settings.confirm_link_ttl_s)
    fingerprint = await clean.fingerprint()
    assert await purge(clean, later) == sum(before.values())
    assert await clean.read(_counts) == {"sessions": 0, "links": 0, "counters": 0}
    assert await clean.fingerprint() != fingerprint
    fingerprint = await clean.fingerprint()
    assert await purge(clean, later) == 0
    assert await clean.fingerprint() == fingerprint  # nothing due: nothing written
