"""Admins grow the taxonomy: a new node under an existing one, audited like any change."""

from __future__ import annotations

import re

from hub.audit import log as audit
from hub.db.driver import Database, Tx
from hub.errors import Conflict, InvalidInput, NotFound
from hub.identity.model import Principal
from hub.reference import cache, store
from hub.reference.model import Capability
from hub.registry.rules import plain

SEGMENT = re.compile(r"^[A-Z0-9]{2,6}$")
MAX_LEVEL = 4

ADD = """
MATCH (parent:Capability {code: $parent})
CREATE (c:Capability {code: $code, name_zh: $name_zh, name_en: $name_en, level: $level})
CREATE (c)-[:BROADER]->(parent)
WITH c
CALL (c) {
  MATCH (u:Unit {code: $unit})
  CREATE (c)-[:MEASURED_IN]->(u)
}
"""


def _invalid(field: str, en: str, zh: str) -> InvalidInput:
    return InvalidInput(f"{field}: {en}", f"{field}：{zh}", field=field)


def _check_names(name_zh: str, name_en: str) -> None:
    for field, value in (("nameZh", name_zh), ("nameEn", name_en)):
        if not 1 <= len(value.strip()) <= 100:
            raise _invalid(field, "must have 1 to 100 characters", "须为 1 到 100 个字符")
        plain(field, value)  # one line, no control characters


async def add_capability(
    db: Database,
    principal: Principal,
    parent: str,
    segment: str,
    name_zh: str,
    name_en: str,
    unit: str | None,
    request_id: str | None = None,
) -> Capability:
    """Add `parent.segment` (e.g. DP.STE + BFS = DP.STE.BFS). Admins only."""
    if not principal.is_admin:
        raise NotFound(
            "parent: no capability you may extend", "parent：没有您可扩展的能力节点", field="parent"
        )
    segment = segment.strip().upper()
    if not SEGMENT.match(segment):
        raise _invalid("segment", "use 2 to 6 letters or digits", "须为 2 到 6 个字母或数字")
    _check_names(name_zh, name_en)

    async def work(tx: Tx) -> Capability:
        taxonomy = await store.taxonomy(tx)
        above = taxonomy.nodes.get(parent.strip().upper())
        if above is None:
            raise NotFound(
                f"parent: no capability {parent}", f"parent：不存在能力 {parent}", field="parent"
            )
        code = f"{above.code}.{segment}"
        if code in taxonomy.nodes:
            raise Conflict(
                f"segment: {code} exists already", f"segment：{code} 已存在", field="segment"
            )
        if above.level + 1 > MAX_LEVEL:
            raise _invalid(
                "parent",
                f"the taxonomy has at most {MAX_LEVEL} levels",
                f"能力分类最多 {MAX_LEVEL} 级",
            )
        if unit is not None and unit not in taxonomy.units:
            raise _invalid("unit", f"unknown unit {unit}", f"未知单位 {unit}")
        if unit is None and above.unit is None:
            raise _invalid(
                "unit",
                "a node under an unmeasured one needs a capacity unit",
                "上级节点没有计量单位，须为新节点指定单位",
            )
        node = Capability(
            code, above.code, above.level + 1, name_zh.strip(), name_en.strip(), unit or above.unit
        )
        await tx.run(
            ADD,
            parent=above.code,
            code=code,
            name_zh=node.name_zh,
            name_en=node.name_en,
            level=node.level,
            unit=unit,
        )
        after = {
            "code": code,
            "parent": above.code,
            "name_zh": node.name_zh,
            "name_en": node.name_en,
            "unit": unit,
        }
        change = audit.Change("Capability", code, "create", None, after)
        await audit.record(tx, audit.Actor(principal.handle, request_id), [change])
        return node

    node = await db.write(work)
    cache.invalidate(db)  # this process's taxonomy; other processes within cache.TTL_S
    return node
