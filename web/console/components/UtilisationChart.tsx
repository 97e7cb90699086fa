// Capacity use by capability branch and month as plain SVG bars (no chart library):
// one row of bars per branch, bar height = reserved / total, a dot for the sharing rate
// (share of the reserved capacity used by other firms).
import { formatNumber, t } from "../i18n";
import { capabilityName } from "../reference";

export interface UtilisationRow {
  branch: string;
  month: string;
  unit: string;
  total: number;
  reserved: number;
  shared: number;
  utilisation: number | null;
  sharingRate: number | null;
}

const BAR = 22;
const GAP = 6;
const ROW = 70;
const LEFT = 210;
const TOP = 22;

const percent = (v: number | null) => (v === null ? "—" : `${formatNumber(Math.round(v * 1000) / 10)} %`);

export function UtilisationChart({ rows }: { rows: UtilisationRow[] }) {
  const months = [...new Set(rows.map((r) => r.month))].sort();
  const series = [...new Set(rows.map((r) => `${r.branch}\u0000${r.unit}`))].sort();
  const at = new Map(rows.map((r) => [`${r.branch}\u0000${r.unit}\u0000${r.month}`, r]));
  const width = Math.max(LEFT + months.length * (BAR + GAP) + 20, LEFT + 160);
  const height = TOP + series.length * ROW + 24;
  return (
    <figure class="chart">
      <svg viewBox={`0 0 ${width} ${height}`} width={width} height={height} role="img"
        aria-label={t("util.chartLabel", { series: series.length, months: months.length })}>
        {months.map((m, i) => (
          <text x={LEFT + i * (BAR + GAP) + BAR / 2} y={height - 6} class="axis" text-anchor="middle">{m.slice(5)}</text>
        ))}
        <text x={LEFT} y={12} class="axis">{months[0]} – {months[months.length - 1]}</text>
        {series.map((key, s) => {
          const [branch, unit] = key.split("\u0000");
          const base = TOP + (s + 1) * ROW - 8;
          return (
            <g>
              <text x={0} y={base - ROW / 2 + 8} class="series">{capabilityName(branch)}</text>
              <text x={0} y={base - ROW / 2 + 24} class="axis">{unit}</text>
              <line x1={LEFT - 4} x2={width - 10} y1={base} y2={base} class="baseline" />
              {months.map((m, i) => {
                const r = at.get(`${key}\u0000${m}`);
                if (!r) return null;
                const h = Math.min(1, r.utilisation ?? 0) * (ROW - 20);
                const bx = LEFT + i * (BAR + GAP);
                const tip = t("util.tip", {
                  branch, month: m, used: percent(r.utilisation), shared: percent(r.sharingRate),
                  reserved: formatNumber(r.reserved), total: formatNumber(r.total), unit: r.unit,
                });
                return (
                  <g class="bar-group">
                    <rect x={bx} y={base - (ROW - 20)} width={BAR} height={ROW - 20} class="bar-bg"><title>{tip}</title></rect>
                    <rect x={bx} y={base - h} width={BAR} height={h} class={(r.utilisation ?? 0) > 0.85 ? "bar-high" : "bar-used"}>
                      <title>{tip}</title>
                    </rect>
                    {r.sharingRate !== null && (
                      <circle cx={bx + BAR / 2} cy={base - r.sharingRate * (ROW - 20)} r={3} class="bar-shared"><title>{tip}</title></circle>
                    )}
                  </g>
                );
              })}
            </g>
          );
        })}
      </svg>
      <figcaption class="sub">{t("util.caption")}</figcaption>
    </figure>
  );
}
