"""Use cases of a firm's members and of park operators: invite by e-mail, accept by the
link, revoke, change a role, remove; list a firm's members and pending invitations.

Who may do what:
- a firm's administrators (`firm_admin:USCC`) and the hub's administrators invite to the
  firm, revoke its invitations, change its members' roles and remove members; any member
  may leave (remove themselves);
- the hub's administrators and a park's operators invite operators to that park;
- the person the invitation was sent to, signed in with that address confirmed, accepts.
To anyone else the firm, park or invitation behaves as missing.

A firm keeps at least one administrator: a role change or removal that would leave a firm
that has administrators with none is refused. It is checked under a lock on the firm's
node, after reading its members, so two such changes (two administrators removing each
other) are serialised and the second sees the first. Every change is audited in its
transaction; the invitation e-mail is queued in the same transaction.
"""

from __future__ import annotations

import secrets
import uuid
from dataclasses import dataclass, replace
from datetime import datetime, timedelta

from hub.accounts import limits, rules
from hub.accounts.links import console_url
from hub.audit.log import Actor, Change
from hub.audit.log import record as audit
from hub.config import Settings
from hub.db.driver import Database, Tx
from hub.errors import Conflict, HubError, NotFound, invalid
from hub.identity.model import Principal, Role, RoleKind
from hub.identity.service import hash_token
from hub.mail.kinds import Kind
from hub.mail.outbox import Language, Mail, enqueue
from hub.members import store
from hub.members.model import (
    OPERATOR,
    ROLE_NAMES,
    Invitation,
    InvitationState,
    Member,
    MemberRole,
    Operators,
    Roster,
    strongest,
)
from hub.registry.uscc import normalize_uscc
from hub.values import plain

INVITATION_TTL = timedelta(days=7)
MAX_TOKEN = 100
MAX_PARK = 50


@dataclass(frozen=True)
class InviteForm:
    """Who is invited, in which language the e-mail goes, from which client address."""

    email: str
    language: str
    address: str


# Failures, each naming its field


def _no_firm(uscc: str) -> HubError:
    return NotFound(
        f"uscc: no organization {uscc} whose members you may manage",
        f"uscc：不存在您可管理其成员的机构 {uscc}",
        field="uscc",
    )


def _no_park(park: str) -> HubError:
    return NotFound(
        f"park: no park {park} whose operators you may invite",
        f"park：不存在您可邀请其运营人员的园区 {park}",
        field="park",
    )


def _no_member(email: str) -> HubError:
    return NotFound(
        f"email: {email} is not a member of this organization",
        f"email：{email} 不是该机构的成员",
        field="email",
    )


def _last_admin(field: str) -> HubError:
    return Conflict(
        f"{field}: the organization must keep at least one administrator; make another "
        "member its administrator first",
        f"{field}：机构必须至少保留一名管理员；请先将另一名成员设为管理员",
        field=field,
    )


def _bad_token() -> HubError:
    return invalid(
        "token",
        "this invitation link is not valid; ask whoever invited you for a new one",
        "邀请链接无效；请向邀请人索取新的邀请",
    )


STATE_REFUSALS = {
    InvitationState.ACCEPTED: ("was accepted already", "已被接受"),
    InvitationState.REVOKED: ("was revoked; ask for a new one", "已被撤销；请索取新的邀请"),
    InvitationState.EXPIRED: ("has expired; ask for a new one", "已过期；请索取新的邀请"),
}


def _not_pending(field: str, state: InvitationState) -> HubError:
    en, zh = STATE_REFUSALS[state]
    return Conflict(f"{field}: this invitation {en}", f"{field}：该邀请{zh}", field=field)


# Checks of the input


def _park_code(park: str) -> str:
    code = plain("park", park.strip())
    if not 1 <= len(code) <= MAX_PARK:
        raise invalid(
            "park", f"must have 1 to {MAX_PARK} characters", f"须为 1 到 {MAX_PARK} 个字符"
        )
    return code


def _token_hash(token: str) -> str:
    token = token.strip()
    if not token or len(token) > MAX_TOKEN:
        raise _bad_token()
    return hash_token(token)


def _may_invite_to_park(principal: Principal, park: str) -> bool:
    return principal.is_admin or Role(RoleKind.OPERATOR, park) in principal.roles


# Inviting


@dataclass(frozen=True)
class _Target:
    uscc: str | None
    park: str | None
    role: str


