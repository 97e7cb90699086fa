"""Onboarding use cases: a firm registered or claimed by a person, verified by another.

- A registration (hub.registry.service.register_organization) of a new USCC by anyone
  but an administrator leaves the firm `pending` (hub.registry.standing) and asks for its
  verification here (`ask`); its registrant is its member and prepares it meanwhile.
- A firm already in the hub (imported, loaded by a park, a demo firm) is claimed
  (`claim`): the claim waits in the same queue, grants nothing and changes none of the
  firm's data until it is approved. Two people's claims on one firm both wait.
- Verifiers (administrators; operators of a park where the firm has a site) see the
  queue (`queue`) with the evidence, and approve or reject each entry (`decide`) with a
  reason in Chinese and/or English. Approving a registration verifies the firm; approving
  a claim makes the claimant a member; rejecting a registration marks the firm rejected
  (it stays not public). Every step is audited in its transaction; verifiers are told of
  each new entry, and the asker of the decision, by e-mail (hub.mail).

What a caller may not decide behaves as missing (NotFound), as elsewhere in the API.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any, LiteralString

import anyio

from hub import values
from hub.audit.log import Actor, Change
from hub.audit.log import record as audit
from hub.db.driver import Database, Tx
from hub.errors import Conflict, NotAuthenticated, NotFound, invalid
from hub.identity.model import Principal, RoleKind
from hub.mail.kinds import Kind
from hub.mail.notify import notify, verifiers
from hub.onboarding import evidence as files
from hub.onboarding import store
from hub.onboarding.model import Asked, Evidence, State, Verification
from hub.registry import model
from hub.registry.store import claims
from hub.registry.store.members import add_member
from hub.registry.uscc import normalize_uscc

MAX_REASON = 500
MAX_QUEUE = 200
MAX_EVIDENCE_ID = 64  # characters; the ids given are 32


def member_roles(kind: str) -> tuple[RoleKind, RoleKind]:
    """The roles of a firm's registrant or approved claimant: its member for what it
    does, and its administrator (who invites colleagues; hub/members)."""
    does = RoleKind.REQUESTER if kind == model.OrgKind.REQUESTER.value else RoleKind.PROVIDER
    return does, RoleKind.FIRM_ADMIN


def _signed_in(principal: Principal) -> Principal:
    if principal.is_anonymous:
        raise NotAuthenticated
    return principal


async def _evidence(tx: Tx, principal: Principal, evidence_id: str | None) -> str | None:
    """The id of evidence the caller uploaded; another's or none that exists: `evidence`."""
    if evidence_id is None:
        return None
    given = evidence_id.strip()
    found = None
    if 0 < len(given) <= MAX_EVIDENCE_ID and given.isalnum():
        found = await store.owned_evidence(tx, principal.id, given)
    if found is None:
        raise invalid(
            "evidence", "no evidence you uploaded with this id", "不存在您上传的该证明材料"
        )
    return found.id


def _names(row: dict[str, Any]) -> dict[str, str]:
    return {"zh": row["name_zh"], "en": row["name_en"]}


async def ask(
    tx: Tx,
    principal: Principal,
    organization: model.Organization,
    asked: Asked,
    evidence_id: str | None,
) -> str:
    """Queue a registration or claim in the caller's transaction: audited, verifiers told."""
    if asked is Asked.REGISTRATION:
        await store.mark_pending(tx, organization.uscc)
    vid = await store.ask(tx, principal.id, organization.uscc, asked, evidence_id)
    after = {"uscc": organization.uscc, "asked": asked.value, "evidence": evidence_id}
    await audit(
        tx, Actor.serving(principal.handle), [Change("Verification", vid, "request", None, after)]
    )
    names = {"zh": organization.name_zh, "en": organization.name_en}
    await notify(
        tx,
        Kind.VERIFICATION_PENDING,
        await verifiers(tx, organization.uscc),
        cause=vid,
        values={"organization_name": names, "uscc": organization.uscc},
    )
    return vid


