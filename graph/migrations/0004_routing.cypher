// Routing: requests, matches, and idempotency keys (one per principal and key).
CREATE CONSTRAINT request_id IF NOT EXISTS FOR (r:Request) REQUIRE r.id IS UNIQUE;
CREATE CONSTRAINT match_id IF NOT EXISTS FOR (m:Match) REQUIRE m.id IS UNIQUE;
CREATE CONSTRAINT idempotency_scope IF NOT EXISTS FOR (k:IdempotencyKey) REQUIRE k.scope IS UNIQUE;
CREATE INDEX request_requester IF NOT EXISTS FOR (r:Request) ON (r.requester, r.created_at);
CREATE INDEX request_status IF NOT EXISTS FOR (r:Request) ON (r.status);
CREATE INDEX match_status_deadline IF NOT EXISTS FOR (m:Match) ON (m.status, m.deadline);
CREATE INDEX match_uscc IF NOT EXISTS FOR (m:Match) ON (m.uscc, m.status);
