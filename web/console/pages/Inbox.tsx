// Provider: requests routed to the organization, soonest deadline first; accept with a
// quote or decline with a reason.
import { useEffect, useState } from "preact/hooks";
import { gql, idempotencyKey, PROBLEM_FIELDS } from "../api";
import { Badge } from "../components/Badge";
import { Form, type FieldSpec, useForm } from "../components/Form";
import { Empty, Failure, Loading } from "../components/Status";
import { formatDateTime, formatNumber, label, t } from "../i18n";
import { capabilityName, loadOrgNames, loadTaxonomy, orgName, unitName } from "../reference";

const INBOX = `query($status: MatchStatus, $provider: String) { inbox(status: $status, first: 100, provider: $provider) {
  id title status capabilityCode quantity unit earliestStart needBy gmpGrade authorities modality requesterUscc
  matches { id status deadline score providerUscc quote { price currency leadTimeDays validUntil } declineReason } } }`;
const ANSWER = `{ __typename ... on MatchAnswered { matchId status } ${PROBLEM_FIELDS} }`;
const ACCEPT = `mutation($id: ID!, $quote: QuoteInput!, $key: String) { acceptMatch(id: $id, quote: $quote, idempotencyKey: $key) ${ANSWER} }`;
const DECLINE = `mutation($id: ID!, $reason: String!, $key: String) { declineMatch(id: $id, reason: $reason, idempotencyKey: $key) ${ANSWER} }`;
const STATUSES = ["ROUTED", "ACCEPTED", "DECLINED", "EXPIRED", "AWARDED", "CLOSED"];

interface InboxMatch {
  id: string; status: string; deadline: string; score: number; providerUscc: string; declineReason: string | null;
  quote: { price: number; currency: string; leadTimeDays: number; validUntil: string } | null;
}
interface Routed {
  id: string; title: string; status: string; capabilityCode: string; quantity: number; unit: string;
  earliestStart: string; needBy: string; gmpGrade: string; authorities: string[]; modality: string | null;
  requesterUscc: string; matches: InboxMatch[];
}
type Answer = { __typename: string };

const QUOTE: FieldSpec[] = [
  { name: "price", label: "field.price", kind: "number", required: true },
  { name: "currency", label: "field.currency", kind: "text", required: true },
  { name: "leadTimeDays", label: "field.leadTimeDays", kind: "int", required: true },
  { name: "validUntil", label: "field.validUntil", kind: "date", required: true },
];
const DECLINE_SPECS: FieldSpec[] = [{ name: "reason", label: "field.reason", kind: "textarea", required: true }];

function inDays(days: number): string {
  const d = new Date(Date.now() + days * 86_400_000);
  return d.toISOString().slice(0, 10);
}

function Deadline({ iso }: { iso: string }) {
  const hours = (new Date(iso).getTime() - Date.now()) / 3_600_000;
  const tone = hours < 0 ? "bad" : hours < 24 ? "warn" : "info";
  const text = hours < 0 ? t("inbox.overdue") : hours < 48 ? t("inbox.hoursLeft", { n: Math.max(1, Math.round(hours)) })
    : t("inbox.daysLeft", { n: Math.round(hours / 24) });
  return <span>{formatDateTime(iso)} <span class={`badge ${tone}`}>{text}</span></span>;
}

function AcceptForm({ match, onDone }: { match: InboxMatch; onDone: () => void }) {
  const form = useForm(QUOTE, { currency: "CNY", validUntil: inDays(30) });
  const send = () => form.submit(async (q) => {
    const quote = { ...q, validUntil: `${q.validUntil}T23:59:59+08:00` };
    return (await gql<{ acceptMatch: Answer }>(ACCEPT, { id: match.id, quote, key: idempotencyKey() })).acceptMatch;
  }, onDone);
  return (
    <Form id={`accept-${match.id}`} specs={QUOTE} values={form.values} errors={form.errors} formError={form.formError}
      busy={form.busy} submitLabel="inbox.sendQuote" busyLabel="inbox.sending" onChange={form.setValues} onSubmit={send} />
  );
}

