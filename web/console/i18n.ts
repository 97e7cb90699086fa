// The chosen language (zh or en), remembered in localStorage, and the message catalogues.
import { en } from "./messages/en";
import { zh, type MessageKey } from "./messages/zh";

export type Lang = "zh" | "en";
const STORAGE_KEY = "hub.lang";
const catalogues: Record<Lang, Record<MessageKey, string>> = { zh, en };
const listeners = new Set<() => void>();

function initial(): Lang {
  const saved = localStorage.getItem(STORAGE_KEY);
  if (saved === "zh" || saved === "en") return saved;
  return navigator.language.toLowerCase().startsWith("zh") ? "zh" : "en";
}

let current: Lang = initial();
document.documentElement.lang = current === "zh" ? "zh-CN" : "en";

export function lang(): Lang {
  return current;
}

export function setLang(next: Lang): void {
  current = next;
  localStorage.setItem(STORAGE_KEY, next);
  document.documentElement.lang = next === "zh" ? "zh-CN" : "en";
  listeners.forEach((notify) => notify());
}

export function onLangChange(notify: () => void): () => void {
  listeners.add(notify);
  return () => listeners.delete(notify);
}

/** The message for `key` in the chosen language, with `{name}` placeholders filled. */
export function t(key: MessageKey, params: Record<string, string | number> = {}): string {
  const text = catalogues[current][key] ?? key;
  return text.replace(/\{(\w+)\}/g, (_, name: string) => String(params[name] ?? `{${name}}`));
}

/** An enum value's label, e.g. label("GmpGrade", "GMP_CLINICAL"). */
export function label(kind: string, value: string): string {
  const key = `${kind}.${value}` as MessageKey;
  return key in zh ? t(key) : value;
}

/** Picks the Chinese or the English one of a pair of names. */
export function pick(zhText: string | null | undefined, enText: string | null | undefined): string {
  return (current === "zh" ? zhText || enText : enText || zhText) ?? "";
}

export function formatNumber(value: number | null | undefined): string {
  if (value === null || value === undefined) return "—";
  return value.toLocaleString(current === "zh" ? "zh-CN" : "en-GB", { maximumFractionDigits: 2 });
}

export function formatDateTime(iso: string | null | undefined): string {
  if (!iso) return "—";
  return new Date(iso).toLocaleString(current === "zh" ? "zh-CN" : "en-GB", {
    timeZone: "Asia/Shanghai",
    dateStyle: "medium",
    timeStyle: "short",
  });
}
