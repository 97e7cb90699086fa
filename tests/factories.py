"""Small builders for test data (fictional organizations with valid registry numbers)."""

from __future__ import annotations

from datetime import datetime

from hub.db.driver import Database, Tx
from hub.identity import service
from hub.identity.model import Role
from hub.registry.uscc import check_character


def uscc(n: int) -> str:
    """A valid 统一社会信用代码 for the n-th fictional organization."""
    first17 = f"91110000MA{n:07d}"
    return first17 + check_character(first17)


async def _create_org(tx: Tx, code: str, name_zh: str, name_en: str) -> None:
    await tx.run(
        "MERGE (o:Organization {uscc: $uscc}) "
        "SET o.name_zh = $zh, o.name_en = $en, o.fictional = true, o.active = true, "
        "o.kind = 'provider'",
        uscc=code,
        zh=name_zh,
        en=name_en,
    )


async def organization(db: Database, n: int, name_zh: str = "", name_en: str = "") -> str:
    code = uscc(n)
    await db.write(
        _create_org,
        code,
        name_zh or f"示例机构{n}（虚构）",
        name_en or f"Example Org {n} (fictional)",
    )
    return code


async def token(
    db: Database,
    handle: str,
    *roles: str,
    expires_at: datetime | None = None,
) -> str:
    secret, _ = await service.issue_token(
        db, handle, frozenset(Role.parse(r) for r in roles), "test", expires_at
    )
    return secret
