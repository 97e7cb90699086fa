"""Notifying people: only those who have the kind on, in their language, once per cause;
preferences switched per person and audited; who belongs to a firm, who verifies it."""

from __future__ import annotations

import asyncio
import json

import pytest

from hub.audit.log import Actor
from hub.db.driver import Database, Tx, counting_round_trips
from hub.errors import InvalidInput, NotFound
from hub.mail import preferences
from hub.mail.kinds import NOTIFICATIONS, Kind
from hub.mail.notify import mails_for, members, notify, verifiers
from hub.mail.samples import SAMPLES
from hub.mail.store import preferences as preferences_store
from tests import factories
from tests.mail.common import blocked, keys
from tests.mail.people import person
from tests.registry import sample

ROUTED = SAMPLES[Kind.REQUEST_ROUTED]


async def test_only_people_who_have_the_kind_on_get_it_in_their_language(clean: Database) -> None:
    await person(clean, "zh-reader", "zh")
    await person(clean, "en-reader", "en")
    await person(clean, "muted", "en", muted=(Kind.REQUEST_ROUTED.value, Kind.AWARDED.value))
    await person(clean, "unconfirmed", "en", confirmed=False)
    wanted = ["zh-reader", "en-reader", "muted", "unconfirmed", "no-such-person"]

    async def work(tx: Tx) -> list[tuple[str, str, str, str]]:
        mails = await mails_for(tx, Kind.REQUEST_ROUTED, wanted, "match-1", ROUTED)
        return sorted((m.key, m.to, m.language, m.template) for m in mails)

    with counting_round_trips() as queries:
        found = await clean.read(work)
    assert found == [
        ("request_routed:match-1:en-reader", "en-reader@example.cn", "en", "request_routed"),
        ("request_routed:match-1:zh-reader", "zh-reader@example.cn", "zh", "request_routed"),
    ]
    assert len(queries) == 1  # one query, however many people


async def test_account_messages_go_whatever_was_switched_off_even_unconfirmed(
    clean: Database,
) -> None:
    await person(clean, "muted", muted=tuple(k.value for k in NOTIFICATIONS))
    await person(clean, "new", confirmed=False)

    async def work(tx: Tx) -> list[str]:
        values = SAMPLES[Kind.CONFIRM_EMAIL]
        mails = await mails_for(tx, Kind.CONFIRM_EMAIL, ["muted", "new"], "t1", values)
        return sorted(m.key for m in mails)

    assert await clean.read(work) == ["confirm_email:t1:muted", "confirm_email:t1:new"]


async def test_one_cause_mails_one_person_once_however_often_it_is_notified(
    clean: Database,
) -> None:
    await person(clean, "a")

    async def work(tx: Tx) -> None:
        await notify(tx, Kind.REQUEST_ROUTED, ["a", "a"], "match-1", ROUTED)
        await notify(tx, Kind.REQUEST_ROUTED, ["a"], "match-1", {**ROUTED, "request_title": "x"})

    await clean.write(work)
    await clean.write(work)  # a transaction run again

    async def stored(tx: Tx) -> list[dict[str, str]]:
        rows = await tx.records("MATCH (m:MailMessage) RETURN m {.key, .values, .state} AS m")
        return [dict(r["m"]) for r in rows]

    [only] = await clean.read(stored)
    assert only["key"] == "request_routed:match-1:a" and only["state"] == "queued"
    assert json.loads(only["values"])["request_title"] == ROUTED["request_title"]


async def test_a_firms_members_and_its_verifiers(clean: Database) -> None:
    await sample.load(clean)
    stranger = await factories.organization(clean, 77)
    await person(clean, "member", uscc=sample.USCC)
    await person(clean, "outsider", uscc=stranger)

    async def roles(tx: Tx) -> None:
        await tx.run(
            "CREATE (:Person {id: 'admin', email: 'admin@example.cn', admin: true}) "
            "WITH 1 AS _ MATCH (park:Park {code: 'BJ-ETOWN'}) "
            "CREATE (:Person {id: 'etown-operator', email: 'op@example.cn'})-[:OPERATES]->(park) "
            "WITH 1 AS _ MATCH (other:Park) WHERE other.code <> 'BJ-ETOWN' "
            "WITH other LIMIT 1 "
            "CREATE (:Person {id: 'other-operator', email: 'op2@example.cn'})-[:OPERATES]->(other)"
        )

    await clean.write(roles)
    assert await clean.read(members, sample.USCC) == ["member"]
    assert await clean.read(verifiers, sample.USCC) == ["admin", "etown-operator"]
    assert await clean.read(verifiers, stranger) == ["admin"]  # no site, no park


