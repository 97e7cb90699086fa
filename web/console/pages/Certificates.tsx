// Provider: certificates, scoped to sites and capabilities, with expiry warnings.
import { Badge } from "../components/Badge";
import { Editor } from "../components/Editor";
import type { FieldSpec } from "../components/Form";
import { Failure, Loading } from "../components/Status";
import { label, t } from "../i18n";
import { AUTHORITIES, enumOptions, OUTCOMES } from "../options";
import { type Certificate, joined, type Organization, text, useOrganization } from "../organization";

function specs(org: Organization, editing: Certificate | null): FieldSpec[] {
  return [
    { name: "authority", label: "field.authority", kind: "select", required: true, readOnly: editing !== null,
      options: enumOptions("CertificateAuthority", AUTHORITIES) },
    { name: "number", label: "field.certificateNumber", kind: "text", required: true, readOnly: editing !== null },
    { name: "validFrom", label: "field.validFrom", kind: "date", required: true },
    { name: "validTo", label: "field.validTo", kind: "date" },
    { name: "lastInspection", label: "field.lastInspection", kind: "date" },
    { name: "outcome", label: "field.outcome", kind: "select", options: enumOptions("InspectionOutcome", OUTCOMES) },
    { name: "sites", label: "field.sites", kind: "multi", options: org.sites.map((s) => ({ value: s.code, label: `${s.code} · ${s.nameZh}` })) },
    { name: "capabilities", label: "field.capabilities", kind: "list", hint: "hint.capabilities", wide: true },
  ];
}

function Warning({ certificates }: { certificates: Certificate[] }) {
  const expiring = certificates.filter((c) => c.active && c.status === "EXPIRING").length;
  const expired = certificates.filter((c) => c.active && c.status === "EXPIRED").length;
  if (!expiring && !expired) return null;
  return (
    <div class="alert warn" role="alert">
      {expiring > 0 && <p>{t("certificates.expiring", { n: expiring })}</p>}
      {expired > 0 && <p>{t("certificates.expired", { n: expired })}</p>}
    </div>
  );
}

export function Certificates({ uscc }: { uscc: string }) {
  const { org, error, reload } = useOrganization(uscc);
  if (error) return <Failure error={error} />;
  if (!org) return <Loading />;
  const rows = org.certificates ?? [];
  return (
    <Editor<Certificate>
      banner={<Warning certificates={rows} />}
      id="certificate" title="nav.certificates" rows={rows} onChanged={reload}
      rowClass={(c) => (c.status === "EXPIRED" ? "row-bad" : c.status === "EXPIRING" ? "row-warn" : "")}
      columns={[
        { label: "field.authority", cell: (c) => label("CertificateAuthority", c.authority) },
        { label: "field.certificateNumber", cell: (c) => <code>{c.number}</code> },
        { label: "col.validity", cell: (c) => `${c.validFrom} – ${c.validTo ?? t("certificates.open")}` },
        { label: "field.sites", cell: (c) => joined(c.siteCodes) },
        { label: "field.capabilities", cell: (c) => joined(c.capabilityCodes) },
        { label: "col.status", cell: (c) => <Badge kind="CertificateStatus" value={c.status} /> },
      ]}
      specs={(editing) => specs(org, editing)}
      blank={() => ({ authority: "NMPA_LICENCE" })}
      values={(c) => ({
        authority: c.authority, number: c.number, validFrom: c.validFrom, validTo: text(c.validTo),
        lastInspection: text(c.lastInspection), outcome: text(c.outcome), sites: c.siteCodes,
        capabilities: joined(c.capabilityCodes),
      })}
      rowKey={(c) => c.id} rowLabel={(c) => `${label("CertificateAuthority", c.authority)} ${c.number}`}
      mutation="saveCertificate" inputType="CertificateInput" retire="retireCertificate"
      complete={(input) => ({ ...input, uscc })}
    />
  );
}
