"""Side by side: the hub and the Neo4j GraphQL Library (NGQL) on the same Neo4j and box.

    .venv/bin/python -m bench.versus --orgs 10000

(`make bench-versus`; NGQL is installed from bench/ngql/package-lock.json by `npm ci`.)
The synthetic network of N organizations is seeded with `hub seed synthetic` into a
throwaway Neo4j with APOC core (NGQL projects date-times with it) unless HUB_NEO4J_URI
names a server; there, an existing network is reused as it is (APOC must be installed).
Then `hub serve` and NGQL (bench/ngql/server.mjs) serve that Neo4j, and for three reads

- one organization with its sites and their offerings;
- 50 organizations of one park, with sites, offerings (with capability), certificates;
- 100 offerings of one leaf capability with site, organization and the next 4 buckets;

the two answers are first checked equal for every key (after renaming: NGQL's relations
are lists, its enums the stored lower-case text; date-times compared as instants), then
timed at 1, 8 and 32 concurrent clients, hub and NGQL in interleaved rounds, with a
fixed number of requests and a time bound per level. Distinct keys first (different
organizations, parks, capabilities), against a second hub with its response cache off
(`HUB_RESPONSE_CACHE=false`: every answer computed) and then the usual one (keys come
round again, so it may answer from its cache); then one key repeated.
Last, `routeRequest` (k=3) as bench/routing.py samples it, and on the broadest branch
(BIO.USP) with an NMPA licence: hub only, NGQL has no routing.
Figures are printed, never asserted: these machines are shared and noisy.
"""

from __future__ import annotations

import argparse
import asyncio
import os
import shutil
import subprocess
import sys
import time
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from typing import Any

import httpx

from bench.common import ROOT, neo4j, percentile, served
from bench.routing import _sample, time_routes
from hub.config import Settings
from hub.db.driver import Database, Tx, counting_round_trips, open_driver
from hub.db.server import cache_dir, classpath, free_port
from hub.identity import service as identity
from hub.identity.model import Role
from hub.time import day_window

NGQL = ROOT / "bench" / "ngql"
LEVELS = (1, 8, 32)
BROAD = "BIO.USP"

# --- APOC core for the throwaway server --------------------------------------------------

APOC = "5.26.19"  # the newest APOC core of the 5.26 line on Maven Central
APOC_POM = """<project xmlns="http://maven.apache.org/POM/4.0.0">
  <modelVersion>4.0.0</modelVersion>
  <groupId>hub.local</groupId><artifactId>apoc-core</artifactId>
  <version>{version}</version><packaging>pom</packaging>
  <dependencies>
    <dependency><groupId>org.neo4j.procedure</groupId><artifactId>apoc-core</artifactId>
      <version>{version}</version></dependency>
    <dependency><groupId>org.neo4j.procedure</groupId><artifactId>apoc-common</artifactId>
      <version>{version}</version></dependency>
  </dependencies>
</project>
"""


def apoc_jars(neo4j_version: str) -> list[Path]:
    """APOC core and what it needs that the server lacks, resolved once with Maven into
    the cache (outside the checkout). apoc-core's jar on Maven Central is thin: its
    result classes are in apoc-common."""
    folder = cache_dir() / f"apoc-{APOC}"
    jars = folder / "jars"
    if not (jars / "apoc-core.jar").exists():
        folder.mkdir(parents=True, exist_ok=True)
        (folder / "pom.xml").write_text(APOC_POM.format(version=APOC))
        command = [shutil.which("mvn") or "mvn", "-q", "-B", "-f", str(folder / "pom.xml")]
        command += ["dependency:copy-dependencies", f"-DoutputDirectory={jars}"]
        command += ["-DincludeScope=runtime", "-Dmdep.stripVersion=true"]
        done = subprocess.run(command, capture_output=True, text=True, check=False)
        if done.returncode != 0:
            sys.exit(f"Maven could not fetch APOC core {APOC}:\n{done.stdout[-2000:]}")
    on_server = {Path(p).parent.parent.name for p in classpath(neo4j_version).split(os.pathsep)}
    return sorted(jar for jar in jars.glob("*.jar") if jar.stem not in on_server)