async def invite_member(
    db: Database,
    settings: Settings,
    principal: Principal,
    uscc_text: str,
    role: MemberRole,
    form: InviteForm,
    now: datetime,
) -> Invitation:
    """Invite an address to the firm in `role`: a firm or hub administrator only."""
    uscc = normalize_uscc(uscc_text)
    if not principal.may_manage_members(uscc):
        raise _no_firm(uscc)
    return await _invite(db, settings, principal, _Target(uscc, None, role.value), form, now)


async def invite_park_operator(
    db: Database,
    settings: Settings,
    principal: Principal,
    park_text: str,
    form: InviteForm,
    now: datetime,
) -> Invitation:
    """Invite an address to operate the park: a hub administrator or one of its operators."""
    park = _park_code(park_text)
    if not _may_invite_to_park(principal, park):
        raise _no_park(park)
    return await _invite(db, settings, principal, _Target(None, park, OPERATOR), form, now)


async def _invite(
    db: Database,
    settings: Settings,
    principal: Principal,
    target: _Target,
    form: InviteForm,
    now: datetime,
) -> Invitation:
    email = rules.email("email", form.email)
    language = rules.language("language", form.language)
    counters = limits.invitation_counters(settings, principal.id, email, form.address)
    places = await limits.take(db, counters, now, "email")
    secret = secrets.token_urlsafe(32)
    row = {
        "id": str(uuid.uuid4()),
        "hash": hash_token(secret),
        "inviter": principal.id,
        "email": email,
        "role": target.role,
        "language": language,
        "uscc": target.uscc,
        "park": target.park,
        "now": now,
        "expires_at": now + INVITATION_TTL,
    }

    async def work(tx: Tx) -> Invitation:
        await _refuse_if_in(tx, target, email)
        made = await store.create_invitation(tx, row)
        if made is None:
            raise _no_firm(target.uscc) if target.uscc else _no_park(str(target.park))
        invitation, superseded = made
        link = f"{console_url(settings)}#/invitation?token={secret}"
        await enqueue(tx, [_mail(invitation, principal.handle, link)])
        replaced = {"state": "revoked", "replaced_by": invitation.id}
        changes = [
            Change("Invitation", old, "supersede", {"state": "pending"}, replaced)
            for old in superseded
        ]
        changes.append(Change("Invitation", invitation.id, "create", None, _audited(invitation)))
        await audit(tx, Actor.serving(principal.handle), changes)
        return invitation

    try:
        return await db.write(work)
    except (Conflict, NotFound):  # nothing was sent: the attempt does not count
        await limits.give_back(db, places)
        raise


async def _refuse_if_in(tx: Tx, target: _Target, email: str) -> None:
    """Conflict when the address is already a member of the firm (operator of the park)."""
    if target.uscc is not None:
        firm = await store.lock_firm(tx, target.uscc)
        if firm is None:
            raise _no_firm(target.uscc)
        if firm.member(email) is not None:
            raise Conflict(
                f"email: {email} is a member of this organization already; change their "
                "role instead",
                f"email：{email} 已是该机构的成员；请改为修改其角色",
                field="email",
            )
    elif target.park is not None and await store.is_operator(tx, email, target.park):
        raise Conflict(
            f"email: {email} operates this park already",
            f"email：{email} 已是该园区的运营人员",
            field="email",
        )


def _mail(invitation: Invitation, inviter: str, link: str) -> Mail:
    values = {
        "inviter_name": inviter,
        "organization_name": {"zh": invitation.target_name_zh, "en": invitation.target_name_en},
        "role": ROLE_NAMES[invitation.role],
        "link": link,
        "expires_at": invitation.expires_at.isoformat(timespec="seconds"),
    }
    language: Language = "en" if invitation.language == "en" else "zh"
    key = f"{Kind.INVITATION.value}:{invitation.id}"
    return Mail(key, invitation.email, language, Kind.INVITATION.value, values)


def _audited(invitation: Invitation) -> dict[str, object]:
    return {
        "email": invitation.email,
        "role": invitation.role,
        "uscc": invitation.uscc,
        "park": invitation.park,
        "language": invitation.language,
        "expires_at": invitation.expires_at,
    }


# Accepting and revoking


async def accept_invitation(
    db: Database, principal: Principal, token: str, now: datetime
) -> Invitation:
    """The signed-in caller joins the firm (operates the park) the link invites to; the
    caller's confirmed address must be the one invited."""
    token_hash = _token_hash(token)
    found = await db.read(store.acceptor, principal.id)
    email, confirmed = found if found is not None else (principal.handle, False)

    async def work(tx: Tx) -> Invitation:
        invitation = await store.lock_invitation(tx, token_hash=token_hash)
        if invitation is None:
            raise _bad_token()
        state = invitation.state(now)
        if state is not InvitationState.PENDING:
            raise _not_pending("token", state)
        _check_acceptor(invitation, email, confirmed)
        change = await _join(tx, invitation, principal)
        await store.accept(tx, invitation.id, principal.id, now)
        accepted = Change("Invitation", invitation.id, "accept", None, {"accepted_by": email})
        await audit(tx, Actor.serving(principal.handle), [accepted, change])
        return replace(invitation, stored_state=InvitationState.ACCEPTED, accepted_at=now)

    return await db.write(work)


