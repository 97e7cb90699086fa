// Admin: the change log, newest first.
import { useEffect, useState } from "preact/hooks";
import { gql } from "../api";
import { Empty, Failure, Loading } from "../components/Status";
import { formatDateTime, t } from "../i18n";

const AUDIT = `query($entity: String, $before: DateTime) { auditLog(entity: $entity, before: $before, first: 50) {
  id at actor action entity key requestId } }`;

interface Record_ { id: string; at: string; actor: string; action: string; entity: string; key: string; requestId: string | null }

export function Audit() {
  const [entity, setEntity] = useState("");
  const [rows, setRows] = useState<Record_[] | null>(null);
  const [error, setError] = useState<unknown>(null);
  useEffect(() => {
    setRows(null);
    gql<{ auditLog: Record_[] }>(AUDIT, { entity: entity || null }).then((d) => setRows(d.auditLog)).catch(setError);
  }, [entity]);
  return (
    <section>
      <h1>{t("audit.title")}</h1>
      <div class="toolbar">
        <label for="audit-entity">{t("audit.entity")}</label>
        <select id="audit-entity" value={entity} onChange={(e) => setEntity(e.currentTarget.value)}>
          <option value="">{t("common.all")}</option>
          {["Organization", "Site", "Offering", "Equipment", "Certificate", "CapacityBucket", "Capability"].map((e) => <option value={e}>{e}</option>)}
        </select>
      </div>
      {error ? <Failure error={error} /> : !rows ? <Loading /> : rows.length === 0 ? <Empty text={t("audit.none")} /> : (
        <table aria-label={t("audit.title")}>
          <thead><tr><th>{t("audit.at")}</th><th>{t("audit.actor")}</th><th>{t("audit.action")}</th><th>{t("audit.entity")}</th><th>{t("audit.key")}</th></tr></thead>
          <tbody>
            {rows.map((r) => (
              <tr><td>{formatDateTime(r.at)}</td><td>{r.actor}</td><td>{r.action}</td><td>{r.entity}</td><td><code>{r.key}</code></td></tr>
            ))}
          </tbody>
        </table>
      )}
    </section>
  );
}
