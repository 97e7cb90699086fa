// Reference data every page shares (parks, the capability taxonomy), fetched once.
import { gql } from "./api";
import { pick } from "./i18n";

export interface Park {
  code: string;
  nameZh: string;
  nameEn: string;
  region: string;
  cityZh: string;
  cityEn: string;
  districtZh: string;
  districtEn: string;
  lat: number;
  lon: number;
}

export interface Capability {
  code: string;
  level: number;
  nameZh: string;
  nameEn: string;
  unitCode: string | null;
  unit?: { nameZh: string; nameEn: string } | null;
  children?: Capability[];
}

const NODE = "code level nameZh nameEn unitCode unit { nameZh nameEn }";
const TAXONOMY = `{ taxonomy { ${NODE} children { ${NODE} children { ${NODE} } } } }`;
const PARKS = "{ parks { code nameZh nameEn region cityZh cityEn districtZh districtEn lat lon } }";

let parks: Promise<Park[]> | null = null;
let taxonomy: Promise<Capability[]> | null = null;
const byCode = new Map<string, Capability>();

export function loadParks(): Promise<Park[]> {
  parks ??= gql<{ parks: Park[] }>(PARKS).then((d) => d.parks);
  parks.catch(() => (parks = null));
  return parks;
}

function index(nodes: Capability[], parentUnit: Capability["unit"] = null): void {
  for (const node of nodes) {
    node.unit ??= parentUnit;
    byCode.set(node.code, node);
    index(node.children ?? [], node.unit);
  }
}

export function loadTaxonomy(): Promise<Capability[]> {
  taxonomy ??= gql<{ taxonomy: Capability[] }>(TAXONOMY).then((d) => {
    index(d.taxonomy);
    return d.taxonomy;
  });
  taxonomy.catch(() => (taxonomy = null));
  return taxonomy;
}

/** A loaded capability by code (after loadTaxonomy). */
export function capability(code: string): Capability | undefined {
  return byCode.get(code);
}

export function capabilityName(code: string): string {
  const node = byCode.get(code);
  return node ? `${pick(node.nameZh, node.nameEn)} (${code})` : code;
}

export function parkName(list: Park[], code: string | null | undefined): string {
  if (!code) return "—";
  const park = list.find((p) => p.code === code);
  return park ? pick(park.nameZh, park.nameEn) : code;
}

/** Organization names by USCC, fetched in one aliased query and cached. */
const orgNames = new Map<string, { nameZh: string; nameEn: string }>();

export async function loadOrgNames(usccs: string[]): Promise<void> {
  const missing = [...new Set(usccs)].filter((u) => !orgNames.has(u));
  if (!missing.length) return;
  const fields = missing.map((_, i) => `o${i}: organization(uscc: $u${i}) { nameZh nameEn }`).join(" ");
  const params = missing.map((_, i) => `$u${i}: String!`).join(", ");
  const vars = Object.fromEntries(missing.map((u, i) => [`u${i}`, u]));
  const data = await gql<Record<string, { nameZh: string; nameEn: string } | null>>(
    `query(${params}) { ${fields} }`,
    vars,
  );
  missing.forEach((u, i) => orgNames.set(u, data[`o${i}`] ?? { nameZh: u, nameEn: u }));
}

export function orgName(uscc: string): string {
  const names = orgNames.get(uscc);
  return names ? pick(names.nameZh, names.nameEn) : uscc;
}

/** The capacity unit's name for a capability (after loadTaxonomy), else the unit code. */
export function unitName(capabilityCode: string, fallback: string): string {
  const unit = byCode.get(capabilityCode)?.unit;
  return unit ? pick(unit.nameZh, unit.nameEn) : fallback;
}
