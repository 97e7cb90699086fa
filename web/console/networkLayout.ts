// A layout of the park network computed in one pass (no simulation), readable at thousands
// of firms: the park(s) in the middle, capabilities on a ring sorted by code (so branches
// sit together), each firm outside the ring at the mean angle of what it offers or uses
// (collaborators and providers of the same branch end up near each other), spread over as
// many rings as its count needs; firms outside the scope on the outermost rings.

export interface LayoutNode {
  id: string;
  kind: "ORGANIZATION" | "CAPABILITY" | "PARK";
  key: string;
  external: boolean;
}

export interface LayoutEdge {
  source: string;
  target: string;
  kind: "OFFERS" | "LOCATED_IN" | "COLLABORATED_WITH";
}

export type Positions = Map<string, { x: number; y: number }>;

const SPACING = 16; // px between firms along a ring
const RING_GAP = 18; // px between rings of firms

function ring(ids: string[], radius: number, angles: number[], out: Positions): void {
  ids.forEach((id, i) => out.set(id, { x: radius * Math.cos(angles[i]), y: radius * Math.sin(angles[i]) }));
}

/** Places firms (sorted by angle) on concentric rings from `inner` outwards; returns the outer radius. */
function firmRings(firms: { id: string; angle: number }[], inner: number, out: Positions): number {
  if (!firms.length) return inner;
  firms.sort((a, b) => a.angle - b.angle);
  // Rings r_k = inner + k * gap hold 2π r_k / spacing firms each: how many rings for n firms?
  let rings = 1;
  let capacity = (2 * Math.PI * inner) / SPACING;
  while (capacity < firms.length) {
    capacity += (2 * Math.PI * (inner + rings * RING_GAP)) / SPACING;
    rings += 1;
  }
  // Fill the rings in turn along the angle order, each ring in proportion to its length,
  // so neighbours in angle stay neighbours on the page.
  const lengths = Array.from({ length: rings }, (_, k) => inner + k * RING_GAP);
  const total = lengths.reduce((a, b) => a + b, 0);
  const counts = lengths.map((l) => Math.floor((firms.length * l) / total));
  let left = firms.length - counts.reduce((a, b) => a + b, 0);
  for (let k = rings - 1; left > 0; k = (k + rings - 1) % rings, left--) counts[k] += 1;
  const slots: { ring: number; angle: number }[] = [];
  counts.forEach((n, k) => {
    const offset = (k % 2) * (Math.PI / Math.max(n, 1));
    for (let i = 0; i < n; i++) slots.push({ ring: k, angle: offset + (2 * Math.PI * i) / n });
  });
  slots.sort((a, b) => a.angle - b.angle);
  firms.forEach((firm, i) => {
    const slot = slots[i];
    const r = lengths[slot.ring];
    out.set(firm.id, { x: r * Math.cos(slot.angle), y: r * Math.sin(slot.angle) });
  });
  return lengths[rings - 1];
}

export function ringLayout(nodes: LayoutNode[], edges: LayoutEdge[]): Positions {
  const out: Positions = new Map();
  const parks = nodes.filter((n) => n.kind === "PARK").sort((a, b) => a.key.localeCompare(b.key));
  const capabilities = nodes.filter((n) => n.kind === "CAPABILITY").sort((a, b) => a.key.localeCompare(b.key));
  const parkRadius = parks.length > 1 ? 40 + parks.length * 8 : 0;
  ring(parks.map((p) => p.id), parkRadius, parks.map((_, i) => (2 * Math.PI * i) / parks.length), out);
  const capRadius = Math.max(120, (capabilities.length * 40) / (2 * Math.PI));
  const capAngle = new Map<string, number>();
  capabilities.forEach((c, i) => capAngle.set(c.id, (2 * Math.PI * i) / Math.max(capabilities.length, 1)));
  ring(capabilities.map((c) => c.id), capRadius, capabilities.map((c) => capAngle.get(c.id)!), out);

  // Each firm's angle: the circular mean of its capabilities' angles (offers), else of its
  // collaborators' (second pass), else spread by key.
  const sums = new Map<string, { x: number; y: number }>();
  const add = (id: string, angle: number, w = 1) => {
    const s = sums.get(id) ?? { x: 0, y: 0 };
    s.x += w * Math.cos(angle);
    s.y += w * Math.sin(angle);
    sums.set(id, s);
  };
  for (const e of edges) {
    if (e.kind !== "OFFERS") continue;
    const a = capAngle.get(e.target) ?? capAngle.get(e.source);
    const firm = capAngle.has(e.target) ? e.source : e.target;
    if (a !== undefined) add(firm, a);
  }
  const angleOf = (id: string) => {
    const s = sums.get(id);
    return s && (s.x || s.y) ? Math.atan2(s.y, s.x) : undefined;
  };
  const firstPass = new Map<string, number>();
  for (const n of nodes) {
    const a = n.kind === "ORGANIZATION" ? angleOf(n.id) : undefined;
    if (a !== undefined) firstPass.set(n.id, a);
  }
  for (const e of edges) {
    if (e.kind !== "COLLABORATED_WITH") continue;
    if (!firstPass.has(e.source) && firstPass.has(e.target)) add(e.source, firstPass.get(e.target)!, 0.5);
    if (!firstPass.has(e.target) && firstPass.has(e.source)) add(e.target, firstPass.get(e.source)!, 0.5);
  }
  const firms = nodes.filter((n) => n.kind === "ORGANIZATION");
  const placed = (list: LayoutNode[]) =>
    list.map((n, i) => ({ id: n.id, angle: ((angleOf(n.id) ?? (2 * Math.PI * i) / list.length) + 2 * Math.PI) % (2 * Math.PI) }));
  const outer = firmRings(placed(firms.filter((n) => !n.external)), capRadius + 60, out);
  firmRings(placed(firms.filter((n) => n.external)), outer + 60, out);
  return out;
}
