"""Accounts: people who sign up with an e-mail address and a password, sign in to the
console with a session, and hold personal API tokens.

A person is a principal (hub/identity) with the `Person` label: one node,
`(:Principal:Person {id, handle = email, email, language, display_name, password_hash,
email_confirmed_at, ...})`. So everything a principal has, a person has, in the same
shape, and all authorization keeps working unchanged:

- roles: `(p)-[:MEMBER_OF {role: 'provider'|'requester'|'firm_admin'}]->(:Organization)`
  (a member of that firm, role `provider:USCC` / `requester:USCC`, or its administrator,
  `firm_admin:USCC`: hub/members), `(p)-[:OPERATES]->(:Park)`
  (`operator:CODE`) and `p.admin = true` (`admin`). Sign-up gives none: organizations
  (registration, claims, verification) and invitations add and remove these relationships,
  and a session or token sees the change at its next request;
- credentials: `(:Session)-[:SIGNS_IN]->(p)` (the console, hub/accounts/sessions.py) and
  `(:ApiToken)-[:AUTHENTICATES]->(p)` (machines; a personal token names some of the
  person's roles and carries only those while the person still holds them).

A principal made by `hub tokens create --user <e-mail>` is an account too: sign-up of that
address answers as for any existing account, and a password reset sent to it makes it a
person (the link proves the mailbox, the new password is set in the same step).
"""
