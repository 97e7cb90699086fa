// The registry: natural keys (see hub/registry/model.py) and the lookups routing needs.
CREATE CONSTRAINT site_id IF NOT EXISTS FOR (s:Site) REQUIRE s.id IS UNIQUE;
CREATE CONSTRAINT offering_id IF NOT EXISTS FOR (o:Offering) REQUIRE o.id IS UNIQUE;
CREATE CONSTRAINT equipment_id IF NOT EXISTS FOR (e:Equipment) REQUIRE e.id IS UNIQUE;
CREATE CONSTRAINT certificate_id IF NOT EXISTS FOR (c:Certificate) REQUIRE c.id IS UNIQUE;
CREATE CONSTRAINT capacity_bucket_id IF NOT EXISTS FOR (b:CapacityBucket) REQUIRE b.id IS UNIQUE;
CREATE CONSTRAINT audit_record_id IF NOT EXISTS FOR (a:AuditRecord) REQUIRE a.id IS UNIQUE;
CREATE INDEX organization_kind IF NOT EXISTS FOR (o:Organization) ON (o.kind);
CREATE INDEX site_city IF NOT EXISTS FOR (s:Site) ON (s.city);
CREATE POINT INDEX site_location IF NOT EXISTS FOR (s:Site) ON (s.location);
CREATE INDEX offering_capability IF NOT EXISTS FOR (o:Offering) ON (o.capability);
CREATE INDEX certificate_valid_to IF NOT EXISTS FOR (c:Certificate) ON (c.valid_to);
CREATE INDEX certificate_authority IF NOT EXISTS FOR (c:Certificate) ON (c.authority);
CREATE INDEX capacity_owner_start IF NOT EXISTS FOR (b:CapacityBucket) ON (b.owner_id, b.start);
CREATE INDEX audit_entity_key IF NOT EXISTS FOR (a:AuditRecord) ON (a.entity, a.key);
CREATE INDEX audit_at IF NOT EXISTS FOR (a:AuditRecord) ON (a.at);
