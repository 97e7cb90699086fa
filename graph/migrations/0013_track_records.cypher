// Routing's score reads each provider's track record and the requester's partners from
// the organizations (hub/routing/track_record.py), kept by the writes that route, answer
// and complete. This counts them once from the requests and matches already in the graph.
MATCH (o:Organization)
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
};