function DeclineForm({ match, onDone }: { match: InboxMatch; onDone: () => void }) {
  const form = useForm(DECLINE_SPECS);
  const send = () => form.submit(async (input) => {
    return (await gql<{ declineMatch: Answer }>(DECLINE, { id: match.id, reason: input.reason, key: idempotencyKey() })).declineMatch;
  }, onDone);
  return (
    <Form id={`decline-${match.id}`} specs={DECLINE_SPECS} values={form.values} errors={form.errors} formError={form.formError}
      busy={form.busy} submitLabel="inbox.sendDecline" busyLabel="inbox.sending" onChange={form.setValues} onSubmit={send} />
  );
}

function Item({ request, provider, onDone }: { request: Routed; provider: string; onDone: () => void }) {
  const [mode, setMode] = useState<"" | "accept" | "decline">("");
  // A person acting for several providers sees each one's match: answer the chosen one's.
  const match = request.matches.find((m) => m.providerUscc === provider);
  return (
    <article class="card inbox-item" aria-label={request.title}>
      <div class="page-head">
        <div>
          <h3>{request.title}</h3>
          <p class="sub">{capabilityName(request.capabilityCode)} · {formatNumber(request.quantity)} {unitName(request.capabilityCode, request.unit)} · {request.earliestStart} – {request.needBy}</p>
        </div>
        {match && <Badge kind="MatchStatus" value={match.status} />}
      </div>
      <dl class="summary">
        <dt>{t("field.gmpGrade")}</dt><dd>{label("GmpGrade", request.gmpGrade)}</dd>
        <dt>{t("field.authorities")}</dt><dd>{request.authorities.map((a) => label("CertificateAuthority", a)).join(", ") || "—"}</dd>
        {request.modality && <><dt>{t("field.modality")}</dt><dd>{request.modality}</dd></>}
        {match && <><dt>{t("col.deadline")}</dt><dd><Deadline iso={match.deadline} /></dd></>}
        {match?.quote && <><dt>{t("inbox.yourQuote")}</dt><dd>{formatNumber(match.quote.price)} {match.quote.currency} · {t("unit.days", { n: match.quote.leadTimeDays })}</dd></>}
        {match?.declineReason && <><dt>{t("field.reason")}</dt><dd>{match.declineReason}</dd></>}
      </dl>
      {match?.status === "ROUTED" && (
        <>
          <div class="actions">
            <button type="button" class={mode === "accept" ? "primary" : ""} aria-expanded={mode === "accept"} onClick={() => setMode(mode === "accept" ? "" : "accept")}>{t("inbox.accept")}</button>
            <button type="button" aria-expanded={mode === "decline"} onClick={() => setMode(mode === "decline" ? "" : "decline")}>{t("inbox.decline")}</button>
          </div>
          {mode === "accept" && <AcceptForm match={match} onDone={onDone} />}
          {mode === "decline" && <DeclineForm match={match} onDone={onDone} />}
        </>
      )}
    </article>
  );
}

export function Inbox({ provider }: { provider: string }) {
  const [status, setStatus] = useState("ROUTED");
  const [rows, setRows] = useState<Routed[] | null>(null);
  const [error, setError] = useState<unknown>(null);
  const [version, setVersion] = useState(0);
  const [notice, setNotice] = useState(false);
  useEffect(() => {
    setError(null);
    Promise.all([gql<{ inbox: Routed[] }>(INBOX, { status, provider }), loadTaxonomy(), loadOrgNames([provider]).catch(() => undefined)])
      .then(([d]) => setRows(d.inbox))
      .catch(setError);
  }, [status, version]);
  const done = () => { setNotice(true); setVersion((v) => v + 1); };
  return (
    <section>
      <h1>{t("inbox.title")}</h1>
      <p class="lead">{t("inbox.lead")}</p>
      <p class="sub">{t("acting.for", { name: orgName(provider) })}</p>
      {notice && <div class="alert ok" role="status">{t("inbox.answered")}</div>}
      <div class="toolbar">
        <label for="inbox-status">{t("field.status")}</label>
        <select id="inbox-status" value={status} onChange={(e) => { setRows(null); setStatus(e.currentTarget.value); }}>
          {STATUSES.map((s) => <option value={s}>{label("MatchStatus", s)}</option>)}
        </select>
      </div>
      {error ? <Failure error={error} /> : !rows ? <Loading /> : rows.length === 0 ? <Empty text={t("inbox.none")} /> :
        rows.map((r) => <Item key={r.id} request={r} provider={provider} onDone={done} />)}
    </section>
  );
}