async def site_saved(tx: Tx, uscc: str) -> None:
    """A firm awaiting verification got a site, maybe in a park whose operators may now
    verify it: they are told as the others were (each person once per entry)."""
    for vid, names in await store.waiting(tx, uscc):
        await notify(
            tx,
            Kind.VERIFICATION_PENDING,
            await verifiers(tx, uscc),
            cause=vid,
            values={"organization_name": names, "uscc": uscc},
        )


async def evidence_given(tx: Tx, principal: Principal, evidence_id: str | None) -> str | None:
    """The id of evidence the caller uploaded (None if none given); else InvalidInput."""
    return await _evidence(tx, principal, evidence_id)


async def ask_registration(
    tx: Tx, principal: Principal, organization: model.Organization, evidence_id: str | None
) -> str:
    """Queue the registration of a firm just written (pending), with checked evidence."""
    return await ask(tx, principal, organization, Asked.REGISTRATION, evidence_id)


async def claim(
    db: Database, principal: Principal, uscc: str, evidence_id: str | None
) -> Verification:
    """Ask to act for a firm already in the hub; nothing is granted before approval."""
    _signed_in(principal)
    key = normalize_uscc(uscc)
    if not evidence_id:
        raise invalid("evidence", "upload the business licence first", "请先上传营业执照")

    async def work(tx: Tx) -> Verification:
        return await claims.holding(tx, "Organization", [key], lambda: claiming(tx))

    async def claiming(tx: Tx) -> Verification:
        standing = await store.claimed(tx, principal.id, key)
        if standing is None:
            raise NotFound(
                f"uscc: no organization {key}: register it instead",
                f"uscc：不存在机构 {key}，请改为注册",
                field="uscc",
            )
        member, waiting = standing
        if member or principal.may_act_for(key):
            raise Conflict(
                f"uscc: you are already a member of {key}",
                f"uscc：您已是 {key} 的成员",
                field="uscc",
            )
        if waiting:
            raise Conflict(
                f"uscc: your claim on {key} already awaits verification",
                f"uscc：您对 {key} 的认领已在等待审核",
                field="uscc",
            )
        evidence = await _evidence(tx, principal, evidence_id)
        org = await _organization(tx, key)
        vid = await ask(tx, principal, org, Asked.CLAIM, evidence)
        found = await store.locked(tx, vid, True, [])
        assert found is not None
        return found

    return await db.write(work)


ORGANIZATION: LiteralString = """
MATCH (o:Organization {uscc: $uscc})
RETURN o {.uscc, .name_zh, .name_en, .kind} AS o
"""


async def _organization(tx: Tx, uscc: str) -> model.Organization:
    row = await tx.single(ORGANIZATION, uscc=uscc)
    assert row is not None
    o = row["o"]
    return model.Organization(o["uscc"], o["name_zh"], o["name_en"], model.OrgKind(o["kind"]))


def _verifier_scope(principal: Principal) -> tuple[bool, list[str]]:
    _signed_in(principal)
    return principal.is_admin, sorted(principal.scopes(RoleKind.OPERATOR))


async def queue(db: Database, principal: Principal, limit: int = MAX_QUEUE) -> list[Verification]:
    """The registrations and claims awaiting a decision the caller may take, oldest first."""
    admin, parks = _verifier_scope(principal)
    if not admin and not parks:
        return []
    return await db.read(store.queue, admin, parks, max(1, min(limit, MAX_QUEUE)))


def _reason(zh: str | None, en: str | None, required: bool) -> tuple[str | None, str | None]:
    raw = {"reasonZh": zh, "reasonEn": en}
    reason_zh = values.text(raw, "reasonZh", required=False, max_len=MAX_REASON, multiline=True)
    reason_en = values.text(raw, "reasonEn", required=False, max_len=MAX_REASON, multiline=True)
    if required and reason_zh is None and reason_en is None:
        raise invalid(
            "reasonZh", "give the reason (in Chinese or English)", "请说明理由（中文或英文）"
        )
    return reason_zh, reason_en


