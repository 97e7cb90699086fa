// Organizations: register, verify, claim (hub/onboarding). An organization's `status` is
// 'pending' (self-registered, not yet verified), 'verified' or 'rejected'; only a verified
// (and active) one is public (hub/registry/standing.py). Firms loaded before this are
// verified: demo, imported and park-loaded firms stay public.
MATCH (o:Organization) WHERE o.status IS NULL
SET o.status = 'verified';
CREATE INDEX organization_status IF NOT EXISTS FOR (o:Organization) ON (o.status);
// A registration or claim awaiting a verifier, and the evidence uploaded for it.
CREATE CONSTRAINT verification_id IF NOT EXISTS FOR (v:Verification) REQUIRE v.id IS UNIQUE;
CREATE INDEX verification_state IF NOT EXISTS FOR (v:Verification) ON (v.state);
CREATE CONSTRAINT evidence_id IF NOT EXISTS FOR (e:Evidence) REQUIRE e.id IS UNIQUE;
