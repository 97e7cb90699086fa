// Natural keys of the reference data and of identity: each is unique (and so indexed).
CREATE CONSTRAINT migration_id IF NOT EXISTS FOR (m:Migration) REQUIRE m.id IS UNIQUE;
CREATE CONSTRAINT park_code IF NOT EXISTS FOR (p:Park) REQUIRE p.code IS UNIQUE;
CREATE CONSTRAINT unit_code IF NOT EXISTS FOR (u:Unit) REQUIRE u.code IS UNIQUE;
CREATE CONSTRAINT capability_code IF NOT EXISTS FOR (c:Capability) REQUIRE c.code IS UNIQUE;
// 统一社会信用代码: an organization's identity is its registry number, never its name.
CREATE CONSTRAINT organization_uscc IF NOT EXISTS FOR (o:Organization) REQUIRE o.uscc IS UNIQUE;
CREATE CONSTRAINT principal_id IF NOT EXISTS FOR (p:Principal) REQUIRE p.id IS UNIQUE;
CREATE CONSTRAINT principal_handle IF NOT EXISTS FOR (p:Principal) REQUIRE p.handle IS UNIQUE;
CREATE CONSTRAINT api_token_id IF NOT EXISTS FOR (t:ApiToken) REQUIRE t.id IS UNIQUE;
CREATE CONSTRAINT api_token_hash IF NOT EXISTS FOR (t:ApiToken) REQUIRE t.hash IS UNIQUE;
