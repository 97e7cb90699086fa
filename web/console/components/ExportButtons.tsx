// Download buttons of the park network: GraphML and JSON of the graph, CSV of each table,
// each a GET of the API's downloadPath with the signed-in token. While one runs, a bar in
// the import page's style says how far it is: the hub preparing the file (seconds counted),
// then the bytes received of the whole, then what was saved.
import { useEffect, useState } from "preact/hooks";
import { ApiError } from "../api";
import { type DownloadStep, download } from "../download";
import { formatNumber, t } from "../i18n";
import type { MessageKey } from "../messages/zh";

export interface ExportItem {
  path: string;
  filename: string;
  label: MessageKey;
}

interface Run {
  filename: string;
  started: number;
  step: DownloadStep;
}

const MB = 1024 * 1024;

function size(bytes: number): string {
  if (bytes >= MB) return t("export.mb", { n: formatNumber(Math.round((10 * bytes) / MB) / 10) });
  return t("export.kb", { n: formatNumber(Math.max(0.1, Math.round(bytes / 102.4) / 10)) });
}

function Progress({ run, now }: { run: Run; now: number }) {
  const { filename: file, step } = run;
  let value: number | undefined;
  let max: number | undefined;
  let text: string;
  if (step.phase === "prepare") {
    text = t("export.preparing", { file, s: Math.max(0, Math.floor((now - run.started) / 1000)) });
  } else if (step.phase === "receive" && step.total !== null) {
    [value, max] = [step.loaded, step.total];
    const pct = Math.floor((100 * step.loaded) / step.total);
    text = t("export.receiving", { file, loaded: size(step.loaded), total: size(step.total), pct });
  } else if (step.phase === "receive") {
    text = t("export.receivingUnknown", { file, loaded: size(step.loaded) });
  } else {
    [value, max] = [step.size, Math.max(step.size, 1)];
    text = t("export.saved", { file, size: size(step.size) });
  }
  return (
    <div class="import-progress export-progress">
      {/* Without a value the bar is indeterminate: the hub is still building the file. */}
      <progress aria-label={t("export.progress")} value={value} max={max} />
      <p role="status" aria-live="polite">{text}</p>
    </div>
  );
}

export function ExportButtons({ items, label }: { items: ExportItem[]; label: MessageKey }) {
  const [run, setRun] = useState<Run | null>(null);
  const [error, setError] = useState<unknown>(null);
  const [now, setNow] = useState(0);
  const busy = run !== null && run.step.phase !== "saved";
  // The seconds of the wait count up while a download runs.
  useEffect(() => {
    if (!busy) return;
    const timer = window.setInterval(() => setNow(Date.now()), 1000);
    return () => window.clearInterval(timer);
  }, [busy]);

  const get = async (item: ExportItem) => {
    const started = Date.now();
    setNow(started);
    setError(null);
    const onStep = (step: DownloadStep) => setRun({ filename: item.filename, started, step });
    try {
      await download(item.path, item.filename, onStep);
    } catch (e) {
      setRun(null);
      setError(e);
    }
  };
  return (
    <div class="exports" role="group" aria-label={t(label)} aria-busy={busy}>
      {items.map((item) => (
        <button type="button" disabled={busy} onClick={() => get(item)}
          aria-label={`${t("export.download")} ${t(item.label)}`}>
          ⤓ {t(item.label)}
        </button>
      ))}
      {error !== null && <span class="field-error" role="alert">{error instanceof ApiError ? error.text() : String(error)}</span>}
      {run && <Progress run={run} now={now} />}
    </div>
  );
}
