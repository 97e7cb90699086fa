// Park operator: one park's network (parkNetwork): the graph, filters by capability branch
// and organization kind, coverage and gaps, unmet demand, whom to recruit, capacity use,
// the parks on a map, and exports. Another park's operator gets the API's "not found".
import { useCallback, useEffect, useMemo, useState } from "preact/hooks";
import { gql } from "../api";
import { Badge } from "../components/Badge";
import { type ExportItem, ExportButtons } from "../components/ExportButtons";
import {
  type GraphEdge, type GraphNode, type LayoutChoice, loadCytoscape, NetworkGraph, type OrgKind,
} from "../components/NetworkGraph";
import { ParkMap } from "../components/ParkMap";
import { Empty, Failure, Loading } from "../components/Status";
import { type UtilisationRow, UtilisationChart } from "../components/UtilisationChart";
import { formatNumber, label, pick, t } from "../i18n";
import { type Capability, capabilityName, loadParks, loadTaxonomy, type Park, parkName } from "../reference";

const ARGS = "$s: NetworkScopeInput, $f: NetworkFilterInput";
// The nodes and edges come as the network's JSON (Cytoscape.js elements), one value: as
// thousands of GraphQL objects they took the hub longer to write than to compute.
const GRAPH = `query(${ARGS}) { parkNetwork(scope: $s, filter: $f) {
  parks engagements totalValue drawing: json
  graphml: downloadPath(format: GRAPHML) json: downloadPath(format: JSON)
  nodesCsv: downloadPath(format: CSV, table: NODES) edgesCsv: downloadPath(format: CSV, table: EDGES) } }`;
const TABLES = `query(${ARGS}) { parkNetwork(scope: $s, filter: $f) {
  coverage { capability level nameZh nameEn firms certifiedFirms status singleFirm }
  unmetRequests { requestId capability status requester provider providerParks distanceKm inScopeFirms }
  recruit { rank capability nameZh nameEn unmetRequests requesters servedOutside unserved inScopeFirms meanDistanceKm outsideParks }
  utilisation { branch month unit total reserved shared utilisation sharingRate } utilisationPeriod
  coverageCsv: downloadPath(format: CSV, table: COVERAGE) unmetCsv: downloadPath(format: CSV, table: UNMET_REQUESTS)
  recruitCsv: downloadPath(format: CSV, table: RECRUIT) utilisationCsv: downloadPath(format: CSV, table: UTILISATION) } }`;
const FIGURES = `query(${ARGS}) { parkNetwork(scope: $s, filter: $f) {
  figures { communities { id } bridges { source } parkLinks { parkA parkB engagements } }
  figuresCsv: downloadPath(format: CSV, table: FIGURES) } }`;

interface Graph {
  parks: string[]; engagements: number; totalValue: number | null; nodes: GraphNode[]; edges: GraphEdge[];
  graphml: string; json: string; nodesCsv: string; edgesCsv: string;
}
/** The network's JSON export (hub/network/export.py): kinds and fields as it names them. */
interface Elements {
  elements: {
    nodes: { data: {
      id: string; kind: string; key: string; label_zh: string; label_en: string; size: number; group: string;
      external: boolean; org_kind: string | null;
    } }[];
    edges: { data: { id: string; kind: string; source: string; target: string; weight: number; count: number } }[];
  };
}
type GraphAnswer = Omit<Graph, "nodes" | "edges"> & { drawing: Elements };

