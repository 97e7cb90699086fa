// Park operator: one park's network (parkNetwork): the graph, filters by capability branch
// and organization kind, coverage and gaps, unmet demand, whom to recruit, capacity use,
// the parks on a map, and exports. Another park's operator gets the API's "not found".
import { useEffect, useMemo, useState } from "preact/hooks";
import { gql } from "../api";
import { Badge } from "../components/Badge";
import { type ExportItem, ExportButtons } from "../components/ExportButtons";
import { type GraphEdge, type GraphNode, type LayoutChoice, NetworkGraph } from "../components/NetworkGraph";
import { ParkMap } from "../components/ParkMap";
import { Empty, Failure, Loading } from "../components/Status";
import { type UtilisationRow, UtilisationChart } from "../components/UtilisationChart";
import { formatNumber, label, pick, t } from "../i18n";
import { type Capability, capabilityName, loadParks, loadTaxonomy, type Park, parkName } from "../reference";

const ARGS = "$s: NetworkScopeInput, $f: NetworkFilterInput";
const GRAPH = `query(${ARGS}) { parkNetwork(scope: $s, filter: $f) {
  parks engagements totalValue
  nodes { id kind key labelZh labelEn size group external orgKind }
  edges { id kind source target weight count }
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

function CoverageTable({ rows, firmName }: { rows: CoverageRow[]; firmName: (uscc: string) => string }) {
  const [status, setStatus] = useState("");
  const shown = status ? rows.filter((r) => r.status === status) : rows;
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
      {!shown.length ? <Empty text={t("coverage.none")} /> : (
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

function UnmetTable({ rows, firmName, parks }: { rows: UnmetRequest[]; firmName: (u: string) => string; parks: Park[] }) {
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

function RecruitTable({ rows, parks }: { rows: RecruitRow[]; parks: Park[] }) {
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

  useEffect(() => {
    loadParks().then(setParks).catch(() => undefined);
    loadTaxonomy().then(setTaxonomy).catch(() => undefined);
  }, []);
  useEffect(() => {
    let current = true;
    const variables = { s: { parks: [code] }, f: { branch: branch || null, kinds: kinds.length ? kinds : null } };
    setGraph(null);
    setTables(null);
    setFigures(null);
    setFiguresError(null);
    setError(null);
    const fail = (e: unknown) => { if (current) setError(e); };
    // The graph first; the figures (centralities, communities: the costly part) once it is
    // drawn from, so they never hold it up; the tables meanwhile.
    gql<{ parkNetwork: Graph }>(GRAPH, variables).then((d) => {
      if (!current) return;
      setGraph(d.parkNetwork);
      gql<{ parkNetwork: Figures }>(FIGURES, variables).then((f) => current && setFigures(f.parkNetwork))
        .catch((e) => current && setFiguresError(e));
    }).catch(fail);
    gql<{ parkNetwork: Tables }>(TABLES, variables).then((d) => current && setTables(d.parkNetwork)).catch(fail);
    return () => { current = false; };
  }, [code, branch, kinds]);

  const names = useMemo(() => new Map((graph?.nodes ?? []).map((n) => [n.key, pick(n.labelZh, n.labelEn)])), [graph]);
  const firmName = (uscc: string) => names.get(uscc) ?? uscc;
  const title = parkName(parks, code);

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
          <NetworkGraph nodes={graph.nodes} edges={graph.edges} layout={layout} showMemberships={memberships} showOffers={offers} />
        </>
      )}
      <h2>{t("coverage.title")}</h2>
      {!tables ? <Loading /> : (
        <>
          <ExportButtons label="coverage.title" items={csv(tables.coverageCsv, "export.csv")} />
          <CoverageTable rows={tables.coverage} firmName={firmName} />
        </>
      )}
      <h2>{t("unmet.title")}</h2>
      {tables && (
        <>
          <ExportButtons label="unmet.title" items={csv(tables.unmetCsv, "export.csv")} />
          <UnmetTable rows={tables.unmetRequests} firmName={firmName} parks={parks} />
        </>
      )}
      <h2>{t("recruit.title")}</h2>
      {tables && (
        <>
          <ExportButtons label="recruit.title" items={csv(tables.recruitCsv, "export.csv")} />
          <RecruitTable rows={tables.recruit} parks={parks} />
        </>
      )}
      <h2>{t("util.title")}</h2>
      {tables && (
        <>
          <p class="sub">{t("util.period", { start: tables.utilisationPeriod[0] ?? "", end: tables.utilisationPeriod[1] ?? "" })}</p>
          <ExportButtons label="util.title" items={csv(tables.utilisationCsv, "export.csv")} />
          {tables.utilisation.length ? <UtilisationChart rows={tables.utilisation} /> : <Empty text={t("util.none")} />}
        </>
      )}
      <h2>{t("map.title")}</h2>
      <ParkMap parks={parks} highlight={new Set(graph?.parks ?? [code])} links={figures?.figures.parkLinks ?? []} />
    </section>
  );
}
