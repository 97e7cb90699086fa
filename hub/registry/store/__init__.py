"""The registry's Cypher, one kind of query per module.

    entities    how each entity is stored: its state, and the Cypher that reads, writes
                and checks the parents of it (Storage, STORAGE[model class])
    writes      the one write path: compare states, write what differs, audit it, in the
                caller's transaction (apply, apply_states, read_state(s), refresh_stale)
    claims      claims on natural keys, so that "is it free? then write it" is safe
    members     who is a member of an organization (MEMBER_OF)
    reads       pages, the loaders' batches, expiring certificates, compiled trees, and
                what validation reads (reference data, capacity units)
    search      offering search: fit, place, paging (OfferingFilter -> Found)
    projection  a GraphQL selection compiled into one Cypher map projection (the reads'
                and search's one-round-trip answers)
    states      the graph's state maps decoded into models (hub.registry.model)

Every function takes a managed transaction (hub.db.driver.Tx) and returns plain values or
models; none commits, none has side effects outside the graph.
"""