async def test_each_kind_is_on_until_switched_off_and_each_switch_is_audited(
    clean: Database,
) -> None:
    await person(clean, "li")
    actor = Actor("li@example.cn")
    assert await preferences.preferences(clean, "li") == dict.fromkeys(NOTIFICATIONS, True)

    off = await preferences.switch(clean, actor, "li", Kind.QUOTE_RECEIVED, on=False)
    assert off == {**dict.fromkeys(NOTIFICATIONS, True), Kind.QUOTE_RECEIVED: False}
    assert await preferences.switch(clean, actor, "li", Kind.QUOTE_RECEIVED, on=False) == off
    assert await preferences.preferences(clean, "li") == off

    async def work(tx: Tx) -> list[str]:
        m = await mails_for(tx, Kind.QUOTE_RECEIVED, ["li"], "q", SAMPLES[Kind.QUOTE_RECEIVED])
        return [x.key for x in m]

    assert await clean.read(work) == []
    back = await preferences.switch(clean, actor, "li", Kind.QUOTE_RECEIVED, on=True)
    assert back == dict.fromkeys(NOTIFICATIONS, True)
    assert await clean.read(work) == ["quote_received:q:li"]

    async def audited(tx: Tx) -> list[tuple[str, str, str]]:
        rows = await tx.records(
            "MATCH (a:AuditRecord {entity: 'Person', key: 'li'}) "
            "RETURN a.actor AS actor, a.before AS before, a.after AS after ORDER BY a.at"
        )
        return [(r["actor"], r["before"], r["after"]) for r in rows]

    assert await clean.read(audited) == [  # two changes, the repeat changed nothing
        ("li@example.cn", '{"muted": []}', '{"muted": ["quote_received"]}'),
        ("li@example.cn", '{"muted": ["quote_received"]}', '{"muted": []}'),
    ]
    assert await keys(clean) == []


async def test_two_switches_at_once_both_count_and_are_audited_in_order(
    clean: Database,
) -> None:
    """The first switch's transaction stays open until the second is seen waiting on the
    person's lock; then it commits."""
    await person(clean, "li")
    async with clean.driver.session(database=clean.name) as session:
        first = await session.begin_transaction()
        try:
            await preferences_store.switch(Tx(first), "li", "quote_received", False)  # type: ignore[arg-type]
            second = asyncio.create_task(
                preferences.switch(clean, Actor("li"), "li", Kind.AWARDED, on=False)
            )
            await blocked(clean, "muted_notifications")
            await first.commit()
        finally:
            await first.close()
    async with asyncio.timeout(30):
        after = await second
    assert [k for k, on in after.items() if not on] == [Kind.QUOTE_RECEIVED, Kind.AWARDED]

    async def audited(tx: Tx) -> list[str]:
        rows = await tx.records("MATCH (a:AuditRecord {entity: 'Person'}) RETURN a.before AS b")
        return [r["b"] for r in rows]

    assert await clean.read(audited) == ['{"muted": ["quote_received"]}']


async def test_account_messages_cannot_be_switched_off(clean: Database) -> None:
    await person(clean, "li")
    with pytest.raises(InvalidInput, match="cannot be switched off"):
        await preferences.switch(clean, Actor("li"), "li", Kind.CONFIRM_EMAIL, on=False)


async def test_preferences_of_nobody_are_not_found(clean: Database) -> None:
    with pytest.raises(NotFound):
        await preferences.preferences(clean, "nobody")
    with pytest.raises(NotFound):
        await preferences.switch(clean, Actor("x"), "nobody", Kind.AWARDED, on=False)