function graphOf({ drawing, ...rest }: GraphAnswer): Graph {
  const nodes = drawing.elements.nodes.map(({ data: n }): GraphNode => ({
    id: n.id, kind: n.kind.toUpperCase() as GraphNode["kind"], key: n.key, labelZh: n.label_zh, labelEn: n.label_en,
    size: n.size, group: n.group, external: n.external, orgKind: (n.org_kind?.toUpperCase() ?? null) as OrgKind | null,
  }));
  const edges = drawing.elements.edges.map(({ data: e }): GraphEdge => ({
    id: e.id, kind: e.kind.toUpperCase() as GraphEdge["kind"], source: e.source, target: e.target,
    weight: e.weight, count: e.count,
  }));
  return { ...rest, nodes, edges };
}
interface CoverageRow {
  capability: string; level: number; nameZh: string; nameEn: string; firms: number; certifiedFirms: number;
  status: "MISSING" | "SINGLE" | "COVERED"; singleFirm: string | null;
}
type RequestStatus = "SUBMITTED" | "ROUTED" | "UNFILLED" | "AWARDED" | "COMPLETED" | "CANCELLED";
interface UnmetRequest {
  requestId: string; capability: string; status: RequestStatus; requester: string | null; provider: string | null;
  providerParks: string[]; distanceKm: number | null; inScopeFirms: number;
}
interface RecruitRow {
  rank: number; capability: string; nameZh: string; nameEn: string; unmetRequests: number; requesters: number;
  servedOutside: number; unserved: number; inScopeFirms: number; meanDistanceKm: number | null; outsideParks: string[];
}
interface Tables {
  coverage: CoverageRow[]; unmetRequests: UnmetRequest[]; recruit: RecruitRow[]; utilisation: UtilisationRow[];
  utilisationPeriod: string[]; coverageCsv: string; unmetCsv: string; recruitCsv: string; utilisationCsv: string;
}
interface Figures {
  figures: { communities: { id: number }[]; bridges: { source: string }[]; parkLinks: { parkA: string; parkB: string; engagements: number }[] };
  figuresCsv: string;
}

const KINDS = ["PROVIDER", "REQUESTER", "BOTH"] as const;

function Filters({ taxonomy, branch, kinds, layout, memberships, offers, onBranch, onKinds, onLayout, onMemberships, onOffers }: {
  taxonomy: Capability[]; branch: string; kinds: string[]; layout: LayoutChoice; memberships: boolean; offers: boolean;
  onBranch: (v: string) => void; onKinds: (v: string[]) => void; onLayout: (v: LayoutChoice) => void;
  onMemberships: (v: boolean) => void; onOffers: (v: boolean) => void;
}) {
  return (
    <form class="filters" aria-label={t("network.filters")} onSubmit={(e) => e.preventDefault()}>
      <div class="field">
        <label for="net-branch">{t("network.branch")}</label>
        <select id="net-branch" value={branch} onChange={(e) => onBranch(e.currentTarget.value)}>
          <option value="">{t("common.all")}</option>
          {taxonomy.map((top) => [
            <option value={top.code}>{pick(top.nameZh, top.nameEn)} ({top.code})</option>,
            ...(top.children ?? []).map((c) => (
              <option value={c.code}>{"\u00a0\u00a0" + pick(c.nameZh, c.nameEn)} ({c.code})</option>
            )),
          ])}
        </select>
      </div>
      <fieldset>
        <legend>{t("field.kind")}</legend>
        {KINDS.map((k) => (
          <label class="check">
            <input type="checkbox" checked={kinds.includes(k)}
              onChange={(e) => onKinds(e.currentTarget.checked ? [...kinds, k] : kinds.filter((x) => x !== k))} />
            {label("OrganizationKind", k)}
          </label>
        ))}
      </fieldset>
      <div class="field">
        <label for="net-layout">{t("network.layout")}</label>
        <select id="net-layout" value={layout} onChange={(e) => onLayout(e.currentTarget.value as LayoutChoice)}>
          <option value="auto">{t("network.layout.auto")}</option>
          <option value="fcose">{t("network.layout.fcose")}</option>
          <option value="rings">{t("network.layout.rings")}</option>
        </select>
      </div>
      <label class="check">
        <input type="checkbox" checked={memberships} onChange={(e) => onMemberships(e.currentTarget.checked)} />
        {t("network.memberships")}
      </label>
      <label class="check">
        <input type="checkbox" checked={offers} onChange={(e) => onOffers(e.currentTarget.checked)} />
        {t("network.offers")}
      </label>
    </form>
  );
}

const SLICE = 150; // table rows rendered per task

/** `rows`, shown a slice more per task until all are: a table of a thousand rows is
 * rendered in steps, and the page answers a click between them. */
