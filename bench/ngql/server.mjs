// The Neo4j GraphQL Library under Apollo Server, on the hub's Neo4j, for bench/versus.py.
//
//   NGQL_NEO4J_URI=bolt://127.0.0.1:7687 NGQL_NEO4J_PASSWORD=... NGQL_PORT=4000 node server.mjs
//
// NGQL_NEO4J_USER defaults to neo4j. Prints one line "listening <url>" once it serves.
// Reads only: the type definitions (typeDefs.graphql) mirror the hub's stored graph.

import { readFileSync } from "node:fs";
import { ApolloServer } from "@apollo/server";
import { startStandaloneServer } from "@apollo/server/standalone";
import { Neo4jGraphQL } from "@neo4j/graphql";
import neo4j from "neo4j-driver";

function setting(name, fallback) {
  const value = process.env[name] ?? fallback;
  if (value === undefined || value === "") {
    console.error(`${name} is not set`);
    process.exit(2);
  }
  return value;
}

const uri = setting("NGQL_NEO4J_URI");
const user = setting("NGQL_NEO4J_USER", "neo4j");
const password = setting("NGQL_NEO4J_PASSWORD");
const port = Number(setting("NGQL_PORT", "4000"));

const typeDefs = readFileSync(new URL("./typeDefs.graphql", import.meta.url), "utf8");
const driver = neo4j.driver(uri, neo4j.auth.basic(user, password));
await driver.verifyConnectivity();

const schema = await new Neo4jGraphQL({ typeDefs, driver }).getSchema();
const server = new ApolloServer({ schema });
const { url } = await startStandaloneServer(server, {
  listen: { host: "127.0.0.1", port },
});
console.log(`listening ${url}`);

async function stop() {
  await server.stop();
  await driver.close();
  process.exit(0);
}
process.on("SIGTERM", stop);
process.on("SIGINT", stop);
