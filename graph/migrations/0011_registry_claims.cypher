// Claims on natural keys (hub/registry/claims.py): a registration or a certificate's save
// first MERGEs a claim on its key, so two transactions deciding on the same key at once
// meet on one constraint entry and run one after the other.
CREATE CONSTRAINT registry_claim_key IF NOT EXISTS FOR (c:RegistryClaim) REQUIRE c.key IS UNIQUE;
