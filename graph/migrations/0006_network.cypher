// Park network: the figures cache shared by hub processes (one node per scope and
// filters), and the latest-change lookups its fingerprint reads.
CREATE CONSTRAINT network_figures_key IF NOT EXISTS FOR (f:NetworkFigures) REQUIRE f.key IS UNIQUE;
CREATE INDEX organization_updated_at IF NOT EXISTS FOR (o:Organization) ON (o.updated_at);
CREATE INDEX site_updated_at IF NOT EXISTS FOR (s:Site) ON (s.updated_at);
