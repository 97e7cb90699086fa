// Requester: find offerings that fit (capability branch, place, scale, grade, certificates,
// spare capacity over a window), then turn one into a request.
import { useEffect, useState } from "preact/hooks";
import { gql } from "../api";
import { Form, type FieldSpec, useForm } from "../components/Form";
import { Empty } from "../components/Status";
import { formatNumber, label, pick, t } from "../i18n";
import { AUTHORITIES, enumOptions, GMP_GRADES, parkOptions, REGIONS } from "../options";
import { loadParks, type Park, parkName } from "../reference";

const SEARCH = `query($f: OfferingSearchInput!) { offerings(filter: $f, first: 50) { edges { minFree node {
  id code gmpGrade scaleMin scaleMax unit leadTimeDays modality
  capability { code nameZh nameEn } site { nameZh nameEn city parkCode } organization { uscc nameZh nameEn } } } } }`;

interface Hit {
  minFree: number | null;
  node: {
    id: string; code: string; gmpGrade: string; scaleMin: number; scaleMax: number; unit: string;
    leadTimeDays: number | null; modality: string | null;
    capability: { code: string; nameZh: string; nameEn: string } | null;
    site: { nameZh: string; nameEn: string; city: string; parkCode: string | null } | null;
    organization: { uscc: string; nameZh: string; nameEn: string } | null;
  };
}

function specs(parks: Park[]): FieldSpec[] {
  return [
    { name: "capability", label: "field.capability", kind: "capability", required: true },
    { name: "parks", label: "field.parks", kind: "multi", options: parkOptions(parks) },
    { name: "region", label: "field.region", kind: "select", options: enumOptions("Region", REGIONS) },
    { name: "quantity", label: "field.scale", kind: "number", hint: "hint.scale" },
    { name: "gmpGrade", label: "field.gmpGrade", kind: "select", options: enumOptions("GmpGrade", GMP_GRADES) },
    { name: "authorities", label: "field.authorities", kind: "multi", options: enumOptions("CertificateAuthority", AUTHORITIES) },
    { name: "start", label: "field.windowStart", kind: "date" },
    { name: "end", label: "field.windowEnd", kind: "date" },
    { name: "spare", label: "field.spare", kind: "number", hint: "hint.spare" },
  ];
}

export function OfferingSearch() {
  const [parks, setParks] = useState<Park[]>([]);
  useEffect(() => { loadParks().then(setParks).catch(() => undefined); }, []);
  const fields = specs(parks);
  const form = useForm(fields);
  const [hits, setHits] = useState<Hit[] | null>(null);

  const search = () =>
    form.submit(
      async (input) => {
        if (!(input.parks as string[]).length) input.parks = null;
        const data = await gql<{ offerings: { edges: Hit[] } }>(SEARCH, { f: input });
        // A query has no Problem union: wrap the result so the form treats it as a success.
        return { __typename: "OfferingConnection", edges: data.offerings.edges };
      },
      (r) => setHits(r.edges),
    );

  return (
    <section>
      <h1>{t("search.title")}</h1>
      <p class="lead">{t("search.lead")}</p>
      <Form id="search" specs={fields} values={form.values} errors={form.errors} formError={form.formError}
        busy={form.busy} submitLabel="search.submit" busyLabel="search.busy" onChange={form.setValues} onSubmit={search} />
      {hits && (
        <div class="results">
          <h2>{t("search.results", { n: hits.length })}</h2>
          {hits.length === 0 ? <Empty text={t("search.none")} /> : (
            <table aria-label={t("search.results", { n: hits.length })}>
              <thead><tr>
                <th>{t("col.organization")}</th><th>{t("col.capability")}</th><th>{t("col.site")}</th>
                <th>{t("col.grade")}</th><th>{t("col.scale")}</th><th>{t("col.leadTime")}</th><th>{t("col.minFree")}</th><th />
              </tr></thead>
              <tbody>
                {hits.map(({ node, minFree }) => (
                  <tr>
                    <td>{pick(node.organization?.nameZh, node.organization?.nameEn)}</td>
                    <td>{pick(node.capability?.nameZh, node.capability?.nameEn)} <code>{node.capability?.code}</code></td>
                    <td>{pick(node.site?.nameZh, node.site?.nameEn)}<div class="sub">{node.site?.city} · {parkName(parks, node.site?.parkCode)}</div></td>
                    <td>{label("GmpGrade", node.gmpGrade)}</td>
                    <td class="num">{formatNumber(node.scaleMin)}–{formatNumber(node.scaleMax)} <span class="sub">{node.unit}</span></td>
                    <td class="num">{node.leadTimeDays ?? "—"}</td>
                    <td class="num">{formatNumber(minFree)}</td>
                    <td><a class="button" href={`#/requests/new?capability=${encodeURIComponent(node.capability?.code ?? "")}`}>{t("search.request")}</a></td>
                  </tr>
                ))}
              </tbody>
            </table>
          )}
        </div>
      )}
    </section>
  );
}
