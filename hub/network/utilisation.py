"""Utilisation and sharing rate of the scope's published capacity, by branch and month.

Over the capacity buckets of offerings at scope sites that start in the period (China
time), per level-2 taxonomy branch (which fixes the capacity unit; a bucket's own unit
is kept, so units never mix) and month of the bucket's start:

    utilisation  = reserved / total
    sharing rate = shared / reserved, where shared is the part reserved by requests of
                   organizations other than the bucket's owner: the figure instrument-
                   sharing assessments ask for (capacity used by others).

Equipment buckets (hourly instrument booking) are not counted; only offering capacity.
"""

from __future__ import annotations

from collections import defaultdict
from typing import Any

from hub.network.coverage import ancestors
from hub.network.model import UtilisationRow
from hub.reference.model import Taxonomy


def branch_of(code: str, taxonomy: Taxonomy) -> str:
    chain = ancestors(code, taxonomy)
    level_2 = [c for c in chain if taxonomy.nodes[c].level == 2]
    return level_2[0] if level_2 else chain[0] if chain else code


def utilisation(rows: list[dict[str, Any]], taxonomy: Taxonomy) -> list[UtilisationRow]:
    sums: dict[tuple[str, str, str], list[float]] = defaultdict(lambda: [0.0, 0.0, 0.0])
    for r in rows:
        key = (branch_of(r["capability"], taxonomy), r["month"], r["unit"])
        total = sums[key]
        total[0] += float(r["total"])
        total[1] += float(r["reserved"])
        total[2] += float(r["shared"])
    return [
        UtilisationRow(branch, month, unit, round(t, 4), round(res, 4), round(sh, 4))
        for (branch, month, unit), (t, res, sh) in sorted(sums.items())
    ]
