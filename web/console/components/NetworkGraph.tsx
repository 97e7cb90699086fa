// The park network drawn with Cytoscape.js (loaded on first use): firms, capabilities and
// parks sized by the API's `size`, coloured by kind; collaboration edges as wide as their
// weight. Layout: fcose (force-directed) for small networks, the one-pass ring layout
// (networkLayout.ts) from LARGE nodes on, or as chosen. When drawn, the container carries
// data-state="ready", data-nodes, data-edges, data-layout-ms, and window.__hubGraph is the
// Cytoscape instance (for tests and the benchmark).
import type cytoscape from "cytoscape";
import { useEffect, useRef, useState } from "preact/hooks";
import { formatNumber, pick, t } from "../i18n";
import { type LayoutEdge, type LayoutNode, type Positions, ringLayout } from "../networkLayout";

export interface GraphNode extends LayoutNode {
  labelZh: string;
  labelEn: string;
  size: number;
  group: string;
  orgKind: OrgKind | null;
}

/** The API's OrganizationKind; null on capability and park nodes. */
export type OrgKind = "PROVIDER" | "REQUESTER" | "BOTH";

export interface GraphEdge extends LayoutEdge {
  id: string;
  weight: number;
  count: number;
}

export type LayoutChoice = "auto" | "fcose" | "rings";

/** From this many nodes on, "auto" uses the ring layout (fcose takes seconds there). */
export const LARGE = 600;
const MIN_ZOOM = 0.05;
const MAX_ZOOM = 4;
const LABELS_ZOOM = 0.8; // firms' labels are put back a little before they show (zoom 1)

declare global {
  interface Window { __hubGraph?: cytoscape.Core }
}

const COLOURS: Record<string, string> = {
  PROVIDER: "#0b5cab", REQUESTER: "#d97706", BOTH: "#7c3aed", CAPABILITY: "#1b7f4b", PARK: "#b42318",
};

function orgKind(n: GraphNode): OrgKind {
  return n.orgKind ?? "BOTH";
}

function diameter(n: GraphNode, large: boolean): number {
  const base = n.kind === "PARK" ? 26 : n.kind === "CAPABILITY" ? 12 : 8;
  // In a large network a capability's size (its firms) would cover its neighbours.
  const most = large && n.kind === "CAPABILITY" ? 30 : 70;
  return Math.min(most, base + (large ? 2 : 4) * Math.sqrt(Math.max(n.size, 0)));
}

let library: Promise<typeof cytoscape> | null = null;

/** Cytoscape.js (and fcose), fetched once; pages start it early, while their data loads. */
export function loadCytoscape(): Promise<typeof cytoscape> {
  library ??= Promise.all([import("cytoscape"), import("cytoscape-fcose")]).then(([cy, fcose]) => {
    cy.default.use(fcose.default);
    return cy.default;
  });
  return library;
}

const STYLE: cytoscape.StylesheetJson = [
  { selector: "node", style: {
    width: "data(d)", height: "data(d)", "background-color": "data(colour)", "border-width": 0,
    label: "data(label)", "font-size": 9, color: "#1f2933", "min-zoomed-font-size": 9,
    "text-valign": "bottom", "text-margin-y": 2,
  } },
  { selector: "node[kind = 'CAPABILITY']", style: { shape: "round-rectangle", "font-size": 10 } },
  { selector: "node[kind = 'PARK']", style: { shape: "star", "font-size": 11, "font-weight": "bold", "min-zoomed-font-size": 0 } },
  { selector: "node[?external]", style: { opacity: 0.5, "border-width": 1, "border-color": "#5f6b7a", "border-style": "dashed" } },
  { selector: "node.unlabelled", style: { label: "" } },
  { selector: "node:selected", style: { "border-width": 3, "border-color": "#111827", "border-style": "solid", opacity: 1 } },
  { selector: "edge", style: { width: 0.6, "line-color": "#b6c2d1", opacity: 0.35, "curve-style": "haystack" } },
  { selector: "edge[kind = 'LOCATED_IN']", style: { opacity: 0.15 } },
  { selector: "edge[kind = 'COLLABORATED_WITH']", style: {
    width: "data(w)", "line-color": "#334155", opacity: 0.7, "curve-style": "haystack",
  } },
];

