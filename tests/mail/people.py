"""People as the accounts area stores them (hub/mail/store/audience.py reads this shape):
mail tests make their own, since mail never creates a Person."""

from __future__ import annotations

from hub.db.driver import Database, Tx


async def _person(
    tx: Tx, id: str, email: str, language: str, uscc: str | None, muted: list[str], confirmed: bool
) -> None:
    await tx.run(
        "CREATE (p:Person {id: $id, email: $email, language: $language}) "
        "SET p.muted_notifications = CASE WHEN size($muted) > 0 THEN $muted END, "
        "    p.email_confirmed_at = CASE WHEN $confirmed THEN datetime() END "
        "WITH p OPTIONAL MATCH (o:Organization {uscc: $uscc}) "
        "FOREACH (_ IN CASE WHEN o IS NULL THEN [] ELSE [1] END | "
        "  CREATE (p)-[:MEMBER_OF {role: 'provider'}]->(o))",
        id=id,
        email=email,
        language=language,
        uscc=uscc,
        muted=muted,
        confirmed=confirmed,
    )


async def person(
    db: Database,
    id: str,
    language: str = "zh",
    uscc: str | None = None,
    muted: tuple[str, ...] = (),
    confirmed: bool = True,
) -> str:
    """A person (a member of `uscc` if given); their address is `<id>@example.cn`,
    confirmed unless told otherwise."""
    await db.write(_person, id, f"{id}@example.cn", language, uscc, list(muted), confirmed)
    return id
