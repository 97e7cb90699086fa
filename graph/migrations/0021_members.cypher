// Members (hub/members): invitations to join a firm or to operate a park, and the firms'
// administrators (`MEMBER_OF {role: 'firm_admin'}`).
// An invitation is found by the hash of its link's secret, or by id; the purge and the
// listing of pending ones read their expiry.
CREATE CONSTRAINT invitation_id IF NOT EXISTS FOR (i:Invitation) REQUIRE i.id IS UNIQUE;
CREATE CONSTRAINT invitation_hash IF NOT EXISTS FOR (i:Invitation) REQUIRE i.hash IS UNIQUE;
CREATE INDEX invitation_expires IF NOT EXISTS FOR (i:Invitation) ON (i.expires_at);
// A firm keeps at least one administrator. Firms made before administrators existed have
// their registrant as sole member (registerOrganization made it provider or requester):
// that member becomes the firm's administrator (and a personal token naming its old role
// names the new one, so it keeps working). A firm with several members and none of them
// an administrator is left to a hub administrator to choose one (changeMemberRole): no
// rule here could tell which colleague it should be.
MATCH (o:Organization)<-[:MEMBER_OF]-(p:Principal)
WITH o, collect(DISTINCT p) AS people
WHERE size(people) = 1 AND NOT EXISTS { (o)<-[:MEMBER_OF {role: 'firm_admin'}]-() }
WITH o, people[0] AS p
MATCH (p)-[m:MEMBER_OF]->(o)
WITH o, p, collect(m) AS edges, [r IN collect(m.role) | r + ':' + o.uscc] AS before
FOREACH (m IN edges | DELETE m)
CREATE (p)-[:MEMBER_OF {role: 'firm_admin'}]->(o)
WITH o, p, before
OPTIONAL MATCH (t:ApiToken)-[:AUTHENTICATES]->(p)
WHERE t.roles IS NOT NULL AND any(r IN t.roles WHERE r IN before)
SET t.roles = [r IN t.roles WHERE NOT r IN before] + ['firm_admin:' + o.uscc];
