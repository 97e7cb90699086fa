"""Telling people: the entry points other areas call, inside their own transaction.

    await notify(tx, Kind.INVITATION, [person_id], cause=invitation_id, values={...})
    await notify(tx, Kind.VERIFICATION_PENDING, await verifiers(tx, uscc), cause=claim_id,
                 values={"organization_name": {"zh": ..., "en": ...}, "uscc": uscc})

- A message goes to each person who has the kind switched on and a confirmed address
  (account kinds: always, to the address the person gave), in
  the person's language, with the `values` its template needs (hub/mail/samples.py shows
  them by kind; a value in both languages is a `{"zh": ..., "en": ...}` map).
- `cause` names the event (a token id, a claim id ...): the outbox key
  `<kind>:<cause>:<person>` lets one event mail one person once, however often the
  transaction runs. Messages are written with the caller's change, sent after it commits.
- To write to an address that is no person yet (an invitation to a newcomer), build a
  `hub.mail.outbox.Mail` directly and `enqueue` it.

Routing's events (routed, quote received, awarded, not awarded, cancelled) are mailed by
hub/mail/events.py from the event outbox, and the reminders by hub/mail/reminders.py: no
caller needs to notify those.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from hub.db.driver import Tx
from hub.mail.kinds import Kind
from hub.mail.outbox import Mail, enqueue
from hub.mail.store import audience


def key(kind: Kind, cause: str, person_id: str) -> str:
    return f"{kind.value}:{cause}:{person_id}"


def wants(kind: Kind, person: dict[str, Any]) -> bool:
    """Whether a RECIPIENT row gets this kind: account messages always; notifications
    when switched on, at a confirmed address."""
    return not kind.switchable or (person["confirmed"] and kind.value not in person["muted"])


def mail(kind: Kind, cause: str, person: dict[str, Any], values: dict[str, Any]) -> Mail:
    return Mail(key(kind, cause, person["id"]), person["email"], person["language"], kind, values)


async def mails_for(
    tx: Tx, kind: Kind, person_ids: Iterable[str], cause: str, values: dict[str, Any]
) -> list[Mail]:
    """The messages for those of the people who have `kind` on (one query, any number)."""
    ids = sorted(set(person_ids))
    if not ids:
        return []
    rows = await tx.records(audience.PEOPLE, ids=ids)
    people = [dict(r["person"]) for r in rows]
    return [mail(kind, cause, p, values) for p in people if wants(kind, p)]


async def notify(
    tx: Tx, kind: Kind, person_ids: Iterable[str], cause: str, values: dict[str, Any]
) -> list[Mail]:
    """Queue the messages of `mails_for` in the caller's transaction; returns them."""
    mails = await mails_for(tx, kind, person_ids, cause, values)
    await enqueue(tx, mails)
    return mails


async def members(tx: Tx, uscc: str) -> list[str]:
    """The ids of the firm's people."""
    return [r["id"] for r in await tx.records(audience.FIRM_MEMBERS, uscc=uscc)]


async def verifiers(tx: Tx, uscc: str) -> list[str]:
    """The ids of those who may verify the firm: administrators, its parks' operators."""
    return [r["id"] for r in await tx.records(audience.VERIFIERS, uscc=uscc)]
