// Accounts (hub/accounts): people, sign-in sessions, single-use links, rate-limit counters.
// A person is a principal (its handle, the e-mail, is already unique: 0001); these make
// every lookup of the area one index seek.
CREATE CONSTRAINT person_id IF NOT EXISTS FOR (p:Person) REQUIRE p.id IS UNIQUE;
CREATE CONSTRAINT person_email IF NOT EXISTS FOR (p:Person) REQUIRE p.email IS UNIQUE;
CREATE CONSTRAINT session_id IF NOT EXISTS FOR (s:Session) REQUIRE s.id IS UNIQUE;
CREATE CONSTRAINT session_hash IF NOT EXISTS FOR (s:Session) REQUIRE s.hash IS UNIQUE;
CREATE CONSTRAINT account_link_id IF NOT EXISTS FOR (l:AccountLink) REQUIRE l.id IS UNIQUE;
CREATE CONSTRAINT account_link_hash IF NOT EXISTS FOR (l:AccountLink) REQUIRE l.hash IS UNIQUE;
// The counter's key is what two processes MERGE on at once: the constraint makes the
// second wait for the first, so one counter exists per key.
CREATE CONSTRAINT rate_counter_key IF NOT EXISTS FOR (c:RateCounter) REQUIRE c.key IS UNIQUE;
// What the purge of ended sessions, used links and old counters looks for.
CREATE INDEX session_expires IF NOT EXISTS FOR (s:Session) ON (s.expires_at);
CREATE INDEX account_link_expires IF NOT EXISTS FOR (l:AccountLink) ON (l.expires_at);
CREATE INDEX rate_counter_ends IF NOT EXISTS FOR (c:RateCounter) ON (c.ends_at);
