"""What the members tests share: the operations, a caller by API token, the invitation
read back from the outbox."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import httpx

from hub.db.driver import Database, Tx
from hub.identity.model import Principal, Role
from tests import factories
from tests.accounts.common import mails, token_of

PROBLEM = "... on Problem { code field messageEn messageZh }"
INVITATION = "invitation { id email uscc park role state expiresAt nameEn }"

INVITE = f"""mutation($u: String!, $e: String!, $r: MemberRole!, $l: String!) {{
  inviteMember(uscc: $u, email: $e, role: $r, language: $l) {{
  __typename ... on Invited {{ {INVITATION} }} {PROBLEM}
  ... on RateLimitedProblem {{ retryAfterSeconds }} }} }}"""
INVITE_OPERATOR = f"""mutation($p: String!, $e: String!, $l: String!) {{
  inviteParkOperator(park: $p, email: $e, language: $l) {{
  __typename ... on Invited {{ {INVITATION} }} {PROBLEM} }} }}"""
ACCEPT = f"""mutation($t: String!) {{ acceptInvitation(token: $t) {{
  __typename ... on InvitationAccepted {{ {INVITATION} }} {PROBLEM} }} }}"""
REVOKE = f"""mutation($id: ID!) {{ revokeInvitation(id: $id) {{
  __typename ... on InvitationRevoked {{ {INVITATION} }} {PROBLEM} }} }}"""
CHANGE_ROLE = f"""mutation($u: String!, $e: String!, $r: MemberRole!) {{
  changeMemberRole(uscc: $u, email: $e, role: $r) {{
  __typename ... on MemberRoleChanged {{ member {{ email role }} }} {PROBLEM} }} }}"""
REMOVE = f"""mutation($u: String!, $e: String!) {{ removeMember(uscc: $u, email: $e) {{
  __typename ... on MemberRemoved {{ email }} {PROBLEM} }} }}"""
MEMBERS = """query($u: String!) { members(uscc: $u) {
  members { email role } invitations { id email role state } } }"""
PREVIEW = "query($t: String!) { invitation(token: $t) { email uscc role state nameZh } }"
ME = "{ me { roles { kind scope } } }"
OPERATORS = """query($p: String!) { parkOperators(park: $p) {
  operators { email } invitations { email state } } }"""
REMOVE_OPERATOR = f"""mutation($p: String!, $e: String!) {{
  removeParkOperator(park: $p, email: $e) {{
  __typename ... on ParkOperatorRemoved {{ email }} {PROBLEM} }} }}"""


@dataclass
class Caller:
    """Someone calling the API with a CLI-made token (a principal, not a person)."""

    http: httpx.AsyncClient
    handle: str
    secret: str

    async def gql(self, query: str, **variables: Any) -> dict[str, Any]:
        response = await self.http.post(
            "/graphql",
            json={"query": query, "variables": variables},
            headers={"authorization": f"Bearer {self.secret}"},
        )
        body = response.json()
        assert response.status_code == 200 and "errors" not in body, body
        data: dict[str, Any] = body["data"]
        return data

    async def one(self, query: str, **variables: Any) -> dict[str, Any]:
        """The single field the operation answers."""
        [result] = (await self.gql(query, **variables)).values()
        return dict(result) if result is not None else {}


async def caller(http: httpx.AsyncClient, db: Database, handle: str, *roles: str) -> Caller:
    return Caller(http, handle, await factories.token(db, handle, *roles))


async def invitation_token(db: Database, email: str) -> str:
    """The secret of the newest invitation mailed to `email`."""
    found = await mails(db, email, "invitation")
    assert found, f"no invitation to {email}"
    return token_of(found[-1])


async def _principal(tx: Tx, handle: str) -> tuple[str, list[str]]:
    row = await tx.single(
        "MATCH (p:Principal {handle: $h}) OPTIONAL MATCH (p)-[m:MEMBER_OF]->(o) "
        "RETURN p.id AS id, collect(m.role + ':' + o.uscc) AS roles",
        h=handle,
    )
    assert row is not None
    return str(row["id"]), list(row["roles"])


async def principal(db: Database, handle: str) -> Principal:
    """The principal as a request by `handle` would see it (its firm roles)."""
    pid, roles = await db.read(_principal, handle)
    return Principal(pid, handle, frozenset(Role.parse(r) for r in roles))
