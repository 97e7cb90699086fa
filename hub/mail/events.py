"""Mailing routing's events: the event outbox (hub/events/outbox.py), which every routing
change already writes in its own transaction, becomes mail for the people of the firm each
event is addressed to. Routing itself does not change, and no event is mailed twice.

| event          | to the firm's people     | kind                                    |
|----------------|--------------------------|-----------------------------------------|
| match.routed   | provider                 | request_routed (answer by the deadline) |
| match.accepted | requester                | quote_received                          |
| match.awarded  | provider                 | awarded                                 |
| match.closed   | provider                 | not_awarded, or request_cancelled when  |
|                |                          | the request was never awarded or was    |
|                |                          | cancelled after its award to them       |

Each organization's stream is mailed in order from a cursor (store/events.py), one batch
per transaction: read the events and the people, queue the messages, move the cursor, all
or nothing. Keys are `<kind>:<event id>:<person>`, so a batch that runs twice (two hub
processes, a retried transaction) queues nothing twice. Streams existing when this
arrived start at their end (migration 0019): past events are not mailed.
"""

from __future__ import annotations

import json
from typing import Any

from hub.db.driver import Database, Tx
from hub.mail.kinds import Kind
from hub.mail.notify import mail, wants
from hub.mail.outbox import Mail, enqueue
from hub.mail.store import events as store

STREAMS = 100  # streams looked at per round
EVENTS = 200  # events of one stream per transaction


def kind_of(event: dict[str, Any], uscc: str) -> Kind | None:
    match event["type"]:
        case "match.routed":
            return Kind.REQUEST_ROUTED
        case "match.accepted":
            return Kind.QUOTE_RECEIVED
        case "match.awarded":
            return Kind.AWARDED
        case "match.closed":
            awarded_to = event.get("awarded_to")
            return Kind.NOT_AWARDED if awarded_to not in (None, uscc) else Kind.REQUEST_CANCELLED
    return None


def _routed_match(event: dict[str, Any]) -> dict[str, Any] | None:
    """The match a `match.routed` event announced: its offering's, the latest routed."""
    offering = json.loads(event.get("data") or "{}").get("offering")
    candidates = [m for m in event["routed"] if m.get("offering_id") == offering]
    return max(candidates, key=lambda m: (m["routed_at"], m["id"]), default=None)


def values_of(kind: Kind, event: dict[str, Any], firm: dict[str, Any]) -> dict[str, Any] | None:
    """What the kind's template needs; None when the event's subject is gone."""
    title = event.get("title")
    if title is None:
        return None
    if kind is Kind.REQUEST_ROUTED:
        routed = _routed_match(event)
        if routed is None:
            return None
        return {
            "organization_name": firm,
            "request_title": title,
            "match_id": routed["id"],
            "deadline": routed["deadline"],
        }
    if kind is Kind.QUOTE_RECEIVED:
        quote = event.get("quote") or {}
        if quote.get("quote_price") is None:
            return None
        return {
            "provider_name": event["provider_name"],
            "request_title": title,
            "request_id": event["request_id"],
            "price": quote["quote_price"],
            "currency": quote["quote_currency"],
            "lead_time_days": quote["quote_lead_time_days"],
            "valid_until": quote["quote_valid_until"],
        }
    return {"organization_name": firm, "request_title": title, "match_id": event["match_id"]}


def mails_of(uscc: str, batch: dict[str, Any]) -> list[Mail]:
    mails = []
    for event in batch["events"]:
        kind = kind_of(event, uscc)
        values = None if kind is None else values_of(kind, event, batch["organization_name"])
        if kind is None or values is None:
            continue
        for person in batch["people"]:
            if wants(kind, person):
                mails.append(mail(kind, event["id"], person, values))
    return mails


async def mail_stream(tx: Tx, uscc: str) -> int:
    """Mail the next batch of one organization's events; returns how many events."""
    batch = await store.batch(tx, uscc, EVENTS)
    events = batch["events"]
    if not events:
        return 0
    await enqueue(tx, mails_of(uscc, batch))
    await store.advance(tx, uscc, events[-1]["seq"])
    return len(events)


async def mail_events(db: Database) -> int:
    """One round over the streams that are behind; returns how many events were handled."""
    usccs = await db.read(store.behind, STREAMS)
    return sum([await db.write(mail_stream, uscc) for uscc in usccs])