# --- the network ----------------------------------------------------------------------------


def hub_env(settings: Settings) -> dict[str, str]:
    return {
        **os.environ,
        "HUB_MODE": "test",
        "HUB_NEO4J_URI": settings.neo4j_uri,
        "HUB_NEO4J_PASSWORD": settings.neo4j_password.get_secret_value(),
    }


def hub_command(settings: Settings, *args: str) -> None:
    subprocess.run(
        [sys.executable, "-m", "hub", *args], env=hub_env(settings), cwd=ROOT, check=True
    )


async def _count(tx: Tx) -> int:
    rows = await tx.records("MATCH (o:Organization) RETURN count(o) AS n")
    return int(rows[0]["n"])


async def _apoc(tx: Tx) -> str | None:
    rows = await tx.records(
        "SHOW FUNCTIONS YIELD name WHERE name = 'apoc.version' RETURN count(*) AS n"
    )
    if not rows[0]["n"]:
        return None
    return str((await tx.records("RETURN apoc.version() AS v"))[0]["v"])


async def network(db: Database, settings: Settings, orgs: int, seed: int) -> None:
    """Migrate; seed the synthetic network unless the database already holds one."""
    hub_command(settings, "migrate")
    found = await db.read(_count)
    if found:
        note = "" if found == orgs else f" (not the {orgs} asked for)"
        print(f"reusing the network in the database: {found} organizations{note}")
    else:
        began = time.perf_counter()
        hub_command(settings, "seed", "synthetic", "--orgs", str(orgs), "--seed", str(seed))
        print(f"seeded {orgs} organizations in {time.perf_counter() - began:.0f} s")
    apoc = await db.read(_apoc)
    if apoc is None:
        sys.exit("NGQL needs APOC core for date-times, and this Neo4j has none")
    print(f"APOC {apoc}")


# --- the keys each read is asked with -----------------------------------------------------

ORGS = """
MATCH (o:Organization {active: true})
WHERE EXISTS { (o)-[:HAS_SITE]->(s:Site {active: true})-[:OFFERS]->(:Offering {active: true}) }
WITH o ORDER BY o.uscc
WITH collect(o.uscc) AS usccs
RETURN [i IN range(0, $n - 1) | usccs[i * size(usccs) / $n]] AS keys
"""

PARKS = """
MATCH (p:Park)<-[:IN_PARK]-(o:Organization {active: true})
WITH p, count(o) AS firms WHERE firms >= 50
RETURN p.code AS park ORDER BY firms DESC, park LIMIT $n
"""

# Leaf capabilities (nothing narrower), so NGQL's exact match is the hub's branch match,
# with the most offerings; each with its offerings' first grain after `today`.
CAPABILITIES = """
MATCH (c:Capability) WHERE NOT EXISTS { (:Capability)-[:BROADER]->(c) }
WITH c, COUNT { (c)<-[:OF]-(:Offering {active: true}) } AS offerings
WHERE offerings >= 20
WITH c ORDER BY offerings DESC, c.code LIMIT $n
CALL (c) {
  MATCH (c)<-[:OF]-(:Offering)-[:HAS_CAPACITY]->(b:CapacityBucket)
  WHERE b.start >= $today
  RETURN b.grain AS grain, b.start AS start ORDER BY b.start LIMIT 1
}
RETURN c.code AS capability, grain, date(start) AS first
"""


@dataclass(frozen=True)
class Keys:
    orgs: list[str]
    parks: list[str]
    capabilities: list[tuple[str, date, date]]  # code, window's first and last day


