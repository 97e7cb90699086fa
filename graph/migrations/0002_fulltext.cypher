// Chinese and English full-text search. The cjk analyzer indexes Chinese as bigrams, so
// a two-character query (冻干) matches; one character needs a prefix query (see hub.search).
CREATE FULLTEXT INDEX capability_text IF NOT EXISTS
FOR (c:Capability) ON EACH [c.name_zh, c.name_en, c.code]
OPTIONS {indexConfig: {`fulltext.analyzer`: 'cjk', `fulltext.eventually_consistent`: false}};
CREATE FULLTEXT INDEX organization_text IF NOT EXISTS
FOR (o:Organization) ON EACH [o.name_zh, o.name_en]
OPTIONS {indexConfig: {`fulltext.analyzer`: 'cjk', `fulltext.eventually_consistent`: false}};
CREATE FULLTEXT INDEX park_text IF NOT EXISTS
FOR (p:Park) ON EACH [p.name_zh, p.name_en]
OPTIONS {indexConfig: {`fulltext.analyzer`: 'cjk', `fulltext.eventually_consistent`: false}};
