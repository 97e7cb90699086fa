// Provider: a calendar of weeks per offering or equipment, to publish and adjust capacity.
import { useEffect, useState } from "preact/hooks";
import { ApiError, gql, PROBLEM_FIELDS, type Problem } from "../api";
import { fieldText } from "../components/Form";
import { Empty, Failure, Loading } from "../components/Status";
import { formatNumber, pick, t } from "../i18n";

const WEEKS = 12;
const DAY = 86_400_000;
const CHINA = 8 * 3_600_000;
const BUCKET = "id start total reserved free unit stale";
const CAPACITY = `query($u: String!, $from: Date, $to: Date) { organization(uscc: $u) { sites { code nameZh nameEn
  offerings { id code capabilityCode unit capacity(from: $from, to: $to) { ${BUCKET} } }
  equipment { id tag type capacity(from: $from, to: $to) { ${BUCKET} } } } } }`;
const PUBLISH = `mutation($i: CapacityInput!) { publishCapacity(input: $i) { __typename
  ... on CapacityPublished { created updated unchanged } ${PROBLEM_FIELDS} } }`;
const ADJUST = `mutation($id: ID!, $total: Float!) { adjustCapacity(id: $id, total: $total) { __typename ${PROBLEM_FIELDS} } }`;

interface Bucket { id: string; start: string; total: number; reserved: number; free: number; unit: string; stale: boolean }
interface Owner { id: string; label: string; unit: string; capacity: Bucket[] | null }
interface Data { organization: { sites: {
  code: string; nameZh: string; nameEn: string;
  offerings: { id: string; code: string; capabilityCode: string; unit: string; capacity: Bucket[] | null }[];
  equipment: { id: string; tag: string; type: string; capacity: Bucket[] | null }[];
}[] } | null }

/** The China-time date (YYYY-MM-DD) of an instant. */
function chinaDate(ms: number): string {
  return new Date(ms + CHINA).toISOString().slice(0, 10);
}

function mondayOf(date: string): string {
  const ms = Date.parse(date + "T00:00:00Z");
  const weekday = (new Date(ms).getUTCDay() + 6) % 7;
  return new Date(ms - weekday * DAY).toISOString().slice(0, 10);
}

function addDays(date: string, days: number): string {
  return new Date(Date.parse(date + "T00:00:00Z") + days * DAY).toISOString().slice(0, 10);
}

function owners(data: Data): Owner[] {
  return (data.organization?.sites ?? []).flatMap((s) => [
    ...s.offerings.map((o) => ({ id: o.id, label: `${pick(s.nameZh, s.nameEn)} · ${o.code} (${o.capabilityCode})`, unit: o.unit, capacity: o.capacity })),
    ...s.equipment.map((e) => ({ id: e.id, label: `${pick(s.nameZh, s.nameEn)} · ${e.tag} (${e.type})`, unit: "", capacity: e.capacity })),
  ]);
}

