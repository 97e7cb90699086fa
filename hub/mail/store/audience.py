"""Who is told: the people a notification goes to, read from the accounts' graph.

The only place mail reads the shape of people (owned by the accounts area); if that shape
changes, this file changes with it:

- `(:Person {id, email, language, email_confirmed_at})`: `language` is 'zh' or 'en'
  (else 'zh'); notifications go only to a confirmed address (account messages to any);
  `muted_notifications` (a list of hub.mail.kinds names, written by mail only) holds the
  notifications the person switched off;
- `(:Person)-[:MEMBER_OF]->(:Organization)`: a firm's people, whatever their role;
- `(:Person)-[:OPERATES]->(:Park)`: a park's operators; `Person.admin = true`: the hub's
  administrators.

Mail never creates a Person. Each query below returns people as RECIPIENT rows.
"""

from __future__ import annotations

from typing import LiteralString

# A person as a row of mail: who, where, in which language, and what they switched off.
RECIPIENT: LiteralString = """p {.id, .email,
  language: CASE WHEN p.language IN ['zh', 'en'] THEN p.language ELSE 'zh' END,
  muted: coalesce(p.muted_notifications, []), confirmed: p.email_confirmed_at IS NOT NULL}"""

# `o` a bound organization: its members (bound to `p`) who may be notified.
MEMBERS: LiteralString = """MATCH (p:Person)-[:MEMBER_OF]->(o)
WHERE p.email IS NOT NULL AND p.email_confirmed_at IS NOT NULL"""

PEOPLE: LiteralString = (
    """
UNWIND $ids AS id
MATCH (p:Person {id: id}) WHERE p.email IS NOT NULL
RETURN """
    + RECIPIENT
    + " AS person"
)

FIRM_MEMBERS: LiteralString = (
    """
MATCH (o:Organization {uscc: $uscc})
"""
    + MEMBERS
    + """
RETURN DISTINCT p.id AS id ORDER BY id
"""
)

# Who may verify a firm: the hub's administrators, and the operators of a park where the
# firm has a site.
VERIFIERS: LiteralString = """
CALL () {
  MATCH (p:Person) WHERE p.admin = true RETURN p
  UNION
  MATCH (:Organization {uscc: $uscc})-[:HAS_SITE]->(:Site)-[:LOCATED_IN]->(:Park)
        <-[:OPERATES]-(p:Person)
  RETURN p
}
RETURN DISTINCT p.id AS id ORDER BY id
"""