function useSlices<T>(rows: T[]): T[] {
  const [slices, setSlices] = useState({ rows, count: SLICE });
  const count = slices.rows === rows ? slices.count : SLICE; // other rows: from the start
  useEffect(() => {
    if (count >= rows.length) return;
    const next = setTimeout(() => setSlices({ rows, count: count + SLICE }), 0);
    return () => clearTimeout(next);
  }, [rows, count]);
  return count >= rows.length ? rows : rows.slice(0, count);
}

function CoverageTable({ rows, firmName }: { rows: CoverageRow[]; firmName: (uscc: string) => string }) {
  const [status, setStatus] = useState("");
  const filtered = useMemo(() => (status ? rows.filter((r) => r.status === status) : rows), [rows, status]);
  const shown = useSlices(filtered);
  const count = (s: string) => rows.filter((r) => r.status === s).length;
  return (
    <>
      <p class="sub">{t("coverage.counts", { missing: count("MISSING"), single: count("SINGLE"), covered: count("COVERED") })}</p>
      <div class="field inline">
        <label for="coverage-status">{t("coverage.show")}</label>
        <select id="coverage-status" value={status} onChange={(e) => setStatus(e.currentTarget.value)}>
          <option value="">{t("common.all")}</option>
          {["MISSING", "SINGLE", "COVERED"].map((s) => <option value={s}>{label("CoverageStatus", s)}</option>)}
        </select>
      </div>
      {!filtered.length ? <Empty text={t("coverage.none")} /> : (
        <div class="table-scroll">
          <table aria-label={t("coverage.title")}>
            <thead><tr>
              <th>{t("col.capability")}</th><th class="num">{t("coverage.firms")}</th>
              <th class="num">{t("coverage.certified")}</th><th>{t("col.status")}</th><th>{t("coverage.singleFirm")}</th>
            </tr></thead>
            <tbody>
              {shown.map((r) => (
                <tr class={r.status === "MISSING" ? "row-missing" : r.status === "SINGLE" ? "row-single" : ""}>
                  <td style={{ paddingLeft: `${0.7 + (r.level - 1) * 1.1}rem` }}>
                    {pick(r.nameZh, r.nameEn)}<code>{r.capability}</code>
                  </td>
                  <td class="num">{r.firms}</td>
                  <td class="num">{r.certifiedFirms}</td>
                  <td><Badge kind="CoverageStatus" value={r.status} /></td>
                  <td>{r.singleFirm ? firmName(r.singleFirm) : ""}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
    </>
  );
}

function UnmetTable({ rows: all, firmName, parks }: { rows: UnmetRequest[]; firmName: (u: string) => string; parks: Park[] }) {
  const rows = useSlices(all);
  if (!rows.length) return <Empty text={t("unmet.none")} />;
  return (
    <div class="table-scroll">
      <table aria-label={t("unmet.title")}>
        <thead><tr>
          <th>{t("col.capability")}</th><th>{t("unmet.requester")}</th><th>{t("col.status")}</th>
          <th>{t("unmet.servedBy")}</th><th class="num">{t("unmet.distance")}</th><th class="num">{t("unmet.inScopeFirms")}</th>
        </tr></thead>
        <tbody>
          {rows.map((r) => (
            <tr>
              <td>{capabilityName(r.capability)}<div class="sub">{r.requestId}</div></td>
              <td>{r.requester ? firmName(r.requester) : t("unmet.confidential")}</td>
              <td><Badge kind="RequestStatus" value={r.status} /></td>
              <td>{r.provider ? firmName(r.provider) : t("unmet.nobody")}
                {r.providerParks.length > 0 && <div class="sub">{r.providerParks.map((p) => parkName(parks, p)).join("、")}</div>}</td>
              <td class="num">{formatNumber(r.distanceKm)}</td>
              <td class="num">{r.inScopeFirms}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}

function RecruitTable({ rows: all, parks }: { rows: RecruitRow[]; parks: Park[] }) {
  const rows = useSlices(all);
  if (!rows.length) return <Empty text={t("recruit.none")} />;
  return (
    <div class="table-scroll">
      <table aria-label={t("recruit.title")}>
        <thead><tr>
          <th class="num">{t("col.rank")}</th><th>{t("col.capability")}</th><th class="num">{t("recruit.unmet")}</th>
          <th class="num">{t("recruit.requesters")}</th><th class="num">{t("recruit.servedOutside")}</th>
          <th class="num">{t("recruit.unserved")}</th><th class="num">{t("unmet.inScopeFirms")}</th>
          <th class="num">{t("recruit.meanDistance")}</th><th>{t("recruit.outsideParks")}</th>
        </tr></thead>
        <tbody>
          {rows.map((r) => (
            <tr>
              <td class="num">{r.rank}</td>
              <td>{pick(r.nameZh, r.nameEn)}<code>{r.capability}</code></td>
              <td class="num">{r.unmetRequests}</td><td class="num">{r.requesters}</td>
              <td class="num">{r.servedOutside}</td><td class="num">{r.unserved}</td><td class="num">{r.inScopeFirms}</td>
              <td class="num">{formatNumber(r.meanDistanceKm)}</td>
              <td>{r.outsideParks.map((p) => parkName(parks, p)).join("、") || "—"}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}

function fileName(path: string, park: string): string {
  const base = path.split("?")[0].split("/").pop() ?? "network";
  return `${park}-${base}`;
}

export function ParkNetwork({ code }: { code: string }) {
  const [parks, setParks] = useState<Park[]>([]);
  const [taxonomy, setTaxonomy] = useState<Capability[]>([]);
  const [branch, setBranch] = useState("");
  const [kinds, setKinds] = useState<string[]>([]);
  const [layout, setLayout] = useState<LayoutChoice>(
    (new URLSearchParams(window.location.hash.split("?")[1] ?? "").get("layout") as LayoutChoice) || "auto");
  const [memberships, setMemberships] = useState(false);
  const [offers, setOffers] = useState(false);
  const [graph, setGraph] = useState<Graph | null>(null);
  const [tables, setTables] = useState<Tables | null>(null);
  const [figures, setFigures] = useState<Figures | null>(null);
  const [figuresError, setFiguresError] = useState<unknown>(null);
  const [error, setError] = useState<unknown>(null);
  // The tables wait for the graph to be drawn: rendering a thousand rows first would hold
  // the drawing up (both on the one main thread), and they are below it anyway.
  const [drawn, setDrawn] = useState(false);
  const onDrawn = useCallback(() => { setTimeout(() => setDrawn(true), 0); }, []); // after the frame

  useEffect(() => {
    loadParks().then(setParks).catch(() => undefined);
    loadTaxonomy().then(setTaxonomy).catch(() => undefined);
    loadCytoscape().catch(() => undefined); // fetched while the data is: the graph draws at once
  }, []);
  useEffect(() => {
    let current = true;
    const variables = { s: { parks: [code] }, f: { branch: branch || null, kinds: kinds.length ? kinds : null } };
    setGraph(null);
    setTables(null);
    setFigures(null);
    setFiguresError(null);
    setError(null);
    setDrawn(false);
    const fail = (e: unknown) => { if (current) setError(e); };
    // Three requests at once: the graph, the tables, the figures (communities, bridges and
    // links between parks; computed apart from the graph, so they never hold it up).
    gql<{ parkNetwork: GraphAnswer }>(GRAPH, variables).then((d) => {
      performance.mark("park:graph-data"); // read by bench/console.py
      if (current) setGraph(graphOf(d.parkNetwork));
    })
      .catch(fail);
    gql<{ parkNetwork: Tables }>(TABLES, variables).then((d) => {
      performance.mark("park:tables-data");
      if (current) setTables(d.parkNetwork);
    }).catch(fail);
    gql<{ parkNetwork: Figures }>(FIGURES, variables).then((f) => {
      performance.mark("park:figures-data");
      if (current) setFigures(f.parkNetwork);
    })
      .catch((e) => current && setFiguresError(e));
    return () => { current = false; };
  }, [code, branch, kinds]);

  const names = useMemo(() => new Map((graph?.nodes ?? []).map((n) => [n.key, pick(n.labelZh, n.labelEn)])), [graph]);
  const firmName = useCallback((uscc: string) => names.get(uscc) ?? uscc, [names]);
  const title = parkName(parks, code);
  const shown = drawn ? tables : null;
  // Rendered once per answer, not again when the figures or other state change (same
  // vnodes: Preact skips them).
  const views = useMemo(() => shown && {
    coverage: <CoverageTable rows={shown.coverage} firmName={firmName} />,
    unmet: <UnmetTable rows={shown.unmetRequests} firmName={firmName} parks={parks} />,
    recruit: <RecruitTable rows={shown.recruit} parks={parks} />,
    utilisation: shown.utilisation.length ? <UtilisationChart rows={shown.utilisation} /> : <Empty text={t("util.none")} />,
  }, [shown, firmName, parks]);

  if (error) {
    return (
      <section>
        <h1>{t("network.title", { park: code })}</h1>
        <Failure error={error} />
      </section>
    );
  }
  const members = graph?.nodes.filter((n) => n.kind === "ORGANIZATION" && !n.external).length ?? 0;
  const csv = (path: string | undefined, key: ExportItem["label"]): ExportItem[] =>
    path ? [{ path, filename: fileName(path, code), label: key }] : [];
  return (
    <section class="park-network">
      <div class="page-head">
        <div>
          <h1>{t("network.title", { park: title })}</h1>
          <p class="sub">{t("network.lead")}</p>
        </div>
      </div>
      <Filters taxonomy={taxonomy} branch={branch} kinds={kinds} layout={layout} memberships={memberships}
        offers={offers} onBranch={setBranch} onKinds={setKinds} onLayout={setLayout} onMemberships={setMemberships}
        onOffers={setOffers} />
      {!graph ? <Loading /> : (
        <>
          <dl class="summary figures" aria-label={t("network.figures")}>
            <dt>{t("network.members")}</dt><dd>{formatNumber(members)}</dd>
            <dt>{t("network.nodes")}</dt><dd>{formatNumber(graph.nodes.length)}</dd>
            <dt>{t("network.edges")}</dt><dd>{formatNumber(graph.edges.length)}</dd>
            <dt>{t("network.engagements")}</dt><dd>{formatNumber(graph.engagements)}</dd>
            <dt>{t("network.totalValue")}</dt><dd>{graph.totalValue === null ? t("network.hiddenValue") : `${formatNumber(graph.totalValue)} CNY`}</dd>
            {figures && <><dt>{t("network.communities")}</dt><dd>{formatNumber(figures.figures.communities.length)}</dd></>}
          </dl>
          <ExportButtons label="export.network" items={[
            ...csv(graph.graphml, "export.graphml"), ...csv(graph.json, "export.json"),
            ...csv(graph.nodesCsv, "export.nodesCsv"), ...csv(graph.edgesCsv, "export.edgesCsv"),
            ...csv(figures?.figuresCsv, "export.figuresCsv"),
          ]} />
          {figuresError ? <Failure error={figuresError} /> : null}
          <NetworkGraph nodes={graph.nodes} edges={graph.edges} layout={layout} showMemberships={memberships}
            showOffers={offers} onDrawn={onDrawn} />
        </>
      )}
      <h2>{t("coverage.title")}</h2>
      {!shown || !views ? <Loading /> : (
        <>
          <ExportButtons label="coverage.title" items={csv(shown.coverageCsv, "export.csv")} />
          {views.coverage}
        </>
      )}
      <h2>{t("unmet.title")}</h2>
      {shown && views && (
        <>
          <ExportButtons label="unmet.title" items={csv(shown.unmetCsv, "export.csv")} />
          {views.unmet}
        </>
      )}
      <h2>{t("recruit.title")}</h2>
      {shown && views && (
        <>
          <ExportButtons label="recruit.title" items={csv(shown.recruitCsv, "export.csv")} />
          {views.recruit}
        </>
      )}
      <h2>{t("util.title")}</h2>
      {shown && views && (
        <>
          <p class="sub">{t("util.period", { start: shown.utilisationPeriod[0] ?? "", end: shown.utilisationPeriod[1] ?? "" })}</p>
          <ExportButtons label="util.title" items={csv(shown.utilisationCsv, "export.csv")} />
          {views.utilisation}
        </>
      )}
      <h2>{t("map.title")}</h2>
      <ParkMap parks={parks} highlight={new Set(graph?.parks ?? [code])} links={figures?.figures.parkLinks ?? []} />
    </section>
  );
}