interface Props {
  nodes: GraphNode[];
  edges: GraphEdge[];
  layout: LayoutChoice;
  showMemberships: boolean;
  /** Firm–capability lines in large networks (always drawn in small ones). */
  showOffers: boolean;
  /** Called once the graph is drawn (or could not be). */
  onDrawn?: () => void;
}

const PADDING = 20; // px around the network when it is fitted to the box

/** The zoom and pan that fit `positions` (nodes of diameter up to `widest`) in the box, as
 * cy.fit would: worked out from the positions, without Cytoscape measuring every element. */
function fitted(positions: Positions, widest: number, box: HTMLElement): { zoom: number; pan: { x: number; y: number } } {
  let [x1, y1, x2, y2] = [Infinity, Infinity, -Infinity, -Infinity];
  for (const { x, y } of positions.values()) {
    x1 = Math.min(x1, x); y1 = Math.min(y1, y); x2 = Math.max(x2, x); y2 = Math.max(y2, y);
  }
  if (!positions.size) return { zoom: 1, pan: { x: box.clientWidth / 2, y: box.clientHeight / 2 } };
  [x1, y1, x2, y2] = [x1 - widest / 2, y1 - widest / 2, x2 + widest / 2, y2 + widest / 2];
  const zoom = Math.min(MAX_ZOOM, Math.max(MIN_ZOOM, Math.min(
    (box.clientWidth - 2 * PADDING) / (x2 - x1), (box.clientHeight - 2 * PADDING) / (y2 - y1))));
  return { zoom, pan: { x: (box.clientWidth - zoom * (x1 + x2)) / 2, y: (box.clientHeight - zoom * (y1 + y2)) / 2 } };
}

