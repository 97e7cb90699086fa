// Providers and admins: upload a registry file (CSV, XLSX or JSON) of one kind, watch it
// being uploaded, checked and written, then see what changed or every problem by line.
import { useState } from "preact/hooks";
import { Failure } from "../components/Status";
import { formatNumber, pick, t } from "../i18n";
import type { MessageKey } from "../messages/zh";
import { scopes, type Principal } from "../session";
import {
  IMPORT_KINDS,
  type ImportKind,
  type ImportOutcome,
  type ImportProblem,
  type ImportReport,
  type ImportStep,
  kindOfName,
  uploadImport,
} from "../upload";

const kindLabel = (kind: string) => t(`import.kind.${kind}` as MessageKey);

function Progress({ step, finished }: { step: ImportStep; finished: boolean }) {
  let value: number | undefined;
  let max: number | undefined;
  let text: string;
  if (step.phase === "upload") {
    [value, max] = [step.loaded, step.total];
    text = t("import.uploading", { pct: step.total ? Math.floor((100 * step.loaded) / step.total) : 0 });
  } else if (step.phase === "check") {
    text = t("import.checking");
  } else {
    [value, max] = [step.done, step.total];
    text = t(finished ? "import.written" : "import.writing", { done: formatNumber(step.done), total: formatNumber(step.total) });
  }
  return (
    <div class="import-progress">
      {/* Without a value the bar is indeterminate: the hub is reading and checking the rows. */}
      <progress aria-label={t("import.progress")} value={value} max={max} />
      <p role="status" aria-live="polite">{text}</p>
    </div>
  );
}

function Report({ report }: { report: ImportReport }) {
  return (
    <div class="alert ok" role="status">
      <p><strong>{t("import.done", { rows: formatNumber(report.rows), kind: kindLabel(report.kind) })}</strong></p>
      <dl class="summary">
        <dt>{t("import.created")}</dt><dd>{formatNumber(report.created)}</dd>
        <dt>{t("import.updated")}</dt><dd>{formatNumber(report.updated)}</dd>
        <dt>{t("import.unchanged")}</dt><dd>{formatNumber(report.unchanged)}</dd>
        <dt>{t("import.seconds")}</dt><dd>{formatNumber(report.seconds)}</dd>
      </dl>
    </div>
  );
}

function Problems({ problems, count }: { problems: ImportProblem[]; count: number }) {
  return (
    <>
      <div class="alert error" role="alert">
        <p><strong>{t("import.failed", { n: formatNumber(count) })}</strong></p>
        <p>{t("import.failedHint")}</p>
      </div>
      <table aria-label={t("import.problems")}>
        <thead><tr><th class="num">{t("import.line")}</th><th>{t("import.field")}</th><th>{t("import.message")}</th></tr></thead>
        <tbody>
          {problems.map((p) => (
            <tr>
              <td class="num">{p.line ?? t("import.wholeFile")}</td>
              <td>{p.field ? <code>{p.field}</code> : "—"}</td>
              <td>{pick(p.messageZh, p.messageEn)}</td>
            </tr>
          ))}
        </tbody>
      </table>
      {count > problems.length && <p class="hint">{t("import.more", { n: formatNumber(count - problems.length) })}</p>}
    </>
  );
}

export function Import({ principal }: { principal: Principal }) {
  const [kind, setKind] = useState<ImportKind | "">("");
  const [file, setFile] = useState<File | null>(null);
  const [step, setStep] = useState<ImportStep | null>(null);
  const [outcome, setOutcome] = useState<ImportOutcome | null>(null);
  const [error, setError] = useState<unknown>(null);
  const [busy, setBusy] = useState(false);
  const admin = principal.roles.some((r) => r.kind === "ADMIN");
  const owners = scopes(principal, "PROVIDER");

  const choose = (chosen: File | null) => {
    setFile(chosen);
    const named = chosen ? kindOfName(chosen.name) : null;
    if (named) setKind(named);
  };
  const submit = async (e: Event) => {
    e.preventDefault();
    if (!file || !kind || busy) return;
    setBusy(true);
    setOutcome(null);
    setError(null);
    try {
      setOutcome(await uploadImport(file, kind, setStep));
    } catch (failure) {
      setError(failure);
    } finally {
      setBusy(false);
    }
  };
  return (
    <section>
      <h1>{t("import.title")}</h1>
      <p class="lead">{t("import.lead")}</p>
      <p class="note import-scope">{admin ? t("import.scopeAdmin") : t("import.scope", { orgs: owners.join(", ") })}</p>
      <form class="form" onSubmit={submit}>
        <div class="grid">
          <div class="field">
            <label for="import-kind">{t("import.kind")}</label>
            <select id="import-kind" value={kind} disabled={busy} onChange={(e) => setKind(e.currentTarget.value as ImportKind | "")}>
              <option value="">{t("form.choose")}</option>
              {IMPORT_KINDS.map((k) => <option value={k}>{kindLabel(k)}</option>)}
            </select>
            <p class="hint">{t("import.order")}</p>
          </div>
          <div class="field">
            <label for="import-file">{t("import.file")}</label>
            <input id="import-file" type="file" accept=".csv,.xlsx,.json" disabled={busy}
              onChange={(e) => choose(e.currentTarget.files?.[0] ?? null)} />
            <p class="hint">{t("import.fileHint")}</p>
          </div>
        </div>
        <div class="actions">
          <button type="submit" class="primary" disabled={busy || !file || !kind}>
            {busy ? t("import.busy") : t("import.submit")}
          </button>
        </div>
      </form>
      {step && (busy || (outcome && "report" in outcome)) && <Progress step={step} finished={!busy} />}
      {error !== null && <Failure error={error} />}
      {outcome && ("report" in outcome ? <Report report={outcome.report} /> : <Problems problems={outcome.problems} count={outcome.count} />)}
    </section>
  );
}
