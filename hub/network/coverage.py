"""Coverage and gaps: for every taxonomy node, how many firms of the scope offer it.

A firm offers a node when it has an active offering, at a site in a scope park, of the
node or of anything beneath it (subsumption, as routing matches). `certified_firms`
counts the firms for which such an offering is covered today by a valid, active
certificate of the firm (covering the offering's site and its capability or a broader
one). Status: MISSING with no firm, SINGLE with exactly one, COVERED with two or more.
With a branch filter, only the branch and the nodes beneath it are listed.
"""

from __future__ import annotations

from collections import defaultdict

from hub.network.model import CoverageRow, CoverageStatus, OfferingFact
from hub.reference.model import Taxonomy


def ancestors(code: str, taxonomy: Taxonomy) -> list[str]:
    """The node and every broader node, nearest first."""
    chain = []
    node = taxonomy.nodes.get(code)
    while node is not None:
        chain.append(node.code)
        node = taxonomy.nodes.get(node.parent) if node.parent else None
    return chain


def _status(firms: int) -> CoverageStatus:
    if firms == 0:
        return CoverageStatus.MISSING
    return CoverageStatus.SINGLE if firms == 1 else CoverageStatus.COVERED


def coverage(
    offerings: list[OfferingFact], taxonomy: Taxonomy, branch: str | None
) -> list[CoverageRow]:
    firms: dict[str, set[str]] = defaultdict(set)
    certified: dict[str, set[str]] = defaultdict(set)
    for o in offerings:
        for code in ancestors(o.capability, taxonomy):
            firms[code].add(o.uscc)
            if o.certified:
                certified[code].add(o.uscc)
    rows = []
    for code, node in sorted(taxonomy.nodes.items()):
        if branch is not None and branch not in ancestors(code, taxonomy):
            continue
        holders = firms.get(code, set())
        rows.append(
            CoverageRow(
                capability=code,
                level=node.level,
                name_zh=node.name_zh,
                name_en=node.name_en,
                firms=len(holders),
                certified_firms=len(certified.get(code, set())),
                status=_status(len(holders)),
                single_firm=next(iter(holders)) if len(holders) == 1 else None,
            )
        )
    return rows
