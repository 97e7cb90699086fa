"""Notification preferences: each person switches each kind of notification on or off.

Entry points (the accounts area's API calls them after checking that the caller is the
person, or may act for them):

    await preferences(db, person_id)               -> {Kind: on?} for every switchable kind
    await switch(db, actor, person_id, kind, on)   -> the same, after the change (audited)

Everything is on until switched off. Account messages (confirm, reset) cannot be.
"""

from __future__ import annotations

from hub.audit.log import Actor, Change
from hub.audit.log import record as audit
from hub.db.driver import Database, Tx
from hub.errors import InvalidInput, NotFound
from hub.mail.kinds import NOTIFICATIONS, Kind
from hub.mail.store import preferences as store

Preferences = dict[Kind, bool]


def _as_preferences(muted: list[str]) -> Preferences:
    return {kind: kind.value not in muted for kind in NOTIFICATIONS}


def _missing(person_id: str) -> NotFound:
    return NotFound(f"no person {person_id}", f"没有此人：{person_id}", field="person")


async def preferences(db: Database, person_id: str) -> Preferences:
    muted = await db.read(store.muted, person_id)
    if muted is None:
        raise _missing(person_id)
    return _as_preferences(muted)


async def switch(db: Database, actor: Actor, person_id: str, kind: Kind, on: bool) -> Preferences:
    if not kind.switchable:
        raise InvalidInput(
            f"kind: {kind.value} messages about your account cannot be switched off",
            f"kind：关于账户本身的 {kind.value} 邮件不能关闭",
            field="kind",
        )

    async def work(tx: Tx) -> Preferences:
        changed = await store.switch(tx, person_id, kind.value, on)
        if changed is None:
            raise _missing(person_id)
        before, after = changed
        if before != after:
            change = Change(
                "Person", person_id, "notifications", {"muted": before}, {"muted": after}
            )
            await audit(tx, actor, [change])
        return _as_preferences(after)

    return await db.write(work)
