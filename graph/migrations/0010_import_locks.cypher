// At most one running import per organization, across hub processes (hub/registry/
// import_lock.py): one lease node per organization, `*` for an admin's imports. The
// constraint makes two processes taking the same lease at once meet on one node.
CREATE CONSTRAINT import_lock_key IF NOT EXISTS FOR (l:ImportLock) REQUIRE l.key IS UNIQUE;