def _check_acceptor(invitation: Invitation, email: str, confirmed: bool) -> None:
    if email.lower() != invitation.email:  # not the caller's: as if missing
        raise NotFound(
            "token: no invitation to your e-mail address has this link; sign in with the "
            "address the invitation was sent to",
            "token：没有发给您的电子邮箱地址的此邀请链接；请用收到邀请的地址登录",
            field="token",
        )
    if not confirmed:
        raise Conflict(
            "token: confirm your e-mail address first (by the link we mailed when you "
            "signed up), then accept the invitation",
            "token：请先确认您的电子邮箱（通过注册时收到的链接），再接受邀请",
            field="token",
        )


async def _join(tx: Tx, invitation: Invitation, principal: Principal) -> Change:
    """Make the caller what the invitation offers; the audited change."""
    if invitation.park is not None:
        await store.add_operator(tx, principal.id, invitation.park)
        key = f"{invitation.park}/{principal.id}"
        return Change("ParkOperator", key, "create", None, {"email": invitation.email})
    uscc = str(invitation.uscc)
    firm = await store.lock_firm(tx, uscc)
    if firm is None:
        raise _bad_token()
    if firm.member(principal.handle) is not None:
        raise Conflict(
            "token: you are a member of this organization already",
            "token：您已是该机构的成员",
            field="token",
        )
    role = MemberRole(invitation.role)
    await store.set_role(tx, principal.id, uscc, role)
    after = {"email": invitation.email, "role": role.value}
    return Change("Member", f"{uscc}/{principal.id}", "create", None, after)


async def revoke_invitation(
    db: Database, principal: Principal, invitation_id: str, now: datetime
) -> Invitation:
    """Revoke a pending invitation: whoever may invite to its firm or park."""

    async def work(tx: Tx) -> Invitation:
        invitation = await store.lock_invitation(tx, invitation_id=invitation_id)
        if invitation is None or not _may_revoke(principal, invitation):
            raise NotFound(
                f"id: no invitation {invitation_id} that you may revoke",
                f"id：不存在您可撤销的邀请 {invitation_id}",
                field="id",
            )
        state = invitation.state(now)
        if state is not InvitationState.PENDING:
            raise _not_pending("id", state)
        await store.revoke(tx, invitation.id, now)
        change = Change("Invitation", invitation.id, "revoke", {"state": "pending"}, None)
        await audit(tx, Actor.serving(principal.handle), [change])
        return replace(invitation, stored_state=InvitationState.REVOKED, revoked_at=now)

    return await db.write(work)


def _may_revoke(principal: Principal, invitation: Invitation) -> bool:
    if invitation.uscc is not None:
        return principal.may_manage_members(invitation.uscc)
    return _may_invite_to_park(principal, str(invitation.park))


async def preview(db: Database, token: str, now: datetime) -> tuple[Invitation, bool] | None:
    """What a link invites to, for its holder (the console shows it before sign-in), and
    whether it can still be accepted; None for an unknown link."""
    try:
        token_hash = _token_hash(token)
    except HubError:
        return None
    found = await db.read(store.find_invitation, token_hash)
    return None if found is None else (found, found.state(now) is InvitationState.PENDING)


# Members


async def roster(db: Database, principal: Principal, uscc: str, now: datetime) -> Roster | None:
    """The firm's members and pending invitations: to its members and the hub's
    administrators only (None to anyone else, as for a firm that does not exist)."""
    if not principal.may_act_for(uscc):
        return None
    return await db.read(store.roster, uscc, now)


async def _locked_for_change(
    tx: Tx, principal: Principal, uscc: str, email: str, leaving: bool = False
) -> tuple[store.LockedFirm, store.FirmMember]:
    """The firm locked, and the member to change; the caller must still be one of the
    firm's administrators (or a hub admin, or the member leaving)."""
    firm = await store.lock_firm(tx, uscc)
    if firm is None:
        raise _no_firm(uscc)
    me = firm.member(principal.handle)
    if not (principal.is_admin or leaving or (me is not None and me.is_admin)):
        raise _no_firm(uscc)
    target = firm.member(email)
    if target is None:
        raise _no_member(email)
    return firm, target


