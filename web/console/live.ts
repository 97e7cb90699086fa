// Live updates of one request. The one place that knows how they arrive: the API's
// `requestEvents(id)` subscription over graphql-transport-ws at /graphql (same origin;
// it replays what happened, streams each change, completes when the request is closed).
// Every event triggers a refetch of `request(id)` (and once at start); when the socket
// cannot be opened, `request(id)` is polled every 2 s instead.
import { createClient } from "graphql-ws";
import { gql, token } from "./api";

export const POLL_INTERVAL_MS = 2000;

/** How updates arrive now: connecting, pushed by the server, or polled (fallback). */
export type LiveMode = "connecting" | "subscription" | "poll";

const EVENTS = "subscription($id: ID!) { requestEvents(id: $id) { sequence type status } }";

function socketUrl(): string {
  const scheme = window.location.protocol === "https:" ? "wss:" : "ws:";
  return `${scheme}//${window.location.host}/graphql`;
}

/** Calls `onUpdate` with the request now and after every change; returns a stop function. */
export function watchRequest<T>(
  id: string,
  query: string,
  onUpdate: (request: T | null) => void,
  onError: (error: unknown) => void,
  onMode: (mode: LiveMode) => void = () => undefined,
): () => void {
  let stopped = false;
  let timer: number | undefined;
  let last = "";
  let running = false;
  let again = false;

  // One fetch at a time; events arriving meanwhile make one more fetch after it.
  const refetch = async (): Promise<void> => {
    if (running) {
      again = true;
      return;
    }
    running = true;
    try {
      do {
        again = false;
        try {
          const data = await gql<{ request: T | null }>(query, { id });
          const seen = JSON.stringify(data.request);
          if (!stopped && seen !== last) {
            last = seen;
            onUpdate(data.request);
          }
        } catch (error) {
          if (!stopped) onError(error);
        }
      } while (again && !stopped);
    } finally {
      running = false;
    }
  };

  const poll = async () => {
    await refetch();
    if (!stopped) timer = window.setTimeout(poll, POLL_INTERVAL_MS);
  };

  let polling = false;
  const fallBack = () => {
    if (stopped || polling) return;
    polling = true;
    onMode("poll");
    void poll();
  };

  onMode("connecting");
  void refetch();
  let client: ReturnType<typeof createClient> | null = null;
  let unsubscribe: () => void = () => undefined;
  try {
    client = createClient({
      url: socketUrl(),
      lazy: true,
      retryAttempts: 2,
      connectionParams: () => {
        const current = token();
        return current ? { Authorization: `Bearer ${current}` } : {};
      },
      on: { connected: () => { if (!stopped && !polling) onMode("subscription"); } },
    });
    unsubscribe = client.subscribe(
      { query: EVENTS, variables: { id } },
      {
        next: () => { if (!stopped) void refetch(); },
        error: () => fallBack(),
        // The request is completed or cancelled: one last look, nothing more will change.
        complete: () => { if (!stopped) void refetch(); },
      },
    );
  } catch {
    fallBack(); // no WebSocket in this browser
  }

  return () => {
    stopped = true;
    window.clearTimeout(timer);
    unsubscribe();
    void client?.dispose();
  };
}