async def decide(
    db: Database,
    principal: Principal,
    verification_id: str,
    approve: bool,
    reason_zh: str | None = None,
    reason_en: str | None = None,
) -> Verification:
    """Approve or reject one entry of the caller's queue (a reason is required to reject)."""
    admin, parks = _verifier_scope(principal)
    reason = _reason(reason_zh, reason_en, required=not approve)
    state = State.APPROVED if approve else State.REJECTED

    async def work(tx: Tx) -> Verification:
        before = await store.locked(tx, verification_id, admin, parks)
        if before is None:
            raise NotFound(
                f"id: no verification {verification_id} that you may decide",
                f"id：不存在您可审核的申请 {verification_id}",
                field="id",
            )
        if before.state is not State.PENDING:
            raise Conflict(
                f"id: already {before.state.value}", f"id：已{_STATE_ZH[before.state]}", field="id"
            )
        await store.decide(tx, verification_id, state, principal.handle, reason)
        if approve and before.asked is Asked.CLAIM:
            kind = (await _organization(tx, before.uscc)).kind.value
            for role in member_roles(kind):
                await add_member(tx, before.asker_id, before.uscc, role.value)
        after = await store.locked(tx, verification_id, True, [])
        assert after is not None
        change = Change(
            "Verification",
            verification_id,
            "approve" if approve else "reject",
            {"state": before.state.value},
            {"state": state.value, "uscc": before.uscc, "asked": before.asked.value},
            reason=" / ".join(r for r in reason if r) or None,
        )
        await audit(tx, Actor.serving(principal.handle), [change])
        await _tell_asker(tx, after)
        return after

    return await db.write(work)


_STATE_ZH = {State.PENDING: "待审核", State.APPROVED: "批准", State.REJECTED: "驳回"}


async def _tell_asker(tx: Tx, v: Verification) -> None:
    await notify(
        tx,
        Kind.VERIFICATION_DECIDED,
        [v.asker_id],
        cause=v.id,
        values={
            "organization_name": {"zh": v.organization_name_zh, "en": v.organization_name_en},
            "uscc": v.uscc,
            "asked": v.asked.value,
            "approved": v.state is State.APPROVED,
            "reason": {
                "zh": v.reason_zh or v.reason_en or "",
                "en": v.reason_en or v.reason_zh or "",
            },
        },
    )


# --- evidence ------------------------------------------------------------------------


async def upload_evidence(
    db: Database, principal: Principal, folder: Path, data: bytes, most: int
) -> Evidence:
    """Check and store an evidence file for the caller's registration or claim."""
    _signed_in(principal)
    stored = await anyio.to_thread.run_sync(files.store, folder, data, most)

    async def work(tx: Tx) -> None:
        await store.save_evidence(tx, principal.id, stored)
        after = {"media_type": stored.media_type, "size": stored.size, "sha256": stored.sha256}
        await audit(
            tx,
            Actor.serving(principal.handle),
            [Change("Evidence", stored.id, "upload", None, after)],
        )

    await db.write(work)
    return stored


async def read_evidence(
    db: Database, principal: Principal, folder: Path, evidence_id: str
) -> tuple[Evidence, bytes]:
    """The file, to its uploader, the firm's members, its verifiers and admins; else missing."""
    _signed_in(principal)
    orgs = sorted(principal.scopes(RoleKind.PROVIDER) | principal.scopes(RoleKind.REQUESTER))
    parks = sorted(principal.scopes(RoleKind.OPERATOR))
    found = None
    if evidence_id.isalnum():
        found = await db.read(
            store.may_read, evidence_id, principal.id, principal.is_admin, orgs, parks
        )
    if found is None:
        raise NotFound(f"no evidence {evidence_id}", f"不存在证明材料 {evidence_id}", field="id")
    return found, await anyio.to_thread.run_sync(files.load, folder, found)
