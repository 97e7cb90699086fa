"""Registry use cases: authorize, validate, write (audited), in one transaction each.

Only members of an organization (provider or requester role scoped to its USCC) or an
admin may change it; to anyone else the organization's objects behave as missing. Whether
an organization is active (searched, routed, shown) only admins change.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Callable, Mapping, Sequence
from typing import Any

from hub import values
from hub.audit.log import Actor
from hub.db.driver import Database, Tx
from hub.errors import Conflict, NotFound, invalid
from hub.identity.model import Principal, Role
from hub.onboarding import service as onboarding
from hub.reference.model import Reference
from hub.reference.store import reference
from hub.registry import model, rules
from hub.registry.model import owner_of
from hub.registry.standing import Status
from hub.registry.store import claims
from hub.registry.store.entities import (
    CAPACITY,
    CERTIFICATE,
    EQUIPMENT,
    OFFERING,
    ORGANIZATION,
    SITE,
    Storage,
)
from hub.registry.store.members import add_member
from hub.registry.store.reads import owner_units
from hub.registry.store.states import organization as organization_of_state
from hub.registry.store.writes import Summary, apply, apply_states, read_state, read_states
from hub.registry.uscc import normalize_uscc
from hub.values import Raw

MAX_BUCKETS_PER_CALL = 9000  # a year of hours: 8,784
MAX_REASON = 500  # as a declined match's reason


def _require_member(principal: Principal, uscc: str, field: str = "uscc") -> None:
    if not principal.may_act_for(uscc):
        raise NotFound(
            f"no organization {uscc} that you may change",
            f"不存在您可修改的机构 {uscc}",
            field=field,
        )


async def register_organization(
    db: Database, principal: Principal, raw: Raw, evidence: str | None = None
) -> tuple[model.Organization, Principal]:
    """A new organization. Registered by an admin, it is verified at once; by anyone else,
    it is pending (hub.registry.standing) until verified (hub.onboarding), and the caller
    becomes its member, to prepare it meanwhile. A USCC already in the hub is claimed,
    not registered again (claimOrganization).

    Returns the organization, and the principal with its new role.
    """

    async def work(tx: Tx) -> tuple[model.Organization, Principal]:
        organization = rules.organization(raw, await reference(tx))
        given = await onboarding.evidence_given(tx, principal, evidence)
        return await claims.holding(
            tx, "Organization", [organization.uscc], lambda: register(tx, organization, given)
        )

    async def register(
        tx: Tx, organization: model.Organization, given: str | None
    ) -> tuple[model.Organization, Principal]:
        if await read_state(tx, organization) is not None:
            raise Conflict(
                f"uscc: {organization.uscc} is already in the hub: claim it "
                "(claimOrganization) with your business licence instead",
                f"uscc：{organization.uscc} 已在平台上：请上传营业执照认领该机构"
                "（claimOrganization），而不是重新注册",
                field="uscc",
            )
        await apply(tx, [organization], Actor.serving(principal.handle))
        if principal.is_admin:
            return organization, principal
        await onboarding.ask_registration(tx, principal, organization, given)
        roles = {
            Role(kind, organization.uscc)
            for kind in onboarding.member_roles(organization.kind.value)
        }
        for role in roles:
            await add_member(tx, principal.id, organization.uscc, role.kind.value)
        pending = dataclasses.replace(organization, status=Status.PENDING.value)
        return pending, dataclasses.replace(principal, roles=principal.roles | roles)

    return await db.write(work)


async def update_organization(db: Database, principal: Principal, raw: Raw) -> model.Organization:
    async def work(tx: Tx) -> model.Organization:
        organization = rules.organization(raw, await reference(tx))
        _require_member(principal, organization.uscc)
        before = await read_state(tx, organization)
        if before is None:
            raise _no_organization(organization.uscc)
        # Only an admin (set_organization_active) turns an organization on or off; and
        # whether it is fictional (demo data) is the loader's mark, not the profile's.
        organization = dataclasses.replace(
            organization,
            active=before.get("active", True),
            fictional=before.get("fictional", False),
        )
        await apply(tx, [organization], Actor.serving(principal.handle))
        return organization

    return await db.write(work)


def _no_organization(uscc: str) -> NotFound:
    return NotFound(f"uscc: no organization {uscc}", f"uscc：不存在机构 {uscc}", field="uscc")


async def set_organization_active(
    db: Database,
    principal: Principal,
    uscc: str,
    active: bool,
    reason: str | None = None,
) -> tuple[model.Organization, bool]:
    """Deactivate or reactivate an organization (admins only), audited with the reason.

    Returns the organization and whether it changed: asking for the state it is already
    in writes nothing and records nothing.
    """
    if not principal.is_admin:
        raise NotFound(
            f"uscc: no organization {uscc} that you may change",
            f"uscc：不存在您可修改的机构 {uscc}",
            field="uscc",
        )
    key = normalize_uscc(uscc)
    why = values.text(
        {"reason": reason}, "reason", required=False, max_len=MAX_REASON, multiline=True
    )

    async def work(tx: Tx) -> tuple[model.Organization, bool]:
        stored = await read_states(tx, ORGANIZATION, [key])
        if key not in stored:
            raise _no_organization(key)
        state = {**stored[key], "active": active}
        done = await apply_states(
            tx, ORGANIZATION, {key: state}, Actor.serving(principal.handle), reason=why
        )
        return organization_of_state(state), done.updated > 0

    return await db.write(work)


Parse = Callable[[Raw, Reference], Any]

PARSERS: dict[str, Parse] = {
    "site": rules.site,
    "offering": rules.offering,
    "equipment": lambda raw, _ref: rules.equipment(raw),
    "certificate": rules.certificate,
}


async def save(db: Database, principal: Principal, what: str, raw: Raw) -> Any:
    """Create or update a site, offering, equipment or certificate (keyed naturally)."""

    async def work(tx: Tx) -> Any:
        entity = PARSERS[what](raw, await reference(tx))
        _require_member(principal, entity.uscc if what == "certificate" else owner_of(entity.id))
        if what == "certificate":
            # Its key (authority/number) is not its holder's: two organizations may try
            # to claim one number at once, and only one may hold it.
            await claims.holding(tx, "Certificate", [entity.id], lambda: apply(tx, [entity], actor))
        else:
            await apply(tx, [entity], actor)
        if what == "site":
            await onboarding.site_saved(tx, entity.uscc)
        return entity

    actor = Actor.serving(principal.handle)

    return await db.write(work)


RETIRABLE: dict[str, Storage] = {
    "site": SITE,
    "offering": OFFERING,
    "equipment": EQUIPMENT,
    "certificate": CERTIFICATE,
}


async def retire(db: Database, principal: Principal, what: str, key: str) -> dict[str, Any]:
    """Mark a site, offering, equipment or certificate inactive (history stays)."""
    kind = RETIRABLE[what]

    async def work(tx: Tx) -> dict[str, Any]:
        states = await _states(tx, kind, [key], principal, "id")
        retired = {**states[key], "active": False}
        await apply_states(tx, kind, {key: retired}, Actor.serving(principal.handle))
        return retired

    return await db.write(work)


async def _states(
    tx: Tx, kind: Storage, keys: Sequence[str], principal: Principal, field: str
) -> dict[str, dict[str, Any]]:
    """Current states of keys the principal may change; others are NotFound."""
    rows = await read_states(tx, kind, keys)
    for key in keys:
        state = rows.get(key)
        uscc = None if state is None else state.get("uscc") or owner_of(key)
        if uscc is None or not principal.may_act_for(uscc):
            raise NotFound(f"{field}: no {kind.label} {key}", f"{field}：不存在 {key}", field=field)
    return rows


async def publish_capacity(
    db: Database,
    principal: Principal,
    owner_id: str,
    buckets: Sequence[Mapping[str, Any]],
) -> Summary:
    """Publish many capacity buckets of one offering or equipment at once."""
    if not buckets or len(buckets) > MAX_BUCKETS_PER_CALL:
        raise invalid(
            "buckets",
            f"give 1 to {MAX_BUCKETS_PER_CALL} buckets",
            f"请提供 1 到 {MAX_BUCKETS_PER_CALL} 个时段",
        )
    _require_member(principal, owner_of(owner_id), "owner")

    async def work(tx: Tx) -> Summary:
        unit = (await owner_units(tx, [owner_id])).get(owner_id)
        if unit is None:
            raise NotFound(
                f"owner: no offering or equipment {owner_id}",
                f"owner：不存在服务或设备 {owner_id}",
                field="owner",
            )
        entities = [rules.bucket(raw, owner_id, unit) for raw in buckets]
        keys = [b.id for b in entities]
        if len(set(keys)) != len(keys):
            raise invalid("buckets", "two buckets have the same start", "有两个时段起点相同")
        return await apply(tx, entities, Actor.serving(principal.handle))

    return await db.write(work)


async def adjust_capacity(
    db: Database, principal: Principal, bucket_id: str, total: float
) -> dict[str, Any]:
    """Change one bucket's total; refused below what is already reserved."""
    new_total = values.required_number({"total": total}, "total")

    async def work(tx: Tx) -> dict[str, Any]:
        states = await _states(tx, CAPACITY, [bucket_id], principal, "id")
        state = {**states[bucket_id], "total": new_total}
        await apply_states(tx, CAPACITY, {bucket_id: state}, Actor.serving(principal.handle))
        return state

    return await db.write(work)