def next_four(grain: str, first: date) -> date:
    """The last day of the window holding 4 buckets of `grain` from `first`."""
    if grain == "week":
        return first + timedelta(days=27)
    if grain == "day":
        return first + timedelta(days=3)
    month = first.month - 1 + 4
    return date(first.year + month // 12, month % 12 + 1, 1) - timedelta(days=1)


async def keys(tx: Tx, n: int) -> Keys:
    orgs = (await tx.records(ORGS, n=n))[0]["keys"]
    parks = [r["park"] for r in await tx.records(PARKS, n=n)]
    today = datetime.now(UTC)
    rows = await tx.records(CAPABILITIES, n=n, today=today)
    capabilities = [
        (r["capability"], r["first"].to_native(), next_four(r["grain"], r["first"].to_native()))
        for r in rows
    ]
    return Keys(list(orgs), parks, capabilities)


# --- the three reads, as each side asks them ------------------------------------------------

HUB_ORG = "uscc nameZh nameEn kind licenceNumbers fdaFei website active fictional parkCodes"
HUB_SITE = "id code nameZh nameEn address city district lat lon active parkCode"
HUB_OFFERING = (
    "id code capabilityCode unit gmpGrade scaleMin scaleMax modality leadTimeDays "
    "descriptionZh descriptionEn equipmentTags active"
)
HUB_CERTIFICATE = (
    "id authority number validFrom validTo lastInspection outcome siteCodes capabilityCodes active"
)
BUCKET = "id grain start end total reserved unit confirmedAt"
CAPABILITY = "code level nameZh nameEn"

NGQL_ORG = "uscc nameZh nameEn kind licenceNumbers fdaFei website active fictional parks { code }"
NGQL_SITE = "id code nameZh nameEn address city district lat lon active park { code }"
NGQL_OFFERING = (
    "id code capabilityCode unit gmpGrade scaleMin scaleMax modality leadTimeDays "
    "descriptionZh descriptionEn active equipment { tag }"
)
NGQL_CERTIFICATE = (
    "id authority number validFrom validTo lastInspection outcome active "
    "sites { code } capabilities { code }"
)
ACTIVE = "where: {active: {eq: true}}"
BY_ID = "sort: [{id: ASC}]"

HUB_ONE = f"""query($uscc: String!) {{ organization(uscc: $uscc) {{ {HUB_ORG}
  sites {{ {HUB_SITE} offerings {{ {HUB_OFFERING} }} }} }} }}"""
NGQL_ONE = f"""query($uscc: String!) {{
  organizations(where: {{uscc: {{eq: $uscc}}, active: {{eq: true}}}}) {{ {NGQL_ORG}
    sites({ACTIVE}, {BY_ID}) {{ {NGQL_SITE}
      offerings({ACTIVE}, {BY_ID}) {{ {NGQL_OFFERING} }} }} }} }}"""

HUB_PARK = f"""query($park: String!) {{
  organizations(filter: {{parks: [$park]}}, first: 50) {{ edges {{ node {{ {HUB_ORG}
    sites {{ {HUB_SITE} offerings {{ {HUB_OFFERING} capability {{ {CAPABILITY} }} }} }}
    certificates {{ {HUB_CERTIFICATE} }} }} }} }} }}"""
NGQL_PARK = f"""query($park: String!) {{
  organizations(
    where: {{active: {{eq: true}}, OR: [
      {{parks: {{some: {{code: {{eq: $park}}}}}}}},
      {{sites: {{some: {{park: {{some: {{code: {{eq: $park}}}}}}}}}}}}]}},
    sort: [{{uscc: ASC}}], limit: 50) {{ {NGQL_ORG}
    sites({ACTIVE}, {BY_ID}) {{ {NGQL_SITE}
      offerings({ACTIVE}, {BY_ID}) {{ {NGQL_OFFERING} capability {{ {CAPABILITY} }} }} }}
    certificates({ACTIVE}, sort: [{{validTo: ASC}}, {{id: ASC}}]) {{ {NGQL_CERTIFICATE} }}
  }} }}"""

HUB_CAPABILITY = f"""query($capability: String!, $from: Date!, $to: Date!) {{
  offerings(filter: {{capability: $capability}}, first: 100) {{ edges {{ node {{
    {HUB_OFFERING} site {{ {HUB_SITE} }} organization {{ {HUB_ORG} }}
    capacity(from: $from, to: $to) {{ {BUCKET} }} }} }} }} }}"""
NGQL_CAPABILITY = f"""query($capability: String!, $from: DateTime!, $to: DateTime!) {{
  offerings(
    where: {{active: {{eq: true}}, capabilityCode: {{eq: $capability}},
             site: {{some: {{active: {{eq: true}},
                             organization: {{some: {{active: {{eq: true}}}}}}}}}}}},
    {BY_ID}, limit: 100) {{ {NGQL_OFFERING}
    site {{ {NGQL_SITE} organization {{ {NGQL_ORG} }} }}
    capacity(where: {{end: {{gt: $from}}, start: {{lt: $to}}}}, sort: [{{start: ASC}}]) {{
      {BUCKET} }} }} }}"""


def _upper(value: str | None) -> str | None:
    return None if value is None else value.upper()


def _one(items: list[dict[str, Any]]) -> dict[str, Any] | None:
    return items[0] if items else None


def _codes(items: list[dict[str, Any]], key: str = "code") -> list[str]:
    return sorted(item[key] for item in items)


def ngql_org(o: dict[str, Any]) -> dict[str, Any]:
    parks = o.pop("parks")
    return {
        **o,
        "kind": _upper(o["kind"]),
        "licenceNumbers": o["licenceNumbers"] or [],
        "fictional": bool(o["fictional"]),
        "parkCodes": _codes(parks),
    }


def ngql_site(s: dict[str, Any]) -> dict[str, Any]:
    park = _one(s.pop("park"))
    return {**s, "parkCode": None if park is None else park["code"]}


def ngql_offering(f: dict[str, Any]) -> dict[str, Any]:
    equipment = f.pop("equipment")
    return {**f, "gmpGrade": _upper(f["gmpGrade"]), "equipmentTags": _codes(equipment, "tag")}


def ngql_certificate(c: dict[str, Any]) -> dict[str, Any]:
    sites, capabilities = c.pop("sites"), c.pop("capabilities")
    return {
        **c,
        "authority": _upper(c["authority"]),
        "outcome": _upper(c["outcome"]),
        "siteCodes": _codes(sites),
        "capabilityCodes": _codes(capabilities),
    }


def ngql_bucket(b: dict[str, Any]) -> dict[str, Any]:
    return {**b, "grain": _upper(b["grain"])}


def ngql_site_with_offerings(s: dict[str, Any], capability: bool) -> dict[str, Any]:
    offerings = [
        {
            **ngql_offering(f),
            **({"capability": _one(f["capability"])} if capability else {}),
        }
        for f in s.pop("offerings")
    ]
    return {**ngql_site(s), "offerings": offerings}


def hub_org(o: dict[str, Any]) -> dict[str, Any]:
    return {**o, "parkCodes": sorted(o["parkCodes"])}


def one_answer(hub: bool, data: dict[str, Any]) -> Any:
    if hub:
        org = data["organization"]
        return None if org is None else hub_org(org)
    org = _one(data["organizations"])
    if org is None:
        return None
    sites = [ngql_site_with_offerings(s, False) for s in org.pop("sites")]
    return {**ngql_org(org), "sites": sites}


def park_answer(hub: bool, data: dict[str, Any]) -> Any:
    if hub:
        return [hub_org(e["node"]) for e in data["organizations"]["edges"]]
    answer = []
    for org in data["organizations"]:
        sites = [ngql_site_with_offerings(s, True) for s in org.pop("sites")]
        certificates = [ngql_certificate(c) for c in org.pop("certificates")]
        answer.append({**ngql_org(org), "sites": sites, "certificates": certificates})
    return answer


def capability_answer(hub: bool, data: dict[str, Any]) -> Any:
    if hub:
        return [
            {**e["node"], "organization": hub_org(e["node"]["organization"])}
            for e in data["offerings"]["edges"]
        ]
    answer = []
    for f in data["offerings"]:
        site = _one(f.pop("site"))
        org = None if site is None else _one(site.pop("organization"))
        answer.append(
            {
                **ngql_offering(f),
                "site": None if site is None else ngql_site(site),
                "organization": None if org is None else ngql_org(org),
                "capacity": [ngql_bucket(b) for b in f["capacity"]],
            }
        )
    return answer


@dataclass(frozen=True)
class Read:
    name: str
    hub: str
    ngql: str
    answer: Callable[[bool, dict[str, Any]], Any]
    variables: Callable[[Any, bool], dict[str, Any]]
    keys: Callable[[Keys], Sequence[Any]]


def _window(key: tuple[str, date, date], hub: bool) -> dict[str, Any]:
    capability, first, last = key
    if hub:
        return {"capability": capability, "from": first.isoformat(), "to": last.isoformat()}
    start, end = day_window(first, last)  # the hub's window: whole days in China time
    return {"capability": capability, "from": start.isoformat(), "to": end.isoformat()}


READS = (
    Read(
        "one organization, sites, offerings",
        HUB_ONE,
        NGQL_ONE,
        one_answer,
        lambda key, _: {"uscc": key},
        lambda found: found.orgs,
    ),
    Read(
        "50 orgs of a park, sites, offerings, certs",
        HUB_PARK,
        NGQL_PARK,
        park_answer,
        lambda key, _: {"park": key},
        lambda found: found.parks,
    ),
    Read(
        "100 offerings of a capability, 4 buckets",
        HUB_CAPABILITY,
        NGQL_CAPABILITY,
        capability_answer,
        _window,
        lambda found: found.capabilities,
    ),
)


# --- equal answers ---------------------------------------------------------------------------

INSTANTS = ("start", "end", "confirmedAt")


def canonical(value: Any, key: str = "") -> Any:
    """Date-times as UTC instants (the hub writes +08:00, NGQL what APOC formats)."""
    if isinstance(value, dict):
        return {k: canonical(v, k) for k, v in value.items()}
    if isinstance(value, list):
        return [canonical(v) for v in value]
    if key in INSTANTS and isinstance(value, str):
        return datetime.fromisoformat(value).astimezone(UTC).isoformat()
    return value


def first_difference(a: Any, b: Any, path: str = "") -> str | None:
    if isinstance(a, dict) and isinstance(b, dict):
        for k in sorted(set(a) | set(b)):
            if k not in a or k not in b:
                return f"{path}.{k}: only in {'NGQL' if k in b else 'hub'}"
            found = first_difference(a[k], b[k], f"{path}.{k}")
            if found:
                return found
        return None
    if isinstance(a, list) and isinstance(b, list):
        if len(a) != len(b):
            return f"{path}: hub has {len(a)} items, NGQL {len(b)}"
        for i, (x, y) in enumerate(zip(a, b, strict=True)):
            found = first_difference(x, y, f"{path}[{i}]")
            if found:
                return found
        return None
    return None if a == b else f"{path}: hub {a!r}, NGQL {b!r}"


# --- the two servers --------------------------------------------------------------------------


@dataclass(frozen=True)
class Side:
    name: str
    url: str
    headers: dict[str, str]
    hub: bool


@contextmanager
def ngql_served(settings: Settings) -> Iterator[str]:
    """bench/ngql/server.mjs on the same Neo4j; yields its GraphQL URL."""
    if not (NGQL / "node_modules" / "@neo4j" / "graphql").is_dir():
        sys.exit("NGQL is not installed: run `npm ci` in bench/ngql (or `make bench-versus`)")
    env = {
        **os.environ,
        "NODE_ENV": "production",
        "NGQL_NEO4J_URI": settings.neo4j_uri,
        "NGQL_NEO4J_USER": settings.neo4j_user,
        "NGQL_NEO4J_PASSWORD": settings.neo4j_password.get_secret_value(),
        "NGQL_PORT": str(free_port()),
    }
    node = shutil.which("node")
    if node is None:
        sys.exit("node (20 or newer) is needed to run the Neo4j GraphQL Library")
    process = subprocess.Popen(
        [node, str(NGQL / "server.mjs")], env=env, stdout=subprocess.PIPE, text=True
    )
    try:
        assert process.stdout is not None
        line = process.stdout.readline().strip()
        if not line.startswith("listening "):
            sys.exit(f"NGQL did not start: {line!r}")
        yield line.removeprefix("listening ")
    finally:
        process.terminate()
        process.wait(timeout=15)


async def ask(http: httpx.AsyncClient, side: Side, query: str, variables: dict[str, Any]) -> Any:
    response = await http.post(
        side.url, json={"query": query, "variables": variables}, headers=side.headers
    )
    body = response.json()
    if response.status_code != 200 or body.get("errors") or body.get("data") is None:
        raise RuntimeError(f"{side.name} answered {response.status_code}: {str(body)[:600]}")
    return body["data"]


async def answer(http: httpx.AsyncClient, side: Side, read: Read, key: Any) -> Any | None:
    """The side's answer, canonical; None when it answered with errors twice."""
    for _ in range(2):
        try:
            data = await ask(http, side, side_query(read, side), read.variables(key, side.hub))
        except RuntimeError as error:
            print(f"  {str(error)[:300]}", file=sys.stderr)
            continue
        return canonical(read.answer(side.hub, data))
    return None


async def check_equal(http: httpx.AsyncClient, hub: Side, ngql: Side, found: Keys) -> None:
    """Every key of every read: the two answers equal, or exit with the first difference.
    A key a side answers with errors (twice) is not compared, and said so; a read with
    no key compared stops the benchmark."""
    for read in READS:
        sizes, failed = [], {hub.name: 0, ngql.name: 0}
        for key in read.keys(found):
            answers = [await answer(http, side, read, key) for side in (hub, ngql)]
            for side, got in zip((hub, ngql), answers, strict=True):
                failed[side.name] += got is None
            if None in answers:
                continue
            difference = first_difference(answers[0], answers[1])
            if difference:
                sys.exit(f"answers differ: {read.name}, key {key!r}\n  {difference}")
            sizes.append(len(answers[0]) if isinstance(answers[0], list) else 1)
        errors = ", ".join(f"{side} errors on {n} keys" for side, n in failed.items() if n)
        print(
            f"equal answers: {read.name}: {len(sizes)} keys, {sum(sizes)} top-level items"
            + (f" (not compared: {errors})" if errors else "")
        )
        if not sizes:
            sys.exit(f"no key of {read.name!r} could be compared")


def side_query(read: Read, side: Side) -> str:
    return read.hub if side.hub else read.ngql


# --- timing -------------------------------------------------------------------------------------


@dataclass
class Sample:
    seconds: list[float] = field(default_factory=list)
    errors: int = 0
    wall: float = 0.0
    first_error: str | None = None

    def p(self, q: float) -> str:
        return f"{percentile(self.seconds, q) * 1000:,.0f}" if self.seconds else "-"

    @property
    def throughput(self) -> float:
        return len(self.seconds) / self.wall if self.wall else 0.0


@dataclass(frozen=True)
class Budget:
    rounds: int
    requests: int  # per side and level, at least 2 per client and round
    seconds: float  # per side and level: no request starts after it


async def batch(
    http: httpx.AsyncClient,
    side: Side,
    read: Read,
    plan: list[Any],
    clients: int,
    seconds: float,
    sample: Sample,
) -> None:
    """`clients` workers take the keys of `plan` in turn until done or out of time."""
    pending = iter(plan)
    deadline = time.perf_counter() + seconds

    async def worker() -> None:
        for key in pending:
            if time.perf_counter() > deadline:
                return
            began = time.perf_counter()
            try:
                await ask(http, side, side_query(read, side), read.variables(key, side.hub))
            except (httpx.HTTPError, RuntimeError, ValueError) as error:
                sample.errors += 1
                sample.first_error = sample.first_error or f"{type(error).__name__}: {error}"
                continue
            sample.seconds.append(time.perf_counter() - began)

    began = time.perf_counter()
    await asyncio.gather(*(worker() for _ in range(clients)))
    sample.wall += time.perf_counter() - began


async def level(
    http: httpx.AsyncClient,
    sides: tuple[Side, Side],
    read: Read,
    keys_: Sequence[Any],
    clients: int,
    budget: Budget,
) -> tuple[Sample, Sample]:
    """Rounds alternate which side goes first; both get the same keys in the same order."""
    per_round = max(budget.requests // budget.rounds, 2 * clients)
    samples = {side.name: Sample() for side in sides}
    for r in range(budget.rounds):
        plan = [keys_[(r * per_round + i) % len(keys_)] for i in range(per_round)]
        for side in sides if r % 2 == 0 else sides[::-1]:
            seconds = budget.seconds / budget.rounds
            await batch(http, side, read, plan, clients, seconds, samples[side.name])
    return samples[sides[0].name], samples[sides[1].name]


def row(read: str, clients: int, hub: Sample, ngql: Sample) -> str:
    ratio = hub.throughput / ngql.throughput if ngql.throughput else float("nan")
    return (
        f"| {read} | {clients} | {hub.p(50)} | {hub.p(99)} | {ngql.p(50)} | {ngql.p(99)} "
        f"| {hub.throughput:.1f} | {ngql.throughput:.1f} | **{ratio:.2f}** "
        f"| {hub.errors}/{len(hub.seconds) + hub.errors} "
        f"| {ngql.errors}/{len(ngql.seconds) + ngql.errors} |"
    )


HEADER = (
    "| read | clients | hub p50 ms | hub p99 ms | NGQL p50 ms | NGQL p99 ms | hub answers/s "
    "| NGQL answers/s | hub / NGQL | hub errors | NGQL errors |\n"
    "|---|---|---|---|---|---|---|---|---|---|---|"
)


TABLES = {
    "computed": "distinct keys, every answer computed (the hub's response cache off)",
    "distinct": "distinct keys (the hub's response cache on: a key asked again may be kept)",
    "repeated": "one key repeated (answers a cache may hold)",
}


async def table(
    http: httpx.AsyncClient,
    sides: tuple[Side, Side],
    found: Keys,
    budget: Budget,
    kind: str,
) -> None:
    print(f"\n{TABLES[kind]} ({budget.rounds} interleaved rounds per level)\n{HEADER}", flush=True)
    for read in READS:
        keys_ = list(read.keys(found))
        keys_ = keys_[:1] if kind == "repeated" else keys_
        for clients in LEVELS:
            hub, ngql = await level(http, sides, read, keys_, clients, budget)
            print(row(read.name, clients, hub, ngql), flush=True)
            for side, sample in ((sides[0], hub), (sides[1], ngql)):
                if sample.first_error:
                    print(f"  first {side.name} error: {sample.first_error[:400]}", flush=True)


# --- Cypher round-trips of the hub -------------------------------------------------------------


async def round_trips(settings: Settings, token: str, found: Keys) -> None:
    """Queries the hub sends per read, counted in process (the token check included),
    once the process holds the reference data."""
    from hub import logs
    from hub.app import create_app

    logs.configure("CRITICAL")  # the app's errors would drown the figures
    app = create_app(settings)
    async with app.router.lifespan_context(app):
        transport = httpx.ASGITransport(app=app)
        async with httpx.AsyncClient(transport=transport, base_url="http://bench") as http:
            side = Side("hub", "/graphql", {"authorization": f"Bearer {token}"}, hub=True)
            for read in READS:
                # The first answer of a process also reads the taxonomy (kept by the process,
                # hub/reference/cache.py): count a second one, with another key (not cached).
                first, key = read.keys(found)[0], read.keys(found)[-1]
                await ask(http, side, read.hub, read.variables(first, True))
                note = ""
                with counting_round_trips() as queries:
                    try:
                        await ask(http, side, read.hub, read.variables(key, True))
                    except RuntimeError:
                        note = " (the answer had errors)"
                print(
                    f"Cypher round-trips per read, hub / NGQL: {len(queries)} / 1: "
                    f"{read.name}{note}"
                )


# --- routing -------------------------------------------------------------------------------------

# --- main -----------------------------------------------------------------------------------------


async def token_of(db: Database) -> str:
    token, _ = await identity.issue_token(
        db, "versus@hub.test", frozenset({Role.parse("admin")}), "bench versus"
    )
    return token


async def main(arguments: argparse.Namespace) -> None:
    plugins = apoc_jars(Settings().neo4j_version)
    with neo4j(plugins=plugins) as settings:
        async with open_driver(settings) as driver:
            db = Database(driver, settings.neo4j_database)
            await network(db, settings, arguments.orgs, arguments.seed)
            token = await token_of(db)
            found = await db.read(keys, arguments.keys)
            leaf = await db.read(_sample, "leaf", arguments.routes, 7)
            broad = await db.read(_sample, "branch", arguments.broad_routes, 7)
        print(
            f"keys: {len(found.orgs)} organizations, parks {', '.join(found.parks)}, "
            f"capabilities {', '.join(c for c, _, _ in found.capabilities)}"
        )
        await round_trips(settings, token, found)
        budget = Budget(arguments.rounds, arguments.requests, arguments.seconds)
        limits = httpx.Limits(max_connections=64, max_keepalive_connections=64)
        bearer = {"authorization": f"Bearer {token}"}
        with (
            served(settings) as (url, _),
            served(settings, HUB_RESPONSE_CACHE="false") as (computing_url, _),
            ngql_served(settings) as ngql_url,
        ):
            hub = Side("hub", url + "/graphql", bearer, hub=True)
            computing = Side("hub", computing_url + "/graphql", bearer, hub=True)
            ngql = Side("NGQL", ngql_url, {}, hub=False)
            async with httpx.AsyncClient(timeout=arguments.timeout, limits=limits) as http:
                await check_equal(http, hub, ngql, found)
                await table(http, (computing, ngql), found, budget, "computed")
                await table(http, (hub, ngql), found, budget, "distinct")
                await table(http, (hub, ngql), found, budget, "repeated")
            print()
            await time_routes(url, token, f"(k=3, {len(leaf)} sampled offerings)", leaf)
            await time_routes(url, token, f"(k=3, {BROAD} with NMPA_LICENCE)", broad)


def parser() -> argparse.ArgumentParser:
    p = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    p.add_argument("--orgs", type=int, default=10_000)
    p.add_argument("--seed", type=int, default=1)
    p.add_argument("--keys", type=int, default=8, help="distinct keys per read (at most)")
    p.add_argument("--rounds", type=int, default=4, help="interleaved rounds per level")
    p.add_argument("--requests", type=int, default=64, help="per side and level")
    p.add_argument("--seconds", type=float, default=8.0, help="time bound per side and level")
    p.add_argument(
        "--timeout", type=float, default=30.0, help="seconds a read may take (else an error)"
    )
    p.add_argument("--routes", type=int, default=100, help="routes sampled from offerings")
    p.add_argument("--broad-routes", type=int, default=30, help=f"routes on {BROAD}")
    return p


if __name__ == "__main__":
    asyncio.run(main(parser().parse_args()))
