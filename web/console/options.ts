// Choices for the API's enums, labelled in the chosen language.
import type { Option } from "./components/Form";
import { label, pick } from "./i18n";
import type { Park } from "./reference";

export const GMP_GRADES = ["NON_GMP", "GLP", "GMP_CLINICAL", "GMP_COMMERCIAL"];
export const AUTHORITIES = [
  "NMPA_LICENCE", "NMPA_GMP", "FDA", "EU_GMP", "WHO_PQ", "NMPA_GLP", "OECD_GLP", "AAALAC", "CNAS", "CMA",
];
export const REGIONS = ["BEIJING", "TIANJIN", "HEBEI"];
export const ORG_KINDS = ["PROVIDER", "REQUESTER", "BOTH"];
export const OUTCOMES = ["COMPLIANT", "NAI", "VAI", "OAI", "NON_COMPLIANT"];

export function enumOptions(kind: string, values: string[]): Option[] {
  return values.map((value) => ({ value, label: label(kind, value) }));
}

export function parkOptions(parks: Park[]): Option[] {
  return parks.map((p) => ({ value: p.code, label: pick(p.nameZh, p.nameEn) }));
}
