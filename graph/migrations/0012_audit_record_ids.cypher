// Audit records are only ever appended, and read by entity and key or by time; nothing
// looks one up by id. Their ids are unique by construction (hub/audit/log.py: one random
// UUID per write, and the record's place in it), so the uniqueness constraint on a random
// UUID, which cost a write of 10,000 records about as much as the records themselves
// (random keys into a B-tree), goes.
DROP CONSTRAINT audit_record_id IF EXISTS;
