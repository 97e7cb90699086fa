// The parks on a plain SVG map (longitude/latitude, no tiles: the console works offline),
// with the parks in scope highlighted, links between parks as wide as their engagements,
// and each park a link to its network when the caller may open it.
import { pick, t } from "../i18n";
import type { Park } from "../reference";

export interface ParkLinkLine {
  parkA: string;
  parkB: string;
  engagements: number;
}

interface Props {
  parks: Park[];
  highlight?: Set<string>;
  links?: ParkLinkLine[];
  linkTo?: (code: string) => string | null;
}

const WIDTH = 560;
const HEIGHT = 360;
const PAD = 36;

export function ParkMap({ parks, highlight = new Set(), links = [], linkTo = () => null }: Props) {
  if (!parks.length) return null;
  const lats = parks.map((p) => p.lat);
  const lons = parks.map((p) => p.lon);
  const midLat = (Math.min(...lats) + Math.max(...lats)) / 2;
  const squash = Math.cos((midLat * Math.PI) / 180); // a degree of longitude is shorter up north
  const spanX = Math.max((Math.max(...lons) - Math.min(...lons)) * squash, 0.2);
  const spanY = Math.max(Math.max(...lats) - Math.min(...lats), 0.2);
  const scale = Math.min((WIDTH - 2 * PAD) / spanX, (HEIGHT - 2 * PAD) / spanY);
  const cx = (Math.min(...lons) + Math.max(...lons)) / 2;
  const cy = midLat;
  const x = (p: Park) => WIDTH / 2 + (p.lon - cx) * squash * scale;
  const y = (p: Park) => HEIGHT / 2 - (p.lat - cy) * scale;
  const byCode = new Map(parks.map((p) => [p.code, p]));
  const most = Math.max(1, ...links.map((l) => l.engagements));
  // Names where they fit: parks in scope or openable first, then the others; a name that
  // would overlap one already placed is left to the marker's tooltip.
  const boxes: { x0: number; x1: number; y0: number; y1: number }[] = [];
  const labelled = new Map<string, boolean>(); // code -> name on the left
  const order = [...parks].sort((a, b) =>
    Number(highlight.has(b.code) || linkTo(b.code) !== null) - Number(highlight.has(a.code) || linkTo(a.code) !== null));
  for (const p of order) {
    const text = pick(p.nameZh, p.nameEn);
    const long = 2 + text.length * (/[\u3000-\u9fff]/.test(text) ? 11 : 6);
    const left = x(p) + 8 + long > WIDTH - 2; // no room on the right: name on the left
    const box = left
      ? { x0: x(p) - 8 - long, x1: x(p) - 8, y0: y(p) - 8, y1: y(p) + 6 }
      : { x0: x(p) + 8, x1: x(p) + 8 + long, y0: y(p) - 8, y1: y(p) + 6 };
    if (boxes.some((b) => box.x0 < b.x1 && b.x0 < box.x1 && box.y0 < b.y1 && b.y0 < box.y1)) continue;
    boxes.push(box);
    labelled.set(p.code, left);
  }
  return (
    <figure class="park-map">
      <svg viewBox={`0 0 ${WIDTH} ${HEIGHT}`} role="group" aria-label={t("map.label")}>
        <rect x="0" y="0" width={WIDTH} height={HEIGHT} class="map-bg" />
        {links.map((l) => {
          const a = byCode.get(l.parkA);
          const b = byCode.get(l.parkB);
          if (!a || !b) return null;
          return (
            <line x1={x(a)} y1={y(a)} x2={x(b)} y2={y(b)} class="map-link" stroke-width={1 + (5 * l.engagements) / most}>
              <title>{t("map.link", { a: pick(a.nameZh, a.nameEn), b: pick(b.nameZh, b.nameEn), n: l.engagements })}</title>
            </line>
          );
        })}
        {parks.map((p) => {
          const on = highlight.has(p.code);
          const target = linkTo(p.code);
          const dot = (
            <g class={on ? "map-park in-scope" : "map-park"}>
              <circle cx={x(p)} cy={y(p)} r={on ? 7 : 5} />
              {labelled.has(p.code) && (labelled.get(p.code)
                ? <text x={x(p) - 9} y={y(p) + 4} text-anchor="end">{pick(p.nameZh, p.nameEn)}</text>
                : <text x={x(p) + 9} y={y(p) + 4}>{pick(p.nameZh, p.nameEn)}</text>)}
              <title>{`${pick(p.nameZh, p.nameEn)} (${p.code}) ${p.lat.toFixed(3)}, ${p.lon.toFixed(3)}`}</title>
            </g>
          );
          return target ? <a href={target} aria-label={pick(p.nameZh, p.nameEn)}>{dot}</a> : dot;
        })}
      </svg>
      <figcaption class="sub">{t("map.caption")}</figcaption>
    </figure>
  );
}
