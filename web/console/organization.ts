// The signed-in provider's organization with its sites, offerings, equipment and certificates.
import { useEffect, useState } from "preact/hooks";
import { gql } from "./api";

export interface Offering {
  id: string; code: string; capabilityCode: string; unit: string; gmpGrade: string; scaleMin: number; scaleMax: number;
  modality: string | null; leadTimeDays: number | null; descriptionZh: string | null; descriptionEn: string | null;
  equipmentTags: string[]; active: boolean;
}
export interface Equipment {
  id: string; tag: string; type: string; size: number | null; sizeUnit: string | null; model: string | null;
  grade: string; count: number; shareable: boolean; active: boolean;
}
export interface Site {
  id: string; code: string; nameZh: string; nameEn: string; address: string; city: string; district: string | null;
  lat: number; lon: number; parkCode: string | null; active: boolean; offerings: Offering[]; equipment: Equipment[];
}
export interface Certificate {
  id: string; authority: string; number: string; validFrom: string; validTo: string | null; lastInspection: string | null;
  outcome: string | null; siteCodes: string[]; capabilityCodes: string[]; active: boolean; status: string;
}
export interface Organization {
  uscc: string; nameZh: string; nameEn: string; kind: string; licenceNumbers: string[]; fdaFei: string | null;
  website: string | null; parkCodes: string[]; internalNote: string | null;
  contact: { name: string | null; email: string | null; phone: string | null } | null;
  sites: Site[]; certificates: Certificate[] | null;
}

const ORG = `query($u: String!) { organization(uscc: $u) {
  uscc nameZh nameEn kind licenceNumbers fdaFei website parkCodes internalNote contact { name email phone }
  sites { id code nameZh nameEn address city district lat lon parkCode active
    offerings { id code capabilityCode unit gmpGrade scaleMin scaleMax modality leadTimeDays descriptionZh descriptionEn equipmentTags active }
    equipment { id tag type size sizeUnit model grade count shareable active } }
  certificates { id authority number validFrom validTo lastInspection outcome siteCodes capabilityCodes active status } } }`;

/** Loads the organization; `reload` fetches it again after a change. */
export function useOrganization(uscc: string) {
  const [org, setOrg] = useState<Organization | null | undefined>(undefined);
  const [error, setError] = useState<unknown>(null);
  const [version, setVersion] = useState(0);
  useEffect(() => {
    setError(null);
    gql<{ organization: Organization | null }>(ORG, { u: uscc }).then((d) => setOrg(d.organization)).catch(setError);
  }, [uscc, version]);
  return { org, error, reload: () => setVersion((v) => v + 1) };
}

/** "a; b" for list fields in forms. */
export function joined(list: string[] | null | undefined): string {
  return (list ?? []).join("; ");
}

export function text(value: string | number | null | undefined): string {
  return value === null || value === undefined ? "" : String(value);
}