export function NetworkGraph({ nodes, edges, layout, showMemberships, showOffers, onDrawn }: Props) {
  const box = useRef<HTMLDivElement>(null);
  const [selected, setSelected] = useState<GraphNode | null>(null);
  const [state, setState] = useState<"drawing" | "ready" | "failed">("drawing");

  useEffect(() => {
    const container = box.current!;
    let cy: cytoscape.Core | null = null;
    let cancelled = false;
    const began = performance.now();
    setState("drawing");
    setSelected(null);
    container.dataset.state = "drawing";
    const byId = new Map(nodes.map((n) => [n.id, n]));
    const large = nodes.length >= LARGE;
    const shownEdges = edges.filter((e) => (showMemberships || e.kind !== "LOCATED_IN")
      && (showOffers || !large || e.kind !== "OFFERS") && byId.has(e.source) && byId.has(e.target));
    const name = layout === "auto" ? (nodes.length >= LARGE ? "rings" : "fcose") : layout;
    loadCytoscape().then((cytoscapeLib) => {
      if (cancelled) return;
      performance.mark("park:draw-start"); // the marks are read by bench/console.py
      const positions = name === "rings" ? ringLayout(nodes, edges) : null;
      const diameters = nodes.map((n) => diameter(n, large));
      // Rings: placed and fitted here, so Cytoscape runs no layout and measures nothing
      // before the first frame (its fit measured every label: a second at 2,000 firms).
      const view = positions ? fitted(positions, diameters.reduce((a, b) => Math.max(a, b), 0), container) : null;
      // Firms' labels (9 px, drawn from 9 px on) show from zoom 1: below it they are left
      // out until one zooms in, instead of measured and drawn for every firm up front.
      const unlabelled = large && view !== null && view.zoom < LABELS_ZOOM;
      const elements: cytoscape.ElementDefinition[] = [
        ...nodes.map((n, i) => ({
          group: "nodes" as const,
          data: {
            id: n.id, key: n.key, kind: n.kind, external: n.external, d: diameters[i],
            colour: COLOURS[n.kind === "ORGANIZATION" ? orgKind(n) : n.kind],
            label: pick(n.labelZh, n.labelEn),
          },
          position: positions?.get(n.id),
          classes: unlabelled && n.kind === "ORGANIZATION" ? "unlabelled" : undefined,
        })),
        ...shownEdges.map((e) => ({
          group: "edges" as const,
          data: { id: e.id, source: e.source, target: e.target, kind: e.kind, w: 1 + 1.5 * Math.sqrt(e.weight) },
        })),
      ];
      cy = cytoscapeLib({
        container,
        style: STYLE,
        elements,
        layout: { name: view ? "null" : "preset" },
        ...(view ?? {}),
        minZoom: MIN_ZOOM,
        maxZoom: MAX_ZOOM,
        wheelSensitivity: 0.3,
        hideEdgesOnViewport: large,
        textureOnViewport: large,
        pixelRatio: large ? 1 : "auto",
        motionBlur: false,
      });
      window.__hubGraph = cy;
      cy.on("tap", "node", (event) => setSelected(byId.get(event.target.id()) ?? null));
      cy.on("tap", (event) => { if (event.target === cy) setSelected(null); });
      if (unlabelled) {
        const label = () => {
          if (!cy || cy.zoom() < LABELS_ZOOM) return;
          cy.off("zoom", label);
          cy.nodes(".unlabelled").removeClass("unlabelled");
        };
        cy.on("zoom", label);
      }
      const done = () => {
        if (cancelled || !cy) return;
        if (!view) cy.fit(undefined, PADDING);
        requestAnimationFrame(() => requestAnimationFrame(() => {
          if (cancelled || !cy) return;
          performance.mark("park:drawn");
          container.dataset.nodes = String(cy.nodes().length);
          container.dataset.edges = String(cy.edges().length);
          container.dataset.layout = name;
          container.dataset.layoutMs = String(Math.round(performance.now() - began));
          container.dataset.readyAt = String(Math.round(performance.now()));
          container.dataset.state = "ready";
          setState("ready");
          onDrawn?.();
        }));
      };
      if (view) {
        done();
      } else { // fcose: placed now, and fitted after
        const running = cy.layout({
          name: "fcose", quality: nodes.length > 300 ? "draft" : "default", randomize: true, animate: false,
          nodeDimensionsIncludeLabels: false, idealEdgeLength: 60, nodeRepulsion: 6000, packComponents: true,
        } as cytoscape.LayoutOptions);
        running.one("layoutstop", done);
        running.run();
      }
    }).catch(() => {
      container.dataset.state = "failed";
      setState("failed");
      onDrawn?.();
    });
    return () => {
      cancelled = true;
      cy?.destroy();
      if (window.__hubGraph === cy) delete window.__hubGraph;
    };
  }, [nodes, edges, layout, showMemberships, showOffers, onDrawn]);

  const members = nodes.filter((n) => n.kind === "ORGANIZATION" && !n.external).length;
  return (
    <div class="graph-wrap">
      <div ref={box} class="graph" role="img" data-testid="network-graph"
        aria-label={t("network.graphLabel", { nodes: nodes.length, edges: edges.length, members })} />
      {state === "drawing" && <p class="graph-status" role="status">{t("network.drawing")}</p>}
      {state === "failed" && <p class="graph-status alert error" role="alert">{t("network.drawFailed")}</p>}
      <ul class="legend" aria-label={t("network.legend")}>
        {(["PROVIDER", "REQUESTER", "BOTH", "CAPABILITY", "PARK"] as const).map((k) => (
          <li><span class="swatch" style={{ background: COLOURS[k] }} aria-hidden="true" />{t(`network.kind.${k}`)}</li>
        ))}
        <li><span class="swatch external" aria-hidden="true" />{t("network.kind.external")}</li>
        <li><span class="swatch edge" aria-hidden="true" />{t("network.kind.collaboration")}</li>
      </ul>
      {selected && (
        <dl class="summary node-detail" aria-label={t("network.selected")}>
          <dt>{t("col.name")}</dt><dd>{pick(selected.labelZh, selected.labelEn)} <code>{selected.key}</code></dd>
          <dt>{t("network.kindLabel")}</dt>
          <dd>{t(`network.kind.${selected.kind === "ORGANIZATION" ? orgKind(selected) : selected.kind}`)}
            {selected.external && ` · ${t("network.kind.external")}`}</dd>
          <dt>{t("network.size")}</dt><dd>{formatNumber(selected.size)}</dd>
        </dl>
      )}
    </div>
  );
}
