"""The score of a candidate: soft preferences, every part returned with its weight.

    total = 0.30·headroom + 0.20·proximity + 0.25·track record
          + 0.15·prior collaboration + 0.10·responsiveness          (each part in 0..1)

- headroom: min(1, least free capacity in the window / (2 × quantity)): 0.5 when the
  provider has just enough, 1 with twice the need free;
- proximity: 1 in a preferred park; else 1 − distance/300 km (floored at 0) when the
  request gives a place; else 0.5;
- track record: completed engagements' on-time rate and rating, each shrunk towards 0.5
  by two imaginary engagements (a newcomer starts at 0.5, not at 0 or 1);
- prior collaboration: 1 when the two organizations completed an engagement before (a
  graph path requester → request → provider), else 0;
- responsiveness: share of routed matches answered before their deadline, shrunk the same way.
Ties are broken by offering id, so the order is deterministic.
"""

from __future__ import annotations

from dataclasses import dataclass

from hub.db.driver import Tx
from hub.routing.model import Assessment, Need, ScorePart

WEIGHTS = {
    "headroom": 0.30,
    "proximity": 0.20,
    "track_record": 0.25,
    "collaboration": 0.15,
    "responsiveness": 0.10,
}
PRIOR = 2  # imaginary engagements at 0.5

HISTORY = """
UNWIND $usccs AS uscc
MATCH (p:Organization {uscc: uscc})
RETURN uscc,
  COUNT { (p)<-[:AWARDED_TO]-(:Request {status: 'completed'}) } AS completed,
  COUNT { (p)<-[:AWARDED_TO]-(r:Request {status: 'completed'}) WHERE r.on_time } AS on_time,
  COLLECT { MATCH (p)<-[:AWARDED_TO]-(r:Request {status: 'completed'})
            RETURN r.rating } AS ratings,
  EXISTS { (:Organization {uscc: $requester})-[:REQUESTED]->(:Request {status: 'completed'})
           -[:AWARDED_TO]->(p) } AS collaborated,
  COUNT { (p)<-[:ROUTED_TO]-(:Match) } AS routed,
  COUNT { (p)<-[:ROUTED_TO]-(m:Match) WHERE m.responded_at IS NOT NULL
          AND m.responded_at <= m.deadline } AS answered
"""


@dataclass(frozen=True)
class History:
    completed: int = 0
    on_time: int = 0
    ratings: tuple[float, ...] = ()
    collaborated: bool = False
    routed: int = 0
    answered: int = 0


def _shrunk(successes: float, trials: int) -> float:
    return (successes + PRIOR * 0.5) / (trials + PRIOR)


async def histories(tx: Tx, usccs: list[str], requester: str) -> dict[str, History]:
    rows = await tx.records(HISTORY, usccs=usccs, requester=requester)
    return {
        r["uscc"]: History(
            r["completed"],
            r["on_time"],
            tuple(r["ratings"]),
            r["collaborated"],
            r["routed"],
            r["answered"],
        )
        for r in rows
    }


def _proximity(found: Assessment, need: Need) -> tuple[float, str, str]:
    park = found.evidence.park
    if park in need.preferred_parks:
        return 1.0, f"in preferred park {park}", f"位于首选园区 {park}"
    if found.distance_km is not None:
        km = found.distance_km
        return max(0.0, 1 - km / 300), f"{km:.0f} km", f"{km:.0f} 公里"
    return 0.5, "no place given", "未给出地点"


def _track_record(history: History) -> tuple[float, str, str]:
    on_time = _shrunk(history.on_time, history.completed)
    rating = _shrunk(sum((r - 1) / 4 for r in history.ratings), len(history.ratings))
    done, in_time = history.completed, history.on_time
    return (
        (on_time + rating) / 2,
        f"{done} completed, {in_time} on time",
        f"已完成 {done} 项，其中按时 {in_time} 项",
    )


def score(found: Assessment, need: Need, history: History) -> tuple[ScorePart, ...]:
    """The parts of the score, each with its detail in English and Chinese."""
    free = found.min_free or 0.0
    answered, routed = history.answered, history.routed
    together = (
        ("worked together before", "曾有合作")
        if history.collaborated
        else ("no engagement together yet", "尚无合作")
    )
    parts = [
        (
            "headroom",
            min(1.0, free / (2 * need.quantity)),
            f"{free:g} free, {need.quantity:g} needed",
            f"空闲 {free:g}，需要 {need.quantity:g}",
        ),
        ("proximity", *_proximity(found, need)),
        ("track_record", *_track_record(history)),
        ("collaboration", 1.0 if history.collaborated else 0.0, *together),
        (
            "responsiveness",
            _shrunk(answered, routed),
            f"{answered} of {routed} answered in time",
            f"{routed} 次派单中按时答复 {answered} 次",
        ),
    ]
    return tuple(
        ScorePart(name, round(value, 4), WEIGHTS[name], detail_en, detail_zh)
        for name, value, detail_en, detail_zh in parts
    )
