"""Admins grow the taxonomy: a new node under an existing one, audited like any change."""

from __future__ import annotations

import re

from hub.audit import log as audit
from hub.db.driver import Database, Tx
from hub.errors import Conflict, NotFound, invalid
from hub.identity.model import Principal
from hub.reference import cache, store
from hub.reference.model import Capability, Taxonomy
from hub.values import plain

SEGMENT = re.compile(r"^[A-Z0-9]{2,6}$")
MAX_LEVEL = 4


def _require_admin(principal: Principal) -> None:
    # To anyone else the taxonomy behaves as if it had no node to extend.
    if not principal.is_admin:
        raise NotFound(
            "parent: no capability you may extend", "parent：没有您可扩展的能力节点", field="parent"
        )


def _segment(segment: str) -> str:
    """The segment in capitals; refused unless it is 2 to 6 letters or digits."""
    segment = segment.strip().upper()
    if not SEGMENT.match(segment):
        raise invalid("segment", "use 2 to 6 letters or digits", "须为 2 到 6 个字母或数字")
    return segment


def _check_names(name_zh: str, name_en: str) -> None:
    for field, value in (("nameZh", name_zh), ("nameEn", name_en)):
        if not 1 <= len(value.strip()) <= 100:
            raise invalid(field, "must have 1 to 100 characters", "须为 1 到 100 个字符")
        plain(field, value)  # one line, no control characters


def _parent(taxonomy: Taxonomy, parent: str) -> Capability:
    above = taxonomy.nodes.get(parent.strip().upper())
    if above is None:
        raise NotFound(
            f"parent: no capability {parent}", f"parent：不存在能力 {parent}", field="parent"
        )
    return above


def _child_code(taxonomy: Taxonomy, above: Capability, segment: str) -> str:
    """The new node's code; refused when taken, or when it would go below the last level."""
    code = f"{above.code}.{segment}"
    if code in taxonomy.nodes:
        raise Conflict(
            f"segment: {code} exists already", f"segment：{code} 已存在", field="segment"
        )
    if above.level + 1 > MAX_LEVEL:
        raise invalid(
            "parent", f"the taxonomy has at most {MAX_LEVEL} levels", f"能力分类最多 {MAX_LEVEL} 级"
        )
    return code


def _check_unit(taxonomy: Taxonomy, above: Capability, unit: str | None) -> None:
    """A known unit, or none when the node can inherit its parent's."""
    if unit is not None and unit not in taxonomy.units:
        raise invalid("unit", f"unknown unit {unit}", f"未知单位 {unit}")
    if unit is None and above.unit is None:
        raise invalid(
            "unit",
            "a node under an unmeasured one needs a capacity unit",
            "上级节点没有计量单位，须为新节点指定单位",
        )


def _created(node: Capability, unit: str | None) -> audit.Change:
    # The unit as given (None: inherited), as the node itself stores it.
    after = {
        "code": node.code,
        "parent": node.parent,
        "name_zh": node.name_zh,
        "name_en": node.name_en,
        "unit": unit,
    }
    return audit.Change("Capability", node.code, "create", None, after)


async def add_capability(
    db: Database,
    principal: Principal,
    parent: str,
    segment: str,
    name_zh: str,
    name_en: str,
    unit: str | None,
) -> Capability:
    """Add `parent.segment` (e.g. DP.STE + BFS = DP.STE.BFS). Admins only."""
    _require_admin(principal)
    segment = _segment(segment)
    _check_names(name_zh, name_en)

    async def work(tx: Tx) -> Capability:
        taxonomy = await store.taxonomy(tx)
        above = _parent(taxonomy, parent)
        code = _child_code(taxonomy, above, segment)
        _check_unit(taxonomy, above, unit)
        level, measured = above.level + 1, unit or above.unit
        node = Capability(code, above.code, level, name_zh.strip(), name_en.strip(), measured)
        await store.add_capability(tx, node, unit)
        await audit.record(tx, audit.Actor.serving(principal.handle), [_created(node, unit)])
        return node

    node = await db.write(work)
    cache.invalidate(db)  # this process's taxonomy; other processes within cache.TTL_S
    return node
