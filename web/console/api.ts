// The hub's GraphQL API over HTTP, with the signed-in token and the chosen language.
import { lang, pick } from "./i18n";

const TOKEN_KEY = "hub.token";
const unauthorizedListeners = new Set<() => void>();

export function token(): string | null {
  return sessionStorage.getItem(TOKEN_KEY);
}

export function setToken(value: string | null): void {
  if (value) sessionStorage.setItem(TOKEN_KEY, value);
  else sessionStorage.removeItem(TOKEN_KEY);
}

/**
 * The session's CSRF token, from the readable cookie the hub sets beside the session
 * (`__Host-hub_csrf` outside dev, `hub_csrf` in dev): sent as X-Hub-CSRF by a console
 * signed in by session. The session cookie itself is HTTP-only and goes by itself.
 */
export function csrfToken(): string | null {
  for (const part of document.cookie.split(";")) {
    const [name, ...rest] = part.trim().split("=");
    if (name === "__Host-hub_csrf" || name === "hub_csrf") return decodeURIComponent(rest.join("="));
  }
  return null;
}

export function onUnauthorized(notify: () => void): () => void {
  unauthorizedListeners.add(notify);
  return () => unauthorizedListeners.delete(notify);
}

/** Tells the console the token no longer works (a 401 from outside `gql`, e.g. an upload). */
export function signalUnauthorized(): void {
  unauthorizedListeners.forEach((notify) => notify());
}

/** An expected failure returned by a mutation (the schema's Problem interface). */
export interface Problem {
  __typename: string;
  code: string;
  message: string;
  messageZh: string;
  messageEn: string;
  field: string | null;
}

export const PROBLEM_FIELDS = "... on Problem { code message messageZh messageEn field }";

/** A failure that ended the whole call: network, 401, 503 or a GraphQL error. */
export class ApiError extends Error {
  constructor(
    readonly code: string,
    readonly messageZh: string,
    readonly messageEn: string,
    readonly status: number,
  ) {
    super(messageEn);
  }

  text(): string {
    return pick(this.messageZh, this.messageEn);
  }
}

interface GraphQLError {
  message: string;
  extensions?: { code?: string; messageZh?: string; messageEn?: string };
}

export async function gql<T>(
  query: string,
  variables: Record<string, unknown> = {},
  withToken: string | null = token(),
): Promise<T> {
  const headers: Record<string, string> = {
    "content-type": "application/json",
    accept: "application/graphql-response+json, application/json",
    "accept-language": lang(),
  };
  if (withToken) headers.authorization = `Bearer ${withToken}`;
  else {
    const csrf = csrfToken();
    if (csrf) headers["x-hub-csrf"] = csrf;
  }
  let response: Response;
  try {
    response = await fetch("/graphql", {
      method: "POST", headers, credentials: "same-origin", body: JSON.stringify({ query, variables }),
    });
  } catch {
    throw new ApiError("NETWORK", "无法连接到平台，请检查网络", "Cannot reach the hub; check the network", 0);
  }
  const body = (await response.json().catch(() => ({}))) as { data?: T; errors?: GraphQLError[] };
  if (body.errors?.length) {
    const first = body.errors[0];
    const ext = first.extensions ?? {};
    const error = new ApiError(
      ext.code ?? "GRAPHQL",
      ext.messageZh ?? first.message,
      ext.messageEn ?? first.message,
      response.status,
    );
    if (response.status === 401 && withToken === token()) unauthorizedListeners.forEach((n) => n());
    throw error;
  }
  if (!response.ok || body.data === undefined) {
    throw new ApiError("HTTP", `服务器错误（${response.status}）`, `Server error (${response.status})`, response.status);
  }
  return body.data;
}

export function isProblem(value: { __typename: string }): value is Problem {
  return value.__typename.endsWith("Problem");
}

export function problemText(problem: Problem): string {
  return pick(problem.messageZh, problem.messageEn);
}

/** A key that makes a retried mutation count once (see the API's idempotencyKey). */
export function idempotencyKey(): string {
  if (typeof crypto.randomUUID === "function") return crypto.randomUUID();
  return `${Date.now()}-${Math.random().toString(36).slice(2)}`;
}
