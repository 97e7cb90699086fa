// Provider: the organization's sites.
import { useEffect, useState } from "preact/hooks";
import { Editor } from "../components/Editor";
import type { FieldSpec } from "../components/Form";
import { Failure, Loading } from "../components/Status";
import { pick } from "../i18n";
import { parkOptions } from "../options";
import { type Site, text, useOrganization } from "../organization";
import { loadParks, type Park, parkName } from "../reference";

function specs(parks: Park[], editing: Site | null): FieldSpec[] {
  return [
    { name: "site", label: "field.siteCode", kind: "text", required: true, readOnly: editing !== null },
    { name: "nameZh", label: "field.nameZh", kind: "text", required: true },
    { name: "nameEn", label: "field.nameEn", kind: "text", required: true },
    { name: "address", label: "field.address", kind: "text", required: true, wide: true },
    { name: "city", label: "field.city", kind: "text", required: true },
    { name: "district", label: "field.district", kind: "text" },
    { name: "lat", label: "field.lat", kind: "number", required: true },
    { name: "lon", label: "field.lon", kind: "number", required: true },
    { name: "park", label: "field.park", kind: "select", options: parkOptions(parks) },
  ];
}

export function Sites({ uscc }: { uscc: string }) {
  const { org, error, reload } = useOrganization(uscc);
  const [parks, setParks] = useState<Park[]>([]);
  useEffect(() => { loadParks().then(setParks).catch(() => undefined); }, []);
  if (error) return <Failure error={error} />;
  if (!org) return <Loading />;
  return (
    <Editor<Site>
      id="site" title="nav.sites" rows={org.sites} onChanged={reload}
      columns={[
        { label: "field.siteCode", cell: (s) => <code>{s.code}</code> },
        { label: "col.name", cell: (s) => pick(s.nameZh, s.nameEn) },
        { label: "field.city", cell: (s) => `${s.city}${s.district ? " · " + s.district : ""}` },
        { label: "field.park", cell: (s) => parkName(parks, s.parkCode) },
        { label: "col.offerings", cell: (s) => s.offerings.length, num: true },
        { label: "col.equipment", cell: (s) => s.equipment.length, num: true },
      ]}
      specs={(editing) => specs(parks, editing)}
      blank={() => ({})}
      values={(s) => ({
        site: s.code, nameZh: s.nameZh, nameEn: s.nameEn, address: s.address, city: s.city, district: text(s.district),
        lat: text(s.lat), lon: text(s.lon), park: text(s.parkCode),
      })}
      rowKey={(s) => s.id} rowLabel={(s) => pick(s.nameZh, s.nameEn)}
      mutation="saveSite" inputType="SiteInput" retire="retireSite"
      complete={(input) => ({ ...input, uscc })}
    />
  );
}
