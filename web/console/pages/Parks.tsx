// Park operator: the biomedical parks of 京津冀 on a map and in a table; each park the
// caller operates (an admin: every park) opens its network view.
import { useEffect, useState } from "preact/hooks";
import { ParkMap } from "../components/ParkMap";
import { Failure, Loading } from "../components/Status";
import { formatNumber, label, pick, t } from "../i18n";
import { loadParks, type Park } from "../reference";
import { href } from "../router";
import type { Principal } from "../session";

export function Parks({ principal }: { principal: Principal }) {
  const [parks, setParks] = useState<Park[] | null>(null);
  const [error, setError] = useState<unknown>(null);
  useEffect(() => { loadParks().then(setParks).catch(setError); }, []);
  const mine = new Set(principal.roles.filter((r) => r.kind === "OPERATOR").map((r) => r.scope));
  const admin = principal.roles.some((r) => r.kind === "ADMIN");
  const opens = (code: string) => admin || mine.has(code);
  return (
    <section>
      <h1>{t("parks.title")}</h1>
      <p class="lead">{t("parks.lead")}</p>
      {error ? <Failure error={error} /> : !parks ? <Loading /> : (
        <>
          <ParkMap parks={parks} highlight={new Set([...mine].filter((c): c is string => Boolean(c)))}
            linkTo={(code) => (opens(code) ? href("parks", code) : null)} />
          <table aria-label={t("parks.title")}>
            <thead><tr>
              <th>{t("col.code")}</th><th>{t("col.name")}</th><th>{t("field.region")}</th><th>{t("field.city")}</th>
              <th>{t("field.district")}</th><th>{t("col.position")}</th>
            </tr></thead>
            <tbody>
              {parks.map((p) => (
                <tr class={mine.has(p.code) ? "row-mine" : ""}>
                  <td><code>{p.code}</code>{mine.has(p.code) && <span class="badge info">{t("parks.yours")}</span>}</td>
                  <td>
                    {opens(p.code)
                      ? <a href={href("parks", p.code)} title={t("network.open")}>{pick(p.nameZh, p.nameEn)}</a>
                      : pick(p.nameZh, p.nameEn)}
                  </td>
                  <td>{label("Region", p.region)}</td>
                  <td>{pick(p.cityZh, p.cityEn)}</td>
                  <td>{pick(p.districtZh, p.districtEn)}</td>
                  <td class="num">{formatNumber(p.lat)}, {formatNumber(p.lon)}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </>
      )}
    </section>
  );
}
