"""The dispatcher: a background task of every hub process that delivers outbox events to
webhook subscriptions.

- At least once, in order per subscription: a subscription's cursor moves past an event
  only after its receiver answered 2xx, and the next event is sent only after that.
- One process at a time per subscription: a process takes a lease on the subscription
  (see store.py) and extends it with every delivery; the others skip it meanwhile. If a
  process dies, its lease runs out and another carries on from the cursor, so an event
  may be sent twice, always with the same `webhook-id`.
- Failures (network error, timeout, non-2xx, any redirect, a target the egress guard
  refuses) are retried with exponential backoff; the HTTP call never runs inside a
  database transaction. What the owner reads of a failure (`lastError`) is a fixed
  category (see failures.py), never an address, a port or the system's error text.
"""

from __future__ import annotations

import asyncio
import random
import time
import uuid
from dataclasses import dataclass

import httpx
import structlog

from hub.config import Settings
from hub.db.driver import Database
from hub.errors import DatabaseUnavailable, InvalidInput
from hub.metrics import WEBHOOK_DELIVERIES, WEBHOOK_SECONDS
from hub.webhooks import egress, failures, store
from hub.webhooks.model import Message
from hub.webhooks.signing import headers

log = structlog.get_logger("hub.webhooks")

BATCH = 50
SUBSCRIPTIONS_AT_ONCE = 8


@dataclass(frozen=True)
class Claimed:
    id: str
    uscc: str
    url: str
    secret: str
    event_types: tuple[str, ...]
    cursor: int
    failures: int

    def wants(self, event_type: str) -> bool:
        return not self.event_types or event_type in self.event_types


def backoff_s(failures: int, settings: Settings) -> float:
    """Delay before the next attempt after `failures` failed ones: doubling, capped, with
    up to 10 % jitter so that many receivers coming back are not hit at the same instant."""
    delay = min(
        settings.webhook_backoff_base_s * 2 ** (failures - 1), settings.webhook_backoff_max_s
    )
    return float(delay * (1 + random.random() / 10))  # noqa: S311 - jitter, not secrecy


class Dispatcher:
    def __init__(self, db: Database, http: httpx.AsyncClient, settings: Settings) -> None:
        """`http` is used as it is only where private receivers are allowed; otherwise the
        dispatcher delivers through its own client with `http`'s timeout and headers,
        whose every connection the egress guard checks (closed by `aclose`)."""
        self.db = db
        self.owned = None if settings.webhook_allow_private else egress.guarded_client(http)
        self.http = self.owned or http
        self.settings = settings
        self.worker = str(uuid.uuid4())

    async def aclose(self) -> None:
        if self.owned is not None:
            await self.owned.aclose()

    async def run_forever(self) -> None:
        """Deliver until cancelled; sleep only when there was nothing to do."""
        try:
            while True:
                try:
                    if await self.once():
                        continue
                except DatabaseUnavailable:
                    log.warning("webhook dispatch skipped: database unavailable")
                except Exception:
                    log.exception("webhook dispatch failed")
                await asyncio.sleep(self.settings.events_poll_interval_s)
        finally:
            await self.aclose()

    async def once(self) -> int:
        """One round: claim due subscriptions, drain each; returns events delivered."""
        rows = await self.db.write(
            store.claim, self.worker, self.settings.webhook_lease_s, SUBSCRIPTIONS_AT_ONCE
        )
        claimed = [
            Claimed(**{**row, "event_types": tuple(row.get("event_types") or ())}) for row in rows
        ]
        done = await asyncio.gather(*(self._drain(c) for c in claimed))
        return sum(done)

    async def _drain(self, sub: Claimed) -> int:
        """Send the subscription's next events in order until one fails or none are left."""
        events = await self.db.read(store.pending, sub.uscc, sub.cursor, BATCH)
        passed, sent = sub.cursor, 0
        refused = await self._refused(sub) if any(sub.wants(e["type"]) for e in events) else None
        for event in events:
            message = Message.of(event)
            if not sub.wants(message.type):
                passed = message.sequence
                continue
            error = refused or await self._send(sub, message)
            if error is not None:
                delay = backoff_s(sub.failures + 1, self.settings)
                await self.db.write(
                    store.failed, sub.id, self.worker, passed, error, int(delay * 1000)
                )
                log.info("webhook failed", subscription=sub.id, seq=message.sequence, error=error)
                return sent
            held = await self.db.write(
                store.delivered,
                sub.id,
                self.worker,
                message.sequence,
                self.settings.webhook_lease_s,
            )
            passed, sent = message.sequence, sent + 1
            if not held:  # the lease ran out and another process took over
                return sent
        await self.db.write(store.release, sub.id, self.worker, passed)
        return sent

    async def _refused(self, sub: Claimed) -> str | None:
        """Why the egress guard refuses the receiver now (DNS answers change), once a batch."""
        try:
            await egress.check_target(sub.url, self.settings.webhook_allow_private)
        except InvalidInput:
            WEBHOOK_DELIVERIES.labels("refused").inc()
            return failures.REFUSED
        return None

    async def _send(self, sub: Claimed, message: Message) -> str | None:
        """None when the receiver took the message; otherwise why not (for the owner)."""
        timestamp = int(time.time())
        began = time.perf_counter()
        try:
            response = await self.http.post(
                sub.url,
                content=message.body.encode(),
                headers=headers(sub.secret, message.id, timestamp, message.body),
                timeout=self.settings.webhook_timeout_s,
                follow_redirects=False,
            )
        except httpx.HTTPError as error:
            WEBHOOK_DELIVERIES.labels("failed").inc()
            log.info("webhook delivery error", subscription=sub.id, error=repr(error))
            return failures.category(error)
        WEBHOOK_SECONDS.observe(time.perf_counter() - began)
        if response.is_success:
            WEBHOOK_DELIVERIES.labels("delivered").inc()
            return None
        WEBHOOK_DELIVERIES.labels("failed").inc()
        return f"HTTP {response.status_code}"
