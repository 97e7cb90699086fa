"""Principals and roles, as plain values."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from enum import StrEnum

from hub.errors import InvalidInput


class RoleKind(StrEnum):
    PROVIDER = "provider"  # member of a provider organization (scope: its USCC)
    REQUESTER = "requester"  # member of a requester organization (scope: its USCC)
    # A firm's administrator (scope: its USCC): acts for it as a member does, and also
    # invites, re-roles and removes its members (hub/members). A firm keeps at least one.
    FIRM_ADMIN = "firm_admin"
    OPERATOR = "operator"  # operator of a park (scope: the park code)
    ADMIN = "admin"  # platform administrator (no scope)


# The roles that make a principal a member of an organization (it acts for it): each is
# the `role` of a `MEMBER_OF` relationship to the organization.
MEMBER_ROLES = frozenset({RoleKind.PROVIDER, RoleKind.REQUESTER, RoleKind.FIRM_ADMIN})


@dataclass(frozen=True, order=True)
class Role:
    kind: RoleKind
    scope: str | None = None

    @classmethod
    def parse(cls, text: str) -> Role:
        """`admin`, `provider:<USCC>`, `requester:<USCC>`, `firm_admin:<USCC>` or
        `operator:<park code>`."""
        kind_text, _, scope = text.partition(":")
        try:
            kind = RoleKind(kind_text.strip().lower())
        except ValueError:
            raise InvalidInput(
                f"unknown role {kind_text!r}: use admin, provider:USCC, requester:USCC, "
                "firm_admin:USCC or operator:PARK",
                f"未知角色 {kind_text!r}：可用 admin、provider:统一社会信用代码、"
                "requester:统一社会信用代码、firm_admin:统一社会信用代码 或 operator:园区代码",
                field="role",
            ) from None
        scope = scope.strip()
        if (kind is RoleKind.ADMIN) != (not scope):
            raise InvalidInput(
                f"role {text!r}: admin takes no scope, the other roles need one",
                f"角色 {text!r}：admin 不带范围，其他角色必须带范围",
                field="role",
            )
        return cls(kind, scope or None)

    def __str__(self) -> str:
        return self.kind.value if self.scope is None else f"{self.kind.value}:{self.scope}"


@dataclass(frozen=True)
class Principal:
    """The caller of one request. Anonymous has no id and no roles."""

    id: str
    handle: str
    roles: frozenset[Role] = field(default_factory=frozenset)
    # The token or the sign-in session (hub/accounts) it came with, if any: what a
    # long-lived connection re-checks.
    token_id: str | None = field(default=None, compare=False)
    session_id: str | None = field(default=None, compare=False)

    @property
    def is_anonymous(self) -> bool:
        return not self.id

    @property
    def is_admin(self) -> bool:
        return Role(RoleKind.ADMIN) in self.roles

    def scopes(self, kind: RoleKind) -> frozenset[str]:
        """The organizations (USCC) or parks (code) this principal holds a role of `kind` in."""
        return frozenset(r.scope for r in self.roles if r.kind is kind and r.scope)

    def may_act_for(self, uscc: str) -> bool:
        """Whether it may act for the organization: an admin, or one of its members (a
        provider, requester or firm administrator role in it)."""
        return self.is_admin or any(r.scope == uscc and r.kind in MEMBER_ROLES for r in self.roles)

    def member_scopes(self) -> frozenset[str]:
        """The organizations (USCC) it is a member of, in whatever role."""
        return frozenset(r.scope for r in self.roles if r.kind in MEMBER_ROLES and r.scope)

    def may_manage_members(self, uscc: str) -> bool:
        """Whether it may invite, re-role and remove the organization's members: an admin,
        or one of the firm's administrators."""
        return self.is_admin or Role(RoleKind.FIRM_ADMIN, uscc) in self.roles


ANONYMOUS = Principal(id="", handle="anonymous")


@dataclass(frozen=True)
class ApiToken:
    """A token's record; the secret itself is shown once and stored only as a hash."""

    id: str
    name: str
    handle: str
    created_at: datetime
    expires_at: datetime | None
    revoked_at: datetime | None
    # A personal token carries only these of its holder's roles (those the holder still
    # has); None: all of them, whatever they are when it is used.
    roles: frozenset[Role] | None = None

    def is_active(self, now: datetime) -> bool:
        return self.revoked_at is None and (self.expires_at is None or self.expires_at > now)
