// Provider: edit the organization's profile (names, kind, parks, registry numbers, contact).
import { useEffect, useState } from "preact/hooks";
import { gql, PROBLEM_FIELDS } from "../api";
import { Form, type FieldSpec, useForm } from "../components/Form";
import { Failure, Loading } from "../components/Status";
import { t } from "../i18n";
import { enumOptions, ORG_KINDS, parkOptions } from "../options";
import { type Organization, joined, text, useOrganization } from "../organization";
import { loadParks, type Park } from "../reference";

const UPDATE = `mutation($i: OrganizationInput!) { updateOrganization(input: $i) { __typename ${PROBLEM_FIELDS} } }`;

function specs(parks: Park[]): FieldSpec[] {
  return [
    { name: "uscc", label: "field.uscc", kind: "text", required: true, readOnly: true },
    { name: "kind", label: "field.kind", kind: "select", required: true, options: enumOptions("OrganizationKind", ORG_KINDS) },
    { name: "nameZh", label: "field.nameZh", kind: "text", required: true },
    { name: "nameEn", label: "field.nameEn", kind: "text", required: true },
    { name: "parks", label: "field.parks", kind: "multi", options: parkOptions(parks) },
    { name: "licenceNumbers", label: "field.licenceNumbers", kind: "list", hint: "hint.list" },
    { name: "fdaFei", label: "field.fdaFei", kind: "text" },
    { name: "website", label: "field.website", kind: "text" },
    { name: "contactName", label: "field.contactName", kind: "text" },
    { name: "contactEmail", label: "field.contactEmail", kind: "text" },
    { name: "contactPhone", label: "field.contactPhone", kind: "text" },
    { name: "internalNote", label: "field.internalNote", kind: "textarea" },
  ];
}

function ProfileForm({ org, parks, onSaved }: { org: Organization; parks: Park[]; onSaved: () => void }) {
  const fields = specs(parks);
  const [saved, setSaved] = useState(false);
  const form = useForm(fields, {
    uscc: org.uscc, kind: org.kind, nameZh: org.nameZh, nameEn: org.nameEn, parks: org.parkCodes,
    licenceNumbers: joined(org.licenceNumbers), fdaFei: text(org.fdaFei), website: text(org.website),
    contactName: text(org.contact?.name), contactEmail: text(org.contact?.email), contactPhone: text(org.contact?.phone),
    internalNote: text(org.internalNote),
  });
  const save = () => {
    setSaved(false);
    return form.submit(async (input) => (await gql<{ updateOrganization: { __typename: string } }>(UPDATE, { i: input })).updateOrganization,
      () => { setSaved(true); onSaved(); });
  };
  return (
    <>
      {saved && <div class="alert ok" role="status">{t("editor.saved")}</div>}
      <Form id="profile" specs={fields} values={form.values} errors={form.errors} formError={form.formError}
        busy={form.busy} submitLabel="editor.save" onChange={form.setValues} onSubmit={save} />
    </>
  );
}

export function Profile({ uscc }: { uscc: string }) {
  const { org, error, reload } = useOrganization(uscc);
  const [parks, setParks] = useState<Park[] | null>(null);
  useEffect(() => { loadParks().then(setParks).catch(() => setParks([])); }, []);
  return (
    <section>
      <h1>{t("profile.title")}</h1>
      {error ? <Failure error={error} /> : org === undefined || parks === null ? <Loading /> : org === null
        ? <Failure error={t("profile.notFound")} /> : <ProfileForm org={org} parks={parks} onSaved={reload} />}
    </section>
  );
}
