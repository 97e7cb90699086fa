// Provider: equipment at each site (shareable equipment is booked by the hour).
import { Editor } from "../components/Editor";
import type { FieldSpec } from "../components/Form";
import { Failure, Loading } from "../components/Status";
import { formatNumber, label, t } from "../i18n";
import { enumOptions, GMP_GRADES } from "../options";
import { type Equipment as Item, type Organization, text, useOrganization } from "../organization";

type Row = Item & { site: string };

function specs(org: Organization, editing: Row | null): FieldSpec[] {
  return [
    { name: "site", label: "field.site", kind: "select", required: true, readOnly: editing !== null,
      options: org.sites.map((s) => ({ value: s.code, label: `${s.code} · ${s.nameZh}` })) },
    { name: "tag", label: "field.tag", kind: "text", required: true, readOnly: editing !== null },
    { name: "type", label: "field.equipmentType", kind: "text", required: true },
    { name: "size", label: "field.size", kind: "number" },
    { name: "sizeUnit", label: "field.sizeUnit", kind: "text" },
    { name: "model", label: "field.model", kind: "text" },
    { name: "grade", label: "field.gmpGrade", kind: "select", options: enumOptions("GmpGrade", GMP_GRADES) },
    { name: "count", label: "field.count", kind: "int", required: true },
    { name: "shareable", label: "field.shareable", kind: "checkbox" },
  ];
}

export function Equipment({ uscc }: { uscc: string }) {
  const { org, error, reload } = useOrganization(uscc);
  if (error) return <Failure error={error} />;
  if (!org) return <Loading />;
  const rows: Row[] = org.sites.flatMap((s) => s.equipment.map((e) => ({ ...e, site: s.code })));
  return (
    <Editor<Row>
      id="equipment" title="nav.equipment" rows={rows} onChanged={reload}
      columns={[
        { label: "field.tag", cell: (e) => <code>{e.site}/{e.tag}</code> },
        { label: "field.equipmentType", cell: (e) => e.type },
        { label: "field.size", cell: (e) => (e.size ? `${formatNumber(e.size)} ${e.sizeUnit ?? ""}` : "—"), num: true },
        { label: "field.gmpGrade", cell: (e) => label("GmpGrade", e.grade) },
        { label: "field.count", cell: (e) => e.count, num: true },
        { label: "field.shareable", cell: (e) => (e.shareable ? t("common.yes") : t("common.no")) },
      ]}
      specs={(editing) => specs(org, editing)}
      blank={() => ({ site: org.sites[0]?.code ?? "", count: "1" })}
      values={(e) => ({
        site: e.site, tag: e.tag, type: e.type, size: text(e.size), sizeUnit: text(e.sizeUnit), model: text(e.model),
        grade: e.grade, count: text(e.count), shareable: e.shareable,
      })}
      rowKey={(e) => e.id} rowLabel={(e) => `${e.site}/${e.tag}`}
      mutation="saveEquipment" inputType="EquipmentInput" retire="retireEquipment"
      complete={(input) => ({ ...input, uscc })}
    />
  );
}
