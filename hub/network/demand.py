"""Unmet demand: the scope's requests that no firm inside the scope was routed, and what
to recruit for.

A request is *unmet inside the scope* when its requester is a member, it has been
routed (not still submitted, not cancelled), and none of the providers routing sent it
to (its matches, each of which passed every hard constraint: capability, scale, grade,
certificates, capacity, distance) is a member: no eligible provider inside the park. It
was *served outside* when it was awarded to an outside firm (its parks, and the distance
from the requester's park centroid to the serving site); else it is *unserved*.

Recruitment ranking, per requested capability: most unmet requests first, then most
distinct requesters, then most served outside (demand proven to exist), then code. The
evidence: those counts, the firms of the scope offering the capability at all (present
but never eligible means capacity or certificates, not presence, is missing), the mean
distance served from, and the parks that served it. Distances are great-circle, from the
requester's (first) park of the scope to the serving offering's site.
Confidential requests are counted, but their requester and provider are shown to
admins only; budgets and prices are never read.
"""

from __future__ import annotations

import math
from collections import defaultdict
from statistics import fmean
from typing import Any

from hub.network.coverage import ancestors
from hub.network.model import Member, OfferingFact, RecruitRow, Scope, UnmetRequest
from hub.reference.model import Park, Taxonomy

EARTH_RADIUS_KM = 6378.14


def _firms_offering(offerings: list[OfferingFact], taxonomy: Taxonomy) -> dict[str, set[str]]:
    found: dict[str, set[str]] = defaultdict(set)
    for o in offerings:
        for code in ancestors(o.capability, taxonomy):
            found[code].add(o.uscc)
    return found


def km(a: tuple[float, float], b: tuple[float, float]) -> float:
    """Great-circle distance as Neo4j's point.distance has it (sphere of 6,378,140 m)."""
    (lat1, lon1), (lat2, lon2) = (map(math.radians, a), map(math.radians, b))
    h = math.sin((lat2 - lat1) / 2) ** 2
    h += math.cos(lat1) * math.cos(lat2) * math.sin((lon2 - lon1) / 2) ** 2
    return 2 * EARTH_RADIUS_KM * math.asin(math.sqrt(h))


def _distance(row: dict[str, Any], homes: dict[str, tuple[float, float]]) -> float | None:
    home, site = homes.get(row["requester"]), row["site"]
    if home is None or not site or site[0] is None or site[1] is None:
        return None
    return round(km(home, (site[0], site[1])), 1)


def unmet_requests(
    rows: list[dict[str, Any]],
    offerings: list[OfferingFact],
    members: list[Member],
    parks: dict[str, Park],
    taxonomy: Taxonomy,
    scope: Scope,
) -> list[UnmetRequest]:
    firms = _firms_offering(offerings, taxonomy)
    homes = {
        m.uscc: (parks[home].lat, parks[home].lon)
        for m in members
        for home in [p for p in m.parks if p in scope.parks][:1]
    }
    shown = [scope.full_access or not r["confidential"] for r in rows]
    return [
        UnmetRequest(
            request_id=r["id"],
            capability=r["capability"],
            status=r["status"],
            requester=r["requester"] if show else None,
            provider=r["provider"] if show else None,
            provider_parks=tuple(sorted(set(r["provider_parks"]))) if show else (),
            distance_km=_distance(r, homes),
            in_scope_firms=len(firms.get(r["capability"], set())),
        )
        for r, show in zip(rows, shown, strict=True)
    ]


def _parks_of(served: list[tuple[dict[str, Any], UnmetRequest]]) -> tuple[str, ...]:
    return tuple(sorted({p for row, _ in served for p in row["provider_parks"]}))


def recruit(
    rows: list[dict[str, Any]], requests: list[UnmetRequest], taxonomy: Taxonomy
) -> list[RecruitRow]:
    by_capability: dict[str, list[tuple[dict[str, Any], UnmetRequest]]] = defaultdict(list)
    for row, request in zip(rows, requests, strict=True):
        by_capability[request.capability].append((row, request))
    ranked = []
    for code, items in by_capability.items():
        served = [(row, r) for row, r in items if row["provider"] is not None]
        distances = [r.distance_km for _, r in served if r.distance_km is not None]
        node = taxonomy.nodes[code]
        ranked.append(
            RecruitRow(
                rank=0,
                capability=code,
                name_zh=node.name_zh,
                name_en=node.name_en,
                unmet_requests=len(items),
                requesters=len({row["requester"] for row, _ in items}),
                served_outside=len(served),
                unserved=len(items) - len(served),
                in_scope_firms=items[0][1].in_scope_firms,
                mean_distance_km=round(fmean(distances), 1) if distances else None,
                outside_parks=tuple(
                    sorted({p for row, _ in served for p in row["provider_parks"]})
                ),
            )
        )
    ranked.sort(key=lambda r: (-r.unmet_requests, -r.requesters, -r.served_outside, r.capability))
    return [RecruitRow(**{**r.__dict__, "rank": i + 1}) for i, r in enumerate(ranked)]
