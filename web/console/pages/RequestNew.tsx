// Requester: submit a request, then route it; the server's field errors appear next to
// their fields.
import { useEffect, useState } from "preact/hooks";
import { gql, idempotencyKey, PROBLEM_FIELDS, type Problem } from "../api";
import { Form, type FieldSpec, useForm } from "../components/Form";
import { t } from "../i18n";
import { AUTHORITIES, enumOptions, GMP_GRADES, parkOptions } from "../options";
import { capability, loadOrgNames, loadParks, loadTaxonomy, orgName, type Park } from "../reference";
import { navigate } from "../router";

const SUBMIT = `mutation($i: RequestInput!, $key: String) { submitRequest(input: $i, idempotencyKey: $key) {
  __typename ... on RequestChanged { request { id status } } ${PROBLEM_FIELDS} } }`;
const ROUTE = `mutation($id: ID!, $key: String) { routeRequest(id: $id, idempotencyKey: $key) {
  __typename ... on RequestChanged { request { id status } } ${PROBLEM_FIELDS} } }`;

type Changed = { __typename: "RequestChanged"; request: { id: string; status: string } };

function specs(requester: string, parks: Park[]): FieldSpec[] {
  return [
    requester
      ? { name: "requester", label: "field.requester", kind: "select", required: true, options: [{ value: requester, label: `${orgName(requester)} · ${requester}` }] }
      : { name: "requester", label: "field.requester", kind: "text", required: true },
    { name: "title", label: "field.title", kind: "text", required: true, wide: true },
    { name: "capability", label: "field.capability", kind: "capability", required: true },
    { name: "quantity", label: "field.quantity", kind: "number", required: true, hint: "hint.quantity" },
    { name: "gmpGrade", label: "field.gmpGrade", kind: "select", required: true, options: enumOptions("GmpGrade", GMP_GRADES) },
    { name: "earliestStart", label: "field.earliestStart", kind: "date", required: true },
    { name: "needBy", label: "field.needBy", kind: "date", required: true },
    { name: "authorities", label: "field.authorities", kind: "multi", options: enumOptions("CertificateAuthority", AUTHORITIES) },
    { name: "preferredParks", label: "field.preferredParks", kind: "multi", options: parkOptions(parks) },
    { name: "maxDistanceKm", label: "field.maxDistanceKm", kind: "number" },
    { name: "modality", label: "field.modality", kind: "text" },
    { name: "budgetMin", label: "field.budgetMin", kind: "number" },
    { name: "budgetMax", label: "field.budgetMax", kind: "number" },
    { name: "currency", label: "field.currency", kind: "text", hint: "hint.currency" },
    { name: "confidential", label: "field.confidential", kind: "checkbox" },
  ];
}

export function RequestNew({ requester, initialCapability }: { requester: string; initialCapability: string }) {
  const [parks, setParks] = useState<Park[]>([]);
  const [step, setStep] = useState<"" | "submitting" | "routing">("");
  const [, setNamesLoaded] = useState(0);
  useEffect(() => {
    loadParks().then(setParks).catch(() => undefined);
    loadTaxonomy().catch(() => undefined);
    if (requester) loadOrgNames([requester]).then(() => setNamesLoaded((v) => v + 1)).catch(() => undefined);
  }, []);
  const fields = specs(requester, parks);
  const form = useForm(fields, { requester, capability: initialCapability, gmpGrade: "GMP_CLINICAL", currency: "CNY" });
  const unit = capability(String(form.values.capability))?.unit;

  const submit = () =>
    form.submit(
      async (input) => {
        setStep("submitting");
        const sent = await gql<{ submitRequest: Changed | Problem }>(SUBMIT, { i: input, key: idempotencyKey() });
        if (sent.submitRequest.__typename !== "RequestChanged") return sent.submitRequest;
        setStep("routing");
        const id = (sent.submitRequest as Changed).request.id;
        await gql(ROUTE, { id, key: idempotencyKey() });
        return sent.submitRequest;
      },
      (result) => navigate(`/requests/${(result as Changed).request.id}`),
    ).finally(() => setStep(""));

  return (
    <section>
      <h1>{t("newRequest.title")}</h1>
      <p class="lead">{t("newRequest.lead")}</p>
      {unit && <p class="note">{t("newRequest.unit", { unit: unit.nameZh === unit.nameEn ? unit.nameZh : `${unit.nameZh} / ${unit.nameEn}` })}</p>}
      <Form id="request" specs={fields} values={form.values} errors={form.errors} formError={form.formError}
        busy={form.busy} submitLabel="newRequest.submit" busyLabel={step === "routing" ? "newRequest.routing" : "newRequest.submitting"}
        onChange={form.setValues} onSubmit={submit} />
    </section>
  );
}
