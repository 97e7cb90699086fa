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

The formula is written once, in Cypher (`PARTNERS`, `RECORD`, `PARTS`, `TOTAL`): matching ranks the
candidates and cuts them to k inside its query. The counts it reads are kept on the
organizations (hub.routing.store.track_record). `score` turns the numbers that query
returns (the part values and the counts they came from) into the parts shown with a
match, so the explanation is made of the very numbers that ranked it.
"""

from __future__ import annotations

from typing import Any, LiteralString

from hub.routing.model import Need, ScorePart

WEIGHTS = {
    "headroom": 0.30,
    "proximity": 0.20,
    "track_record": 0.25,
    "collaboration": 0.15,
    "responsiveness": 0.10,
}
PRIOR = 2  # imaginary engagements at 0.5

# The organizations the requester completed an engagement with, read once per query.
PARTNERS: LiteralString = """
CALL () {
  OPTIONAL MATCH (q:Organization {uscc: $requester})
  RETURN coalesce(q.track_partners, []) AS partners
}"""

# The provider `o`'s record, kept on it (hub.routing.store.track_record).
RECORD: LiteralString = """
     coalesce(o.track_completed, 0) AS completed, coalesce(o.track_on_time, 0) AS on_time,
     coalesce(o.track_rated, 0) AS rated, coalesce(o.track_rating_sum, 0) AS rating_sum,
     coalesce(o.track_routed, 0) AS routed, coalesce(o.track_answered, 0) AS answered,
     o.uscc IN partners AS collaborated"""

# The parts of an offering's score, from its min_free, park and distance_km and its
# provider's record.
PARTS: LiteralString = """{
  headroom: CASE WHEN coalesce(min_free, 0.0) >= 2 * $quantity THEN 1.0
                 ELSE coalesce(min_free, 0.0) / (2 * $quantity) END,
  proximity: CASE WHEN park IN $preferred_parks THEN 1.0
                  WHEN distance_km IS NULL THEN 0.5
                  WHEN distance_km >= 300 THEN 0.0
                  ELSE 1 - distance_km / 300 END,
  track_record: ((on_time + $prior * 0.5) / (completed + $prior)
                 + ((rating_sum - rated) / 4.0 + $prior * 0.5) / (rated + $prior)) / 2,
  collaboration: CASE WHEN collaborated THEN 1.0 ELSE 0.0 END,
  responsiveness: (answered + $prior * 0.5) / (routed + $prior)}"""

# As Assessment.total: each part rounded to 4 places, weighted, summed in WEIGHTS order.
TOTAL: LiteralString = (
    "round(reduce(t = 0.0, name IN $part_names | t + round(parts[name], 4) * $weights[name]), 4)"
)


def params(need: Need) -> dict[str, Any]:
    """The parameters `PARTS` and `TOTAL` read."""
    return {
        "weights": WEIGHTS,
        "part_names": list(WEIGHTS),
        "prior": PRIOR,
        "preferred_parks": list(need.preferred_parks),
    }


def _proximity(row: dict[str, Any], need: Need) -> tuple[str, str]:
    park, km = row["park"], row["distance_km"]
    if park is not None and park in need.preferred_parks:
        return f"in preferred park {park}", f"位于首选园区 {park}"
    if km is not None:
        return f"{km:.0f} km", f"{km:.0f} 公里"
    return "no place given", "未给出地点"


def _details(row: dict[str, Any], need: Need) -> dict[str, tuple[str, str]]:
    free = row["min_free"] or 0.0
    done, in_time = row["completed"], row["on_time"]
    answered, routed = row["answered"], row["routed"]
    return {
        "headroom": (
            f"{free:g} free, {need.quantity:g} needed",
            f"空闲 {free:g}，需要 {need.quantity:g}",
        ),
        "proximity": _proximity(row, need),
        "track_record": (
            f"{done} completed, {in_time} on time",
            f"已完成 {done} 项，其中按时 {in_time} 项",
        ),
        "collaboration": (
            ("worked together before", "曾有合作")
            if row["collaborated"]
            else ("no engagement together yet", "尚无合作")
        ),
        "responsiveness": (
            f"{answered} of {routed} answered in time",
            f"{routed} 次派单中按时答复 {answered} 次",
        ),
    }


def score(row: dict[str, Any], need: Need) -> tuple[ScorePart, ...]:
    """The parts of a ranked candidate's score (a row of matching's candidate query),
    each with its detail in English and Chinese."""
    details = _details(row, need)
    return tuple(
        ScorePart(name, round(row["parts"][name], 4), weight, *details[name])
        for name, weight in WEIGHTS.items()
    )
