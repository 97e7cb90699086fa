// Requester: one request, live: its candidates with their explanations, near-misses,
// quotes side by side, award, and the outcome.
import { useEffect, useState } from "preact/hooks";
import { ApiError, gql, idempotencyKey, PROBLEM_FIELDS, type Problem, problemText } from "../api";
import { Badge } from "../components/Badge";
import { EvidencePath, type Evidence, SCORE_PART_FIELDS, type ScorePart, ScoreParts } from "../components/Explanation";
import { Form, type FieldSpec, useForm } from "../components/Form";
import { Empty, Failure, Loading } from "../components/Status";
import { formatDateTime, formatNumber, label, pick, t } from "../i18n";
import { type LiveMode, watchRequest } from "../live";
import { capabilityName, loadOrgNames, loadTaxonomy, orgName, unitName } from "../reference";

const REQUEST = `query($id: ID!) { request(id: $id) {
  id title status requesterUscc capabilityCode quantity unit earliestStart needBy gmpGrade authorities
  preferredParks maxDistanceKm modality currency confidential createdAt budgetMin budgetMax
  outcome { onTime rating comment completedAt }
  matches { id status rank score providerUscc offeringId deadline routedAt respondedAt declineReason
    scoreParts { ${SCORE_PART_FIELDS} }
    evidence { capabilityCode offeringId siteId parkCode certificateIds bucketIds }
    quote { price currency leadTimeDays validUntil } }
  nearMisses { offeringId providerUscc constraint messageZh messageEn } } }`;
const RESULT = `{ __typename ... on RequestChanged { request { id status } } ${PROBLEM_FIELDS} }`;
const AWARD = `mutation($r: ID!, $m: ID!, $key: String) { awardMatch(requestId: $r, matchId: $m, idempotencyKey: $key) ${RESULT} }`;
const ROUTE = `mutation($id: ID!, $key: String) { routeRequest(id: $id, idempotencyKey: $key) ${RESULT} }`;
const CANCEL = `mutation($id: ID!) { cancelRequest(id: $id) ${RESULT} }`;
const COMPLETE = `mutation($id: ID!, $onTime: Boolean!, $rating: Int!, $comment: String) {
  completeRequest(id: $id, onTime: $onTime, rating: $rating, comment: $comment) ${RESULT} }`;

interface Quote { price: number; currency: string; leadTimeDays: number; validUntil: string }
interface Match {
  id: string; status: string; rank: number; score: number; providerUscc: string; offeringId: string;
  deadline: string; routedAt: string; respondedAt: string | null; declineReason: string | null;
  scoreParts: ScorePart[]; evidence: Evidence; quote: Quote | null;
}
interface NearMiss { offeringId: string; providerUscc: string; constraint: string; messageZh: string; messageEn: string }
interface Request {
  id: string; title: string; status: string; requesterUscc: string; capabilityCode: string; quantity: number;
  unit: string; earliestStart: string; needBy: string; gmpGrade: string; authorities: string[];
  preferredParks: string[]; maxDistanceKm: number | null; modality: string | null; currency: string;
  confidential: boolean; createdAt: string; budgetMin: number | null; budgetMax: number | null;
  outcome: Outcome | null; matches: Match[]; nearMisses: NearMiss[];
}
interface Outcome { onTime: boolean; rating: number; comment: string | null; completedAt: string }
type Result = { __typename: string } & Partial<Problem>;

const LIVE_MODE_TEXT: Record<LiveMode, "detail.liveConnecting" | "detail.livePush" | "detail.livePoll"> = {
  connecting: "detail.liveConnecting", subscription: "detail.livePush", poll: "detail.livePoll",
};

const STEPS = ["SUBMITTED", "ROUTED", "AWARDED", "COMPLETED"];

function Progress({ status }: { status: string }) {
  const at = status === "UNFILLED" ? 1 : STEPS.indexOf(status);
  return (
    <ol class="steps" aria-label={t("detail.progress")}>
      {STEPS.map((s, i) => (
        <li class={i < at ? "done" : i === at ? "current" : ""} aria-current={i === at ? "step" : undefined}>
          {label("RequestStatus", s)}
        </li>
      ))}
    </ol>
  );
}

