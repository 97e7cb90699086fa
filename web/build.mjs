// Builds the front-end into the Python package, so the hub serves everything itself:
// nothing is fetched from a CDN at run time (air-gapped networks).
//  - GraphiQL and its React, copied from npm into hub/web/static/vendor;
//  - the console (TypeScript + Preact in console/), type-checked with tsc, bundled by
//    esbuild into hub/web/static/console.
import { createHash } from "node:crypto";
import { spawnSync } from "node:child_process";
import { cpSync, mkdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { build } from "esbuild";

const here = dirname(fileURLToPath(import.meta.url));
const staticDir = join(here, "..", "hub", "web", "static");

function copyVendor() {
  const target = join(staticDir, "vendor");
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
  console.log(`GraphiQL assets copied to ${target}`);
}

function typeCheck() {
  const tsc = join(here, "node_modules", ".bin", "tsc");
  const result = spawnSync(tsc, ["--noEmit", "-p", join(here, "console")], { stdio: "inherit" });
  if (result.status !== 0) {
    console.error("console: type errors (tsc)");
    process.exit(1);
  }
}

async function bundleConsole() {
  const source = join(here, "console");
  const target = join(staticDir, "console");
  rmSync(target, { recursive: true, force: true });
  mkdirSync(join(target, "static"), { recursive: true });
  await build({
    entryPoints: { app: join(source, "main.tsx") },
    bundle: true,
    minify: true,
    sourcemap: "linked",
    format: "esm",
    splitting: true,
    chunkNames: "chunks/[name]-[hash]",
    target: ["chrome110", "firefox110", "safari16"],
    jsx: "automatic",
    jsxImportSource: "preact",
    outdir: join(target, "static"),
    legalComments: "linked",
    logLevel: "warning",
  });
  cpSync(join(source, "styles.css"), join(target, "static", "app.css"));
  const js = readFileSync(join(target, "static", "app.js"));
  const css = readFileSync(join(target, "static", "app.css"));
  const version = createHash("sha256").update(js).update(css).digest("hex").slice(0, 12);
  const page = readFileSync(join(source, "index.html"), "utf8").replaceAll("__VERSION__", version);
  writeFileSync(join(target, "index.html"), page);
  console.log(`console bundled to ${target} (version ${version})`);
}

copyVendor();
typeCheck();
await bundleConsole();
