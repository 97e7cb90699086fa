// Fit summaries (hub/fit/summary.py): one per offering, what offering search, matching and
// the award check read instead of walking to capacity buckets and certificates. The
// statement below fills them for the offerings already stored: it is hub.fit.summary's
// REFRESH_ALL (a test checks the two are the same text).
CREATE CONSTRAINT fit_offering_id IF NOT EXISTS FOR (x:Fit) REQUIRE x.offering_id IS UNIQUE;
MATCH (f:Offering)
WITH collect(f) AS offerings

CALL (offerings) {
  UNWIND offerings AS f
  WITH DISTINCT f WHERE f IS NOT NULL
  WITH f ORDER BY f.id
  MERGE (fit:Fit {offering_id: f.id})
  MERGE (f)-[:HAS_FIT]->(fit)
  SET fit.refreshed_at = datetime()
  WITH f, fit,
       COLLECT { MATCH (f)-[:HAS_CAPACITY]->(b:CapacityBucket)
                 RETURN {id: b.id, start: b.start.epochSeconds, end: b.end.epochSeconds,
                         free: b.total - b.reserved} AS bucket
                 ORDER BY bucket.start, bucket.id } AS buckets,
       COLLECT { MATCH (f)<-[:OFFERS]-(s:Site)<-[:HAS_SITE]-(o:Organization)
                       -[:HOLDS]->(c:Certificate)-[:COVERS_SITE]->(s)
                 WHERE c.active
                   AND EXISTS { (f)-[:OF]->(:Capability)-[:BROADER*0..5]->(:Capability)
                                <-[:COVERS]-(c) }
                 RETURN {id: c.id, authority: c.authority, valid_from: c.valid_from,
                         valid_to: coalesce(c.valid_to, date('9999-12-31'))} AS certificate
                 ORDER BY certificate.valid_to DESC, certificate.id } AS certificates
  WITH fit, buckets, certificates,
       reduce(cover = {start: [], end: []}, b IN buckets |
         CASE WHEN size(cover.end) > 0 AND b.start <= cover.end[-1]
              THEN {start: cover.start,
                    end: cover.end[..-1] + [CASE WHEN b.end > cover.end[-1]
                                                 THEN b.end ELSE cover.end[-1] END]}
              ELSE {start: cover.start + [b.start], end: cover.end + [b.end]} END) AS cover
  SET fit.bucket_ids = [b IN buckets | b.id],
      fit.bucket_start = [b IN buckets | b.start],
      fit.bucket_end = [b IN buckets | b.end],
      fit.bucket_free = [b IN buckets | toFloat(b.free)],
      fit.cover_start = cover.start,
      fit.cover_end = cover.end,
      fit.cert_ids = [c IN certificates | c.id],
      fit.cert_authority = [c IN certificates | c.authority],
      fit.cert_from = [c IN certificates | c.valid_from],
      fit.cert_to = [c IN certificates | c.valid_to]
};
