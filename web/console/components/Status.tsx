// Loading and failure states of a page section.
import { ApiError } from "../api";
import { t } from "../i18n";

export function Loading() {
  return <p class="loading" role="status"><span class="spinner" aria-hidden="true" /> {t("common.loading")}</p>;
}

export function Failure({ error }: { error: unknown }) {
  const text = error instanceof ApiError ? error.text() : String(error);
  return <div class="alert error" role="alert">{text}</div>;
}

export function Empty({ text }: { text: string }) {
  return <p class="empty">{text}</p>;
}
