// A coloured status label: requests, matches, certificates.
import { label } from "../i18n";

const TONES: Record<string, string> = {
  SUBMITTED: "neutral", ROUTED: "info", UNFILLED: "warn", AWARDED: "good", COMPLETED: "good", CANCELLED: "muted",
  ACCEPTED: "good", DECLINED: "muted", EXPIRED: "bad", CLOSED: "muted",
  VALID: "good", EXPIRING: "warn", NOT_YET_VALID: "info",
  MISSING: "bad", SINGLE: "warn", COVERED: "good",
};

export function Badge({ kind, value }: { kind: string; value: string }) {
  return <span class={`badge ${TONES[value] ?? "neutral"}`} data-status={value}>{label(kind, value)}</span>;
}
