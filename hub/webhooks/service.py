"""Managing webhook subscriptions: only the organization's members (or an admin) may see
or change its subscriptions; to anyone else they behave as missing. Every change is
audited in its own transaction, without the secret."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from hub import values
from hub.audit import log as audit
from hub.audit.log import Actor
from hub.config import Settings
from hub.db.driver import Database, Tx
from hub.errors import Conflict, InvalidInput, NotFound
from hub.identity.model import Principal
from hub.webhooks import egress, store
from hub.webhooks.model import EVENT_TYPES, MAX_PER_ORGANIZATION, Subscription
from hub.webhooks.signing import new_secret

ENTITY = "WebhookSubscription"
MAX_DESCRIPTION = 200
AUDITED = ("url", "description", "event_types", "active")


@dataclass(frozen=True)
class Draft:
    """What a caller may set; None leaves a value as it is (on update)."""

    url: str | None = None
    description: str | None = None
    event_types: tuple[str, ...] | None = None
    active: bool | None = None


@dataclass(frozen=True)
class WithSecret:
    subscription: Subscription
    secret: str


def _missing(key: str, field: str = "id") -> NotFound:
    return NotFound(
        f"{field}: no webhook subscription {key} that you may see",
        f"{field}：不存在您可查看的 Webhook 订阅 {key}",
        field=field,
    )


def _event_types(types: tuple[str, ...]) -> list[str]:
    unknown = [t for t in types if t not in EVENT_TYPES]
    if unknown:
        raise InvalidInput(
            f"eventTypes: unknown event type {unknown[0]}; known: {', '.join(EVENT_TYPES)}",
            f"eventTypes：未知的事件类型 {unknown[0]}",
            field="eventTypes",
        )
    return sorted(set(types))


def _description(text: str) -> str:
    text = text.strip()
    if len(text) > MAX_DESCRIPTION:
        raise InvalidInput(
            f"description: at most {MAX_DESCRIPTION} characters",
            f"description：最多 {MAX_DESCRIPTION} 个字符",
            field="description",
        )
    return values.plain("description", text)


async def _changes(draft: Draft, settings: Settings) -> dict[str, Any]:
    changes: dict[str, Any] = {}
    if draft.url is not None:
        changes["url"] = await egress.check_target(draft.url, settings.webhook_allow_private)
    if draft.description is not None:
        changes["description"] = _description(draft.description)
    if draft.event_types is not None:
        changes["event_types"] = _event_types(draft.event_types)
    if draft.active is not None:
        changes["active"] = draft.active
    return changes


def _audited(row: dict[str, Any] | None) -> dict[str, Any] | None:
    """What the audit log keeps of a subscription: never its secret."""
    return None if row is None else {k: row.get(k) for k in AUDITED}


async def _audit(
    tx: Tx,
    actor: Actor,
    action: str,
    key: str,
    before: dict[str, Any] | None,
    after: dict[str, Any] | None,
) -> None:
    change = audit.Change(ENTITY, key, action, _audited(before), _audited(after))
    await audit.record(tx, actor, [change])


async def subscriptions(db: Database, principal: Principal, uscc: str) -> list[Subscription]:
    if not principal.may_act_for(uscc):
        raise _missing(uscc, "uscc")
    return [Subscription.of(row) for row in await db.read(store.listed, uscc)]


async def create(
    db: Database, principal: Principal, settings: Settings, uscc: str, draft: Draft, actor: Actor
) -> WithSecret:
    """A new subscription; it receives the organization's events from now on."""
    if not principal.may_act_for(uscc):
        raise _missing(uscc, "uscc")
    if draft.url is None:
        raise InvalidInput("url: required", "url：必填", field="url")
    changes = await _changes(draft, settings)
    secret = new_secret()

    async def work(tx: Tx) -> Subscription:
        if await store.count(tx, uscc) >= MAX_PER_ORGANIZATION:
            raise Conflict(
                f"uscc: an organization may have at most {MAX_PER_ORGANIZATION} subscriptions",
                f"uscc：每个机构最多 {MAX_PER_ORGANIZATION} 个订阅",
                field="uscc",
            )
        props = {"description": "", "event_types": [], **changes, "secret": secret}
        row = await store.create(tx, uscc, props)
        if row is None:
            raise _missing(uscc, "uscc")
        await _audit(tx, actor, "create", row["id"], None, row)
        return Subscription.of(row)

    return WithSecret(await db.write(work), secret)


async def _locked(tx: Tx, principal: Principal, subscription_id: str) -> dict[str, Any]:
    row = await store.lock(tx, subscription_id)
    if row is None or not principal.may_act_for(row["uscc"]):
        raise _missing(subscription_id)
    return row


async def update(
    db: Database,
    principal: Principal,
    settings: Settings,
    subscription_id: str,
    draft: Draft,
    actor: Actor,
) -> Subscription:
    """Change a subscription; a changed URL or a reactivation retries at once."""
    changes = await _changes(draft, settings)

    async def work(tx: Tx) -> Subscription:
        before = await _locked(tx, principal, subscription_id)
        retry_now = "url" in changes or bool(changes.get("active"))
        if retry_now:
            changes.update(failures=0, last_error=None)
        row = await store.update(tx, subscription_id, changes, retry_now)
        await _audit(tx, actor, "update", subscription_id, before, row)
        return Subscription.of(row)

    return await db.write(work)


async def rotate_secret(
    db: Database, principal: Principal, subscription_id: str, actor: Actor
) -> WithSecret:
    """A new signing secret; deliveries from now on are signed with it."""
    secret = new_secret()

    async def work(tx: Tx) -> Subscription:
        before = await _locked(tx, principal, subscription_id)
        row = await store.update(tx, subscription_id, {"secret": secret})
        await _audit(tx, actor, "rotate-secret", subscription_id, before, row)
        return Subscription.of(row)

    return WithSecret(await db.write(work), secret)


async def delete(db: Database, principal: Principal, subscription_id: str, actor: Actor) -> None:
    async def work(tx: Tx) -> None:
        before = await _locked(tx, principal, subscription_id)
        await store.delete(tx, subscription_id)
        await _audit(tx, actor, "delete", subscription_id, before, None)

    await db.write(work)
