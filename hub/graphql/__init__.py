"""The GraphQL API: one schema assembled from the areas' Query and Mutation classes."""
