// The organization a person acts for, per role: a token may carry several (provider:A,
// provider:B, requester:C). The choice is remembered in localStorage, per person.
import { type Principal, scopes } from "./session";

/** The roles that act for an organization of their own (admins name one instead). */
export type ActingKind = "PROVIDER" | "REQUESTER";
export const ACTING_KINDS: ActingKind[] = ["PROVIDER", "REQUESTER"];

const STORAGE_KEY = "hub.acting";
const listeners = new Set<() => void>();

type Choices = Record<string, Partial<Record<ActingKind, string>>>; // by handle

function remembered(): Choices {
  try {
    const value: unknown = JSON.parse(localStorage.getItem(STORAGE_KEY) ?? "{}");
    return value && typeof value === "object" ? (value as Choices) : {};
  } catch {
    return {};
  }
}

/** The chosen organization (USCC) in this role if the principal still holds it, else its
 * first; null when the principal has none of its own in this role. */
export function acting(principal: Principal, kind: ActingKind): string | null {
  const mine = scopes(principal, kind);
  const chosen = remembered()[principal.handle]?.[kind];
  return chosen && mine.includes(chosen) ? chosen : mine[0] ?? null;
}

export function setActing(principal: Principal, kind: ActingKind, uscc: string): void {
  const choices = remembered();
  choices[principal.handle] = { ...choices[principal.handle], [kind]: uscc };
  localStorage.setItem(STORAGE_KEY, JSON.stringify(choices));
  listeners.forEach((notify) => notify());
}

export function onActingChange(notify: () => void): () => void {
  listeners.add(notify);
  return () => listeners.delete(notify);
}
