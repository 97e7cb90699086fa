// Provider: the services each site offers (capability, scale, grade, equipment).
import { useEffect } from "preact/hooks";
import { Editor } from "../components/Editor";
import type { FieldSpec } from "../components/Form";
import { Failure, Loading } from "../components/Status";
import { formatNumber, label } from "../i18n";
import { enumOptions, GMP_GRADES } from "../options";
import { joined, type Offering, type Organization, text, useOrganization } from "../organization";
import { capabilityName, loadTaxonomy } from "../reference";

type Row = Offering & { site: string };

function specs(org: Organization, editing: Row | null): FieldSpec[] {
  const tags = org.sites.flatMap((s) => s.equipment.map((e) => ({ value: e.tag, label: `${e.tag} (${s.code})` })));
  return [
    { name: "site", label: "field.site", kind: "select", required: true, readOnly: editing !== null,
      options: org.sites.map((s) => ({ value: s.code, label: `${s.code} · ${s.nameZh}` })) },
    { name: "offering", label: "field.offeringCode", kind: "text", required: true, readOnly: editing !== null },
    { name: "capability", label: "field.capability", kind: "capability", required: true },
    { name: "gmpGrade", label: "field.gmpGrade", kind: "select", required: true, options: enumOptions("GmpGrade", GMP_GRADES) },
    { name: "scaleMin", label: "field.scaleMin", kind: "number", required: true },
    { name: "scaleMax", label: "field.scaleMax", kind: "number", required: true },
    { name: "leadTimeDays", label: "field.leadTimeDays", kind: "int" },
    { name: "modality", label: "field.modality", kind: "text" },
    { name: "descriptionZh", label: "field.descriptionZh", kind: "textarea" },
    { name: "descriptionEn", label: "field.descriptionEn", kind: "textarea" },
    { name: "equipment", label: "field.equipmentTags", kind: "multi", options: tags },
  ];
}

export function Offerings({ uscc }: { uscc: string }) {
  const { org, error, reload } = useOrganization(uscc);
  useEffect(() => { loadTaxonomy().catch(() => undefined); }, []);
  if (error) return <Failure error={error} />;
  if (!org) return <Loading />;
  const rows: Row[] = org.sites.flatMap((s) => s.offerings.map((o) => ({ ...o, site: s.code })));
  return (
    <Editor<Row>
      id="offering" title="nav.offerings" rows={rows} onChanged={reload}
      columns={[
        { label: "field.offeringCode", cell: (o) => <code>{o.site}/{o.code}</code> },
        { label: "col.capability", cell: (o) => capabilityName(o.capabilityCode) },
        { label: "col.grade", cell: (o) => label("GmpGrade", o.gmpGrade) },
        { label: "col.scale", cell: (o) => `${formatNumber(o.scaleMin)}–${formatNumber(o.scaleMax)} ${o.unit}`, num: true },
        { label: "col.leadTime", cell: (o) => o.leadTimeDays ?? "—", num: true },
        { label: "field.equipmentTags", cell: (o) => joined(o.equipmentTags) || "—" },
      ]}
      specs={(editing) => specs(org, editing)}
      blank={() => ({ site: org.sites[0]?.code ?? "", gmpGrade: "GMP_CLINICAL" })}
      values={(o) => ({
        site: o.site, offering: o.code, capability: o.capabilityCode, gmpGrade: o.gmpGrade,
        scaleMin: text(o.scaleMin), scaleMax: text(o.scaleMax), leadTimeDays: text(o.leadTimeDays),
        modality: text(o.modality), descriptionZh: text(o.descriptionZh), descriptionEn: text(o.descriptionEn),
        equipment: o.equipmentTags,
      })}
      rowKey={(o) => o.id} rowLabel={(o) => `${o.site}/${o.code}`}
      mutation="saveOffering" inputType="OfferingInput" retire="retireOffering"
      complete={(input) => ({ ...input, uscc })}
    />
  );
}
