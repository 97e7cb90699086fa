"""Routing's store: all of its Cypher, in three modules.

- `writes`: what the use cases run in their transaction: create, lock, route, answer,
  reserve, release, complete, expire.
- `reads`: requests and matches as the API shows them, narrowed to what the caller may see.
- `rows`: stored requests and matches → routing's models (hub.routing.model), converted once.
"""
