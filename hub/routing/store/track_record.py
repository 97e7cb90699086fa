"""A provider's track record and a requester's partners, kept on the organization.

Scoring (hub.routing.scoring) reads, for each candidate provider `o`,
- `o.track_completed`, `o.track_on_time`: its completed engagements, and how many on time;
- `o.track_rated`, `o.track_rating_sum`: how many of them were rated, and the ratings' sum;
- `o.track_routed`, `o.track_answered`: matches routed to it, and how many it answered
  before their deadline;
and, for the requester `q`, `q.track_partners`: the providers it completed engagements with.

They are counts of what the graph holds (requests, matches), written by the same
transaction that changes what they count: routing a match, answering it, completing a
request. So the candidate query reads properties of nodes it visits anyway, and never the
requests and matches themselves (whose numbers grow with every route, and whose changing
statistics made Neo4j plan that large query again and again).

Each fragment writes organizations in USCC order, so two transactions touching the same
ones take their locks in the same order. `RECOUNT` recomputes them from the graph, for
writers that load engagements wholesale (the demo's history) and for migration 0013.
"""

from __future__ import annotations

from typing import LiteralString

# For each new match `x` routed to the provider `p` (rows in USCC order): its routed count.
ROUTED: LiteralString = """
SET p.track_routed = coalesce(p.track_routed, 0) + 1
"""

# After the match `m` was answered: its provider's answered count, when in time.
ANSWERED: LiteralString = """
WITH m
MATCH (m)-[:ROUTED_TO]->(p:Organization)
SET p.track_answered = coalesce(p.track_answered, 0)
                       + CASE WHEN m.responded_at <= m.deadline THEN 1 ELSE 0 END
"""

# The requester `q` has completed an engagement with the provider `p`.
_PARTNER: LiteralString = """
  SET q.track_partners = CASE WHEN p.uscc IN coalesce(q.track_partners, [])
                              THEN q.track_partners
                              ELSE coalesce(q.track_partners, []) + p.uscc END"""

# After the request `r` was completed: its provider's record and its requester's partners
# (the lower USCC written first).
COMPLETED: LiteralString = (
    """
WITH r
MATCH (r)-[:AWARDED_TO]->(p:Organization), (q:Organization)-[:REQUESTED]->(r)
CALL (p, q) { WITH * WHERE q.uscc < p.uscc"""
    + _PARTNER
    + """ }
SET p.track_completed = coalesce(p.track_completed, 0) + 1,
    p.track_on_time = coalesce(p.track_on_time, 0) + CASE WHEN r.on_time THEN 1 ELSE 0 END,
    p.track_rated = coalesce(p.track_rated, 0) + CASE WHEN r.rating IS NULL THEN 0 ELSE 1 END,
    p.track_rating_sum = coalesce(p.track_rating_sum, 0) + coalesce(r.rating, 0)
WITH p, q
CALL (p, q) { WITH * WHERE q.uscc > p.uscc"""
    + _PARTNER
    + """ }
"""
)

# Every count of the organizations with USCCs in `$usccs`, from the graph.
RECOUNT: LiteralString = """
MATCH (o:Organization) WHERE o.uscc IN $usccs
WITH o ORDER BY o.uscc
CALL (o) {
  WITH o,
       COLLECT { MATCH (o)<-[:AWARDED_TO]-(r:Request {status: 'completed'}) RETURN r } AS done,
       COLLECT { MATCH (o)<-[:ROUTED_TO]-(m:Match) RETURN m } AS routed,
       COLLECT { MATCH (o)-[:REQUESTED]->(:Request {status: 'completed'})
                       -[:AWARDED_TO]->(p:Organization)
                 RETURN DISTINCT p.uscc } AS partners
  SET o.track_completed = size(done),
      o.track_on_time = size([r IN done WHERE coalesce(r.on_time, false)]),
      o.track_rated = size([r IN done WHERE r.rating IS NOT NULL]),
      o.track_rating_sum = reduce(t = 0, r IN done | t + coalesce(r.rating, 0)),
      o.track_routed = size(routed),
      o.track_answered = size([m IN routed WHERE m.responded_at IS NOT NULL
                                                 AND m.responded_at <= m.deadline]),
      o.track_partners = partners
}
"""
