"""Neo4j: the driver, the local server for developers and tests, and migrations."""
