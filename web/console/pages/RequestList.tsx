// Requester: the organization's requests, newest first.
import { useEffect, useState } from "preact/hooks";
import { gql } from "../api";
import { Badge } from "../components/Badge";
import { Empty, Failure, Loading } from "../components/Status";
import { formatDateTime, formatNumber, label, t } from "../i18n";
import { capabilityName, loadOrgNames, loadTaxonomy, orgName, unitName } from "../reference";
import { href } from "../router";

const MINE = `query($status: RequestStatus, $requester: String) { myRequests(status: $status, first: 100, requester: $requester) {
  id title status capabilityCode quantity unit earliestStart needBy createdAt matches { status } } }`;
const STATUSES = ["SUBMITTED", "ROUTED", "UNFILLED", "AWARDED", "COMPLETED", "CANCELLED"];

interface Row {
  id: string; title: string; status: string; capabilityCode: string; quantity: number; unit: string;
  earliestStart: string; needBy: string; createdAt: string; matches: { status: string }[];
}

/** The requests of the organization acted for (`requester`, null when none is chosen). */
export function RequestList({ requester }: { requester: string | null }) {
  const [status, setStatus] = useState("");
  const [rows, setRows] = useState<Row[] | null>(null);
  const [error, setError] = useState<unknown>(null);
  useEffect(() => {
    setRows(null);
    Promise.all([
      gql<{ myRequests: Row[] }>(MINE, { status: status || null, requester }),
      loadTaxonomy(),
      requester ? loadOrgNames([requester]).catch(() => undefined) : undefined,
    ])
      .then(([d]) => setRows(d.myRequests))
      .catch(setError);
  }, [status]);

  return (
    <section>
      <div class="page-head">
        <div>
          <h1>{t("requests.title")}</h1>
          {requester && <p class="sub">{t("acting.for", { name: orgName(requester) })}</p>}
        </div>
        <a class="button primary" href="#/requests/new">{t("nav.newRequest")}</a>
      </div>
      <div class="toolbar">
        <label for="status-filter">{t("field.status")}</label>
        <select id="status-filter" value={status} onChange={(e) => setStatus(e.currentTarget.value)}>
          <option value="">{t("common.all")}</option>
          {STATUSES.map((s) => <option value={s}>{label("RequestStatus", s)}</option>)}
        </select>
      </div>
      {error ? <Failure error={error} /> : !rows ? <Loading /> : rows.length === 0 ? <Empty text={t("requests.none")} /> : (
        <table aria-label={t("requests.title")}>
          <thead><tr>
            <th>{t("col.title")}</th><th>{t("col.capability")}</th><th>{t("col.quantity")}</th>
            <th>{t("col.window")}</th><th>{t("col.status")}</th><th>{t("col.quotes")}</th><th>{t("col.created")}</th>
          </tr></thead>
          <tbody>
            {rows.map((r) => (
              <tr>
                <td><a href={href("requests", r.id)}>{r.title}</a></td>
                <td>{capabilityName(r.capabilityCode)}</td>
                <td class="num">{formatNumber(r.quantity)} <span class="sub">{unitName(r.capabilityCode, r.unit)}</span></td>
                <td>{r.earliestStart} – {r.needBy}</td>
                <td><Badge kind="RequestStatus" value={r.status} /></td>
                <td class="num">{r.matches.filter((m) => m.status === "ACCEPTED" || m.status === "AWARDED").length}</td>
                <td>{formatDateTime(r.createdAt)}</td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </section>
  );
}
