"""Pharmaceutical service aggregation hub: a capability graph in Neo4j behind GraphQL."""

__version__ = "0.1.0"