async def change_member_role(
    db: Database, principal: Principal, uscc_text: str, email_text: str, role: MemberRole
) -> Member:
    uscc = normalize_uscc(uscc_text)
    email = rules.email("email", email_text)
    if not principal.may_manage_members(uscc):
        raise _no_firm(uscc)

    async def work(tx: Tx) -> Member:
        firm, target = await _locked_for_change(tx, principal, uscc, email)
        before = strongest(set(target.roles))
        member = Member(target.id, target.handle, "", role)
        if target.roles == {role.value}:
            return member  # nothing changes, nothing is recorded
        admins = firm.admins() - {target.id}
        if role is MemberRole.FIRM_ADMIN:
            admins.add(target.id)
        if firm.admins() and not admins:
            raise _last_admin("role")
        await store.set_role(tx, target.id, uscc, role)
        before_role = None if before is None else before.value
        change = Change(
            "Member", f"{uscc}/{target.id}", "change_role", {"role": before_role}, {"role": role}
        )
        await audit(tx, Actor.serving(principal.handle), [change])
        return member

    return await db.write(work)


async def require_second_factor(
    db: Database, principal: Principal, uscc_text: str, required: bool
) -> bool:
    """Whether the firm's members must have a second factor to act for it (its
    administrators and the hub's). An administrator turning the rule on must have one,
    or the firm would lose them; members without one keep their membership but act for
    the firm again only once they turn one on (hub/identity/store.py ROLES_OF_P)."""
    uscc = normalize_uscc(uscc_text)
    if not principal.may_manage_members(uscc):
        raise _no_firm(uscc)

    async def work(tx: Tx) -> bool:
        firm = await store.lock_firm(tx, uscc)
        me = None if firm is None else firm.member(principal.handle)
        if firm is None or not (principal.is_admin or (me is not None and me.is_admin)):
            raise _no_firm(uscc)
        if required and not principal.is_admin and me is not None and not me.second_factor:
            raise Conflict(
                "required: turn on a second factor for your own account first",
                "required：请先为您自己的账户开启双重验证",
                field="required",
            )
        before = await store.set_second_factor_rule(tx, uscc, required)
        if before != required:
            rule = "second_factor_required"
            change = Change("Organization", uscc, rule, {rule: before}, {rule: required})
            await audit(tx, Actor.serving(principal.handle), [change])
        return required

    return await db.write(work)


async def remove_member(db: Database, principal: Principal, uscc_text: str, email_text: str) -> str:
    """Remove a member (or leave, when it is the caller); the address removed."""
    uscc = normalize_uscc(uscc_text)
    email = rules.email("email", email_text)
    leaving = email == principal.handle.lower() and principal.may_act_for(uscc)
    if not (leaving or principal.may_manage_members(uscc)):
        raise _no_firm(uscc)

    async def work(tx: Tx) -> str:
        firm, target = await _locked_for_change(tx, principal, uscc, email, leaving)
        if firm.admins() and not firm.admins() - {target.id}:
            raise _last_admin("email")
        await store.remove_member(tx, target.id, uscc)
        before = {"email": target.handle, "roles": sorted(target.roles)}
        change = Change("Member", f"{uscc}/{target.id}", "remove", before, None)
        await audit(tx, Actor.serving(principal.handle), [change])
        return target.handle

    return await db.write(work)


# Park operators


async def park_operators(
    db: Database, principal: Principal, park: str, now: datetime
) -> Operators | None:
    """The park's operators and pending invitations: to them and the hub's administrators
    (None to anyone else, as for a park that does not exist)."""
    if not _may_invite_to_park(principal, park):
        return None
    return await db.read(store.park_operators, park, now)


async def remove_park_operator(
    db: Database, principal: Principal, park_text: str, email_text: str
) -> str:
    """Stop someone operating the park (the hub's administrators and the park's operators,
    themselves included); the address removed."""
    park = _park_code(park_text)
    email = rules.email("email", email_text)
    if not _may_invite_to_park(principal, park):
        raise _no_park(park)

    async def work(tx: Tx) -> str:
        removed = await store.remove_operator(tx, email, park)
        if removed is None:
            raise NotFound(
                f"email: {email} does not operate this park",
                f"email：{email} 不是该园区的运营人员",
                field="email",
            )
        change = Change("ParkOperator", f"{park}/{removed}", "remove", {"email": email}, None)
        await audit(tx, Actor.serving(principal.handle), [change])
        return email

    return await db.write(work)
