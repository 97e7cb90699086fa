"""The hub's GraphQL API above its areas: the request context their resolvers receive
(principal, loaders, reference data) and the schema assembled from their classes."""