function Quotes({ request, onAward, busy }: { request: Request; onAward: (m: Match) => void; busy: string }) {
  const quoted = request.matches.filter((m) => m.quote && (m.status === "ACCEPTED" || m.status === "AWARDED"));
  if (!quoted.length) return <Empty text={t("detail.noQuotes")} />;
  const cheapest = Math.min(...quoted.map((m) => m.quote!.price));
  const fastest = Math.min(...quoted.map((m) => m.quote!.leadTimeDays));
  const open = request.status === "ROUTED" || request.status === "UNFILLED";
  return (
    <div class="quotes" role="list" aria-label={t("detail.quotes")}>
      {quoted.map((m) => (
        <div class={`quote${m.status === "AWARDED" ? " awarded" : ""}`} role="listitem" aria-label={orgName(m.providerUscc)}>
          <h3>{orgName(m.providerUscc)}</h3>
          <p class="price">{formatNumber(m.quote!.price)} <span>{m.quote!.currency}</span></p>
          <dl>
            <dt>{t("quote.leadTime")}</dt><dd>{t("unit.days", { n: m.quote!.leadTimeDays })}</dd>
            <dt>{t("quote.validUntil")}</dt><dd>{formatDateTime(m.quote!.validUntil)}</dd>
            <dt>{t("col.score")}</dt><dd>{formatNumber(m.score)}</dd>
          </dl>
          <p class="tags">
            {m.quote!.price === cheapest && <span class="badge good">{t("quote.cheapest")}</span>}
            {m.quote!.leadTimeDays === fastest && <span class="badge info">{t("quote.fastest")}</span>}
            <Badge kind="MatchStatus" value={m.status} />
          </p>
          {open && m.status === "ACCEPTED" && (
            <button type="button" class="primary" disabled={Boolean(busy)} onClick={() => onAward(m)}
              aria-label={t("quote.awardTo", { name: orgName(m.providerUscc) })}>
              {busy === m.id ? t("quote.awarding") : t("quote.award")}
            </button>
          )}
        </div>
      ))}
    </div>
  );
}

