// Why a provider was matched: the qualifying graph path and the score in parts.
import { formatNumber, label, pick, t } from "../i18n";
import { capabilityName } from "../reference";

export interface Evidence {
  capabilityCode: string;
  offeringId: string;
  siteId: string;
  parkCode: string | null;
  certificateIds: string[];
  bucketIds: string[];
}

export interface ScorePart {
  name: string;
  value: number;
  weight: number;
  detailZh: string;
  detailEn: string;
}

/** The fields of a score part the table shows: the detail in both languages, so that
 * switching the language shows it in the new one without asking again. */
export const SCORE_PART_FIELDS = "name value weight detailZh detailEn";

export function EvidencePath({ evidence }: { evidence: Evidence }) {
  const steps: [string, string][] = [
    [t("evidence.capability"), capabilityName(evidence.capabilityCode)],
    [t("evidence.offering"), evidence.offeringId],
    [t("evidence.site"), evidence.siteId + (evidence.parkCode ? ` · ${evidence.parkCode}` : "")],
    [t("evidence.certificates"), evidence.certificateIds.join(", ") || t("evidence.noneNeeded")],
    [t("evidence.capacity"), t("evidence.buckets", { n: evidence.bucketIds.length })],
  ];
  return (
    <ol class="path" aria-label={t("evidence.title")}>
      {steps.map(([what, value]) => <li><span class="what">{what}</span><span class="value">{value}</span></li>)}
    </ol>
  );
}

export function ScoreParts({ parts }: { parts: ScorePart[] }) {
  return (
    <table class="score-parts" aria-label={t("score.title")}>
      <thead><tr><th>{t("score.part")}</th><th>{t("score.value")}</th><th>{t("score.weight")}</th><th>{t("score.detail")}</th></tr></thead>
      <tbody>
        {parts.map((p) => (
          <tr>
            <td>{label("ScorePart", p.name)}</td>
            <td><span class="bar" style={{ "--v": `${Math.round(p.value * 100)}%` }} aria-hidden="true" /> {formatNumber(p.value)}</td>
            <td class="num">{formatNumber(p.weight)}</td>
            <td class="sub">{pick(p.detailZh, p.detailEn)}</td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}