export function Capacity({ uscc }: { uscc: string }) {
  const [from, setFrom] = useState(() => mondayOf(chinaDate(Date.now())));
  const [list, setList] = useState<Owner[] | null>(null);
  const [ownerId, setOwnerId] = useState("");
  const [edits, setEdits] = useState<Record<string, string>>({});
  const [problems, setProblems] = useState<Record<string, Problem>>({});
  const [failure, setFailure] = useState<unknown>(null);
  const [progress, setProgress] = useState<[number, number] | null>(null);
  const [saved, setSaved] = useState(false);
  const [fill, setFill] = useState("");
  const [version, setVersion] = useState(0);
  const to = addDays(from, WEEKS * 7 - 1);

  useEffect(() => {
    gql<Data>(CAPACITY, { u: uscc, from, to }).then((d) => {
      const found = owners(d);
      setList(found);
      setOwnerId((id) => (found.some((o) => o.id === id) ? id : found[0]?.id ?? ""));
    }).catch(setFailure);
  }, [uscc, from, version]);

  if (failure && !list) return <Failure error={failure} />;
  if (!list) return <Loading />;
  const owner = list.find((o) => o.id === ownerId);
  const weeks = Array.from({ length: WEEKS }, (_, i) => addDays(from, i * 7));
  const byWeek = new Map((owner?.capacity ?? []).map((b) => [chinaDate(Date.parse(b.start)), b]));
  const changed = weeks.filter((w) => edits[w] !== undefined && edits[w].trim() !== "" && Number(edits[w]) !== byWeek.get(w)?.total);

  const save = async () => {
    if (!owner) return;
    setProblems({});
    setFailure(null);
    setSaved(false);
    const fresh = changed.filter((w) => !byWeek.has(w));
    const adjust = changed.filter((w) => byWeek.has(w));
    const steps = adjust.length + (fresh.length ? 1 : 0);
    const found: Record<string, Problem> = {};
    let done = 0;
    setProgress([0, steps]);
    try {
      if (fresh.length) {
        const buckets = fresh.map((w) => ({ start: `${w}T00:00:00+08:00`, total: Number(edits[w]) }));
        const r = (await gql<{ publishCapacity: Problem }>(PUBLISH, { i: { owner: owner.id, grain: "WEEK", buckets } })).publishCapacity;
        if (r.__typename.endsWith("Problem")) fresh.forEach((w) => (found[w] = r));
        setProgress([++done, steps]);
      }
      for (const w of adjust) {
        const r = (await gql<{ adjustCapacity: Problem }>(ADJUST, { id: byWeek.get(w)!.id, total: Number(edits[w]) })).adjustCapacity;
        if (r.__typename.endsWith("Problem")) found[w] = r;
        setProgress([++done, steps]);
      }
    } catch (e) {
      setFailure(e instanceof ApiError ? e : String(e));
    }
    setProblems(found);
    setEdits(Object.fromEntries(Object.entries(edits).filter(([w]) => found[w])));
    setSaved(Object.keys(found).length === 0);
    setProgress(null);
    setVersion((v) => v + 1);
  };

  return (
    <section>
      <h1>{t("capacity.title")}</h1>
      <p class="lead">{t("capacity.lead")}</p>
      {list.length === 0 ? <Empty text={t("capacity.noOwners")} /> : (
        <>
          <div class="toolbar">
            <label for="capacity-owner">{t("capacity.owner")}</label>
            <select id="capacity-owner" value={ownerId} onChange={(e) => { setOwnerId(e.currentTarget.value); setEdits({}); setProblems({}); }}>
              {list.map((o) => <option value={o.id}>{o.label}</option>)}
            </select>
            <button type="button" onClick={() => setFrom(addDays(from, -WEEKS * 7))} aria-label={t("capacity.earlier")}>‹</button>
            <label for="capacity-from">{t("capacity.from")}</label>
            <input id="capacity-from" type="date" value={from} onChange={(e) => e.currentTarget.value && setFrom(mondayOf(e.currentTarget.value))} />
            <button type="button" onClick={() => setFrom(addDays(from, WEEKS * 7))} aria-label={t("capacity.later")}>›</button>
          </div>
          <div class="toolbar">
            <label for="capacity-fill">{t("capacity.fillLabel")}</label>
            <input id="capacity-fill" type="number" min="0" value={fill} onInput={(e) => setFill(e.currentTarget.value)} />
            <button type="button" onClick={() => fill && setEdits({ ...edits, ...Object.fromEntries(weeks.filter((w) => !byWeek.has(w)).map((w) => [w, fill])) })}>
              {t("capacity.fill")}
            </button>
          </div>
          {failure ? <Failure error={failure} /> : null}
          {saved && <div class="alert ok" role="status">{t("editor.saved")}</div>}
          <div class="calendar" role="grid" aria-label={t("capacity.calendar")}>
            {weeks.map((w) => {
              const bucket = byWeek.get(w);
              const value = edits[w] ?? (bucket ? String(bucket.total) : "");
              const used = bucket && bucket.total > 0 ? Math.min(100, (bucket.reserved / bucket.total) * 100) : 0;
              const problem = problems[w];
              return (
                <div class={`week${bucket ? "" : " empty"}${problem ? " has-error" : ""}${edits[w] !== undefined ? " edited" : ""}`} role="gridcell">
                  <label for={`week-${w}`}>{t("capacity.week", { date: w })}</label>
                  <input id={`week-${w}`} type="number" min="0" step="any" value={value} placeholder="—"
                    aria-invalid={problem ? true : undefined} aria-describedby={problem ? `week-${w}-error` : undefined}
                    onInput={(e) => setEdits({ ...edits, [w]: e.currentTarget.value })} />
                  {bucket ? (
                    <>
                      <div class="meter" aria-hidden="true"><span style={{ width: `${used}%` }} /></div>
                      <p class="sub">{t("capacity.reservedFree", { reserved: formatNumber(bucket.reserved), free: formatNumber(bucket.free) })}</p>
                      {bucket.stale && <span class="badge warn">{t("capacity.stale")}</span>}
                    </>
                  ) : <p class="sub">{t("capacity.unpublished")}</p>}
                  {problem && <p class="field-error" id={`week-${w}-error`}>{fieldText(problem)}</p>}
                </div>
              );
            })}
          </div>
          <div class="actions">
            <button type="button" class="primary" disabled={!changed.length || progress !== null} onClick={save}>
              {progress ? t("capacity.saving", { done: progress[0], total: progress[1] }) : t("capacity.save", { n: changed.length })}
            </button>
            {progress && <progress max={progress[1]} value={progress[0]} aria-label={t("capacity.progress")} />}
            {owner?.unit && <span class="sub">{t("capacity.unit", { unit: owner.unit })}</span>}
          </div>
        </>
      )}
    </section>
  );
}