function Candidates({ matches }: { matches: Match[] }) {
  if (!matches.length) return <Empty text={t("detail.noCandidates")} />;
  return (
    <table aria-label={t("detail.candidates")} class="candidates">
      <thead><tr>
        <th>{t("col.rank")}</th><th>{t("col.provider")}</th><th>{t("col.status")}</th><th>{t("col.score")}</th>
        <th>{t("col.deadline")}</th><th>{t("detail.why")}</th>
      </tr></thead>
      <tbody>
        {matches.map((m) => (
          <tr>
            <td class="num">{m.rank}</td>
            <td>{orgName(m.providerUscc)}<div class="sub">{m.offeringId}</div></td>
            <td><Badge kind="MatchStatus" value={m.status} />{m.declineReason && <div class="sub">{m.declineReason}</div>}</td>
            <td class="num">{formatNumber(m.score)}</td>
            <td>{formatDateTime(m.deadline)}</td>
            <td>
              <details>
                <summary>{t("detail.explain")}</summary>
                <EvidencePath evidence={m.evidence} />
                <ScoreParts parts={m.scoreParts} />
              </details>
            </td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}

function NearMisses({ misses }: { misses: NearMiss[] }) {
  if (!misses.length) return <Empty text={t("detail.noNearMisses")} />;
  return (
    <table aria-label={t("detail.nearMisses")}>
      <thead><tr><th>{t("col.provider")}</th><th>{t("col.constraint")}</th><th>{t("col.reason")}</th></tr></thead>
      <tbody>
        {misses.map((n) => (
          <tr>
            <td>{orgName(n.providerUscc)}<div class="sub">{n.offeringId}</div></td>
            <td><span class="badge warn">{label("Constraint", n.constraint)}</span></td>
            <td>{pick(n.messageZh, n.messageEn)}</td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}

const OUTCOME: FieldSpec[] = [
  { name: "onTime", label: "field.onTime", kind: "checkbox" },
  { name: "rating", label: "field.rating", kind: "select", required: true,
    options: ["5", "4", "3", "2", "1"].map((v) => ({ value: v, label: "★".repeat(Number(v)) + ` ${v}` })) },
  { name: "comment", label: "field.comment", kind: "textarea" },
];

function OutcomeForm({ id, onDone }: { id: string; onDone: () => void }) {
  const form = useForm(OUTCOME, { onTime: true, rating: "5" });
  const send = () => form.submit(async (input) => {
    const d = await gql<{ completeRequest: Result }>(COMPLETE, { id, ...input, rating: Number(input.rating) });
    return d.completeRequest;
  }, onDone);
  return (
    <Form id="outcome" specs={OUTCOME} values={form.values} errors={form.errors} formError={form.formError} busy={form.busy}
      submitLabel="outcome.submit" onChange={form.setValues} onSubmit={send} />
  );
}

function RecordedOutcome({ outcome }: { outcome: Outcome }) {
  return (
    <dl class="summary" aria-label={t("outcome.recorded")}>
      <dt>{t("field.onTime")}</dt>
      <dd><span class={`badge ${outcome.onTime ? "good" : "warn"}`}>{t(outcome.onTime ? "outcome.onTime" : "outcome.late")}</span></dd>
      <dt>{t("field.rating")}</dt>
      <dd><span aria-hidden="true">{"★".repeat(outcome.rating)}{"☆".repeat(5 - outcome.rating)}</span> {outcome.rating} / 5</dd>
      <dt>{t("field.comment")}</dt><dd>{outcome.comment || t("outcome.noComment")}</dd>
      <dt>{t("outcome.completedAt")}</dt><dd>{formatDateTime(outcome.completedAt)}</dd>
    </dl>
  );
}

export function RequestDetail({ id }: { id: string }) {
  const [request, setRequest] = useState<Request | null | undefined>(undefined);
  const [error, setError] = useState<unknown>(null);
  const [busy, setBusy] = useState("");
  const [actionProblem, setActionProblem] = useState<Problem | ApiError | null>(null);
  const [version, setVersion] = useState(0);
  const [mode, setMode] = useState<LiveMode>("connecting");

  useEffect(() => watchRequest<Request>(id, REQUEST, async (r) => {
    if (r) await Promise.all([loadOrgNames([...r.matches, ...r.nearMisses].map((m) => m.providerUscc)), loadTaxonomy()]).catch(() => undefined);
    setRequest(r);
    setError(null);
  }, setError, setMode), [id, version]);

  const act = async (key: string, query: string, variables: Record<string, unknown>, field: string) => {
    setBusy(key);
    setActionProblem(null);
    try {
      const data = await gql<Record<string, Result>>(query, variables);
      const result = data[field];
      if (result.__typename.endsWith("Problem")) setActionProblem(result as Problem);
      setVersion((v) => v + 1);
    } catch (e) {
      setActionProblem(e instanceof ApiError ? e : new ApiError("CLIENT", String(e), String(e), 0));
    } finally {
      setBusy("");
    }
  };

  if (request === undefined) return error ? <Failure error={error} /> : <Loading />;
  if (request === null) return <Failure error={t("detail.notFound")} />;
  const closed = request.status === "COMPLETED" || request.status === "CANCELLED";
  const problemMessage = actionProblem instanceof ApiError ? actionProblem.text() : actionProblem ? problemText(actionProblem) : null;
  return (
    <section>
      <div class="page-head">
        <div>
          <h1>{request.title}</h1>
          <p class="sub">{capabilityName(request.capabilityCode)} · {formatNumber(request.quantity)} {unitName(request.capabilityCode, request.unit)} · {request.earliestStart} – {request.needBy}</p>
        </div>
        <div class="head-actions">
          <span class={`live ${mode}`} data-mode={mode} title={t(LIVE_MODE_TEXT[mode])}>
            {mode === "subscription" ? t("detail.live") : t(LIVE_MODE_TEXT[mode])}
            {mode === "subscription" && <span class="sr-only"> {t("detail.livePush")}</span>}
          </span>
          <Badge kind="RequestStatus" value={request.status} />
        </div>
      </div>
      <Progress status={request.status} />
      {error ? <Failure error={error} /> : null}
      {problemMessage && <div class="alert error" role="alert">{problemMessage}</div>}
      <dl class="summary">
        <dt>{t("field.gmpGrade")}</dt><dd>{label("GmpGrade", request.gmpGrade)}</dd>
        <dt>{t("field.authorities")}</dt><dd>{request.authorities.map((a) => label("CertificateAuthority", a)).join(", ") || "—"}</dd>
        <dt>{t("field.budget")}</dt><dd>{formatNumber(request.budgetMin)} – {formatNumber(request.budgetMax)} {request.currency}</dd>
        <dt>{t("col.created")}</dt><dd>{formatDateTime(request.createdAt)}</dd>
      </dl>
      {!closed && (
        <div class="actions">
          {request.status !== "AWARDED" && (
            <button type="button" disabled={Boolean(busy)} onClick={() => act("route", ROUTE, { id, key: idempotencyKey() }, "routeRequest")}>
              {busy === "route" ? t("detail.routing") : t("detail.routeAgain")}
            </button>
          )}
          <button type="button" class="danger" disabled={Boolean(busy)}
            onClick={() => window.confirm(t("detail.confirmCancel")) && act("cancel", CANCEL, { id }, "cancelRequest")}>
            {t("detail.cancel")}
          </button>
        </div>
      )}
      <h2>{t("detail.quotes")}</h2>
      <Quotes request={request} busy={busy}
        onAward={(m) => act(m.id, AWARD, { r: id, m: m.id, key: idempotencyKey() }, "awardMatch")} />
      {request.status === "AWARDED" && (
        <>
          <h2>{t("outcome.title")}</h2>
          <OutcomeForm id={id} onDone={() => setVersion((v) => v + 1)} />
        </>
      )}
      {request.outcome && (
        <>
          <h2>{t("outcome.recorded")}</h2>
          <RecordedOutcome outcome={request.outcome} />
        </>
      )}
      <h2>{t("detail.candidates")}</h2>
      <Candidates matches={request.matches} />
      <h2>{t("detail.nearMisses")}</h2>
      <NearMisses misses={request.nearMisses} />
    </section>
  );
}
