// Download buttons of the park network: GraphML and JSON of the graph, CSV of each table,
// each a GET of the API's downloadPath with the signed-in token.
import { useState } from "preact/hooks";
import { ApiError, download } from "../api";
import { t } from "../i18n";
import type { MessageKey } from "../messages/zh";

export interface ExportItem {
  path: string;
  filename: string;
  label: MessageKey;
}

export function ExportButtons({ items, label }: { items: ExportItem[]; label: MessageKey }) {
  const [busy, setBusy] = useState("");
  const [error, setError] = useState<string | null>(null);
  const get = async (item: ExportItem) => {
    setBusy(item.filename);
    setError(null);
    try {
      await download(item.path, item.filename);
    } catch (e) {
      setError(e instanceof ApiError ? e.text() : String(e));
    } finally {
      setBusy("");
    }
  };
  return (
    <div class="exports" role="group" aria-label={t(label)}>
      {items.map((item) => (
        <button type="button" disabled={busy === item.filename} onClick={() => get(item)}
          aria-label={`${t("export.download")} ${t(item.label)}`}>
          ⤓ {t(item.label)}
        </button>
      ))}
      {error && <span class="field-error" role="alert">{error}</span>}
    </div>
  );
}
