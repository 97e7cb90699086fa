// Park network: the latest-change lookups the cache fingerprint reads (hub/network/
// queries.py FINGERPRINT), one index entry each, so reading it stays cheap at any size.
// Organizations and sites have theirs since 0006.
CREATE INDEX offering_updated_at IF NOT EXISTS FOR (o:Offering) ON (o.updated_at);
CREATE INDEX certificate_updated_at IF NOT EXISTS FOR (c:Certificate) ON (c.updated_at);
CREATE INDEX capacity_bucket_updated_at IF NOT EXISTS FOR (b:CapacityBucket) ON (b.updated_at);
CREATE INDEX request_updated_at IF NOT EXISTS FOR (r:Request) ON (r.updated_at);
CREATE INDEX request_awarded_at IF NOT EXISTS FOR (r:Request) ON (r.awarded_at);
CREATE INDEX request_completed_at IF NOT EXISTS FOR (r:Request) ON (r.completed_at);
