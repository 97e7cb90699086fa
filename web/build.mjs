// Copies the pinned front-end libraries into the Python package, so the hub serves
// them itself: nothing is fetched from a CDN at run time (air-gapped networks).
import { cpSync, mkdirSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";

const here = dirname(fileURLToPath(import.meta.url));
const target = join(here, "..", "hub", "web", "static", "vendor");
const files = {
  "react/umd/react.production.min.js": "react.production.min.js",
  "react-dom/umd/react-dom.production.min.js": "react-dom.production.min.js",
  "graphiql/graphiql.min.js": "graphiql.min.js",
  "graphiql/graphiql.min.css": "graphiql.min.css",
};
mkdirSync(target, { recursive: true });
for (const [from, to] of Object.entries(files)) {
  cpSync(join(here, "node_modules", from), join(target, to));
}
console.log(`front-end assets copied to ${target}`);
