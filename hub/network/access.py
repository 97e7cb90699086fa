"""Who may see which park network: the scope a caller asks for, narrowed to what it may see.

- Anonymous callers: 401.
- Admins: any park; no parks and no region means every park.
- Park operators (role `operator:<park>`): their own parks only. A park they do not
  operate behaves as missing (NOT_FOUND on `scope.parks`), like a forbidden object
  elsewhere in the hub; a region means their parks in that region.
- Anyone else: NOT_FOUND, as if there were no park.
What they then see is aggregates: collaboration values only for admins, never budgets.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date, timedelta

from hub.errors import InvalidInput, NotFound
from hub.identity.model import Principal, RoleKind
from hub.network.model import Scope
from hub.reference.model import Park, Region, Taxonomy
from hub.registry.model import OrgKind

MAX_PERIOD = timedelta(days=5 * 366)


def allowed_parks(principal: Principal, parks: Iterable[Park]) -> list[Park]:
    if principal.is_admin:
        return list(parks)
    mine = principal.scopes(RoleKind.OPERATOR)
    return [p for p in parks if p.code in mine]


def _missing_park(code: str) -> NotFound:
    return NotFound(
        f"scope.parks: no park {code!r} that you operate",
        f"scope.parks：没有您运营的园区 {code!r}",
        field="scope.parks",
    )


def parks_in_scope(
    principal: Principal,
    every_park: dict[str, Park],
    parks: list[str] | None,
    region: Region | None,
) -> tuple[str, ...]:
    """The park codes asked for (or all the caller may see), each one authorized."""
    visible = {p.code: p for p in allowed_parks(principal, every_park.values())}
    if parks:
        for code in parks:
            if code not in visible:
                raise _missing_park(code)
        chosen = [visible[c] for c in dict.fromkeys(parks)]
    else:
        chosen = list(visible.values())
    if region is not None:
        chosen = [p for p in chosen if p.region is region]
    if not chosen:
        raise NotFound(
            "scope: no park you operate matches",
            "scope：没有符合条件的您运营的园区",
            field="scope.region" if region is not None else "scope.parks",
        )
    return tuple(sorted(p.code for p in chosen))


def _period(start: date | None, end: date | None) -> None:
    if start is not None and end is not None:
        if end < start:
            raise InvalidInput(
                f"filter.end: {end} is before filter.start {start}",
                f"filter.end：{end} 早于 filter.start {start}",
                field="filter.end",
            )
        if end - start > MAX_PERIOD:
            raise InvalidInput(
                "filter.end: the period may span at most five years",
                "filter.end：时间段最长五年",
                field="filter.end",
            )


def scope(
    principal: Principal,
    parks: tuple[str, ...],
    taxonomy: Taxonomy,
    branch: str | None = None,
    kinds: Iterable[OrgKind] = (),
    start: date | None = None,
    end: date | None = None,
) -> Scope:
    """The validated scope: the branch must be a taxonomy node, the period well-formed."""
    if branch is not None and branch not in taxonomy.nodes:
        raise InvalidInput(
            f"filter.branch: {branch!r} is not a capability code of the taxonomy",
            f"filter.branch：{branch!r} 不是能力分类中的代码",
            field="filter.branch",
        )
    _period(start, end)
    return Scope(
        parks=parks,
        branch=branch,
        kinds=tuple(sorted({k.value for k in kinds})),
        start=start,
        end=end,
        full_access=principal.is_admin,
    )
