// Downloads a file of the hub (a GET with the token: the park network's exports) and says
// how far it is. The hub builds the whole file before it answers, so that wait cannot be
// measured (the caller counts its seconds); then the body arrives and its bytes are counted
// against Content-Length; then the file is saved under the name given.
import { ApiError, signalUnauthorized, token } from "./api";
import { lang } from "./i18n";
import { en } from "./messages/en";
import { zh, type MessageKey } from "./messages/zh";

export type DownloadStep =
  | { phase: "prepare" }
  | { phase: "receive"; loaded: number; total: number | null }
  | { phase: "saved"; size: number };

interface Said {
  code?: string;
  messageZh?: string;
  messageEn?: string;
}

// The download routes answer {code, messageZh, messageEn}; what runs before them
// (authentication, the deadline, a database that is down) answers as GraphQL does.
interface Refusal extends Said {
  errors?: { message?: string; extensions?: Said }[];
}

/** An error the console itself names, from the catalogues, shown later in either language. */
function failure(code: string, key: MessageKey, status = 0): ApiError {
  const fill = (text: string) => text.replace("{status}", String(status));
  return new ApiError(code, fill(zh[key]), fill(en[key]), status);
}

async function refusal(response: Response): Promise<ApiError> {
  const body = ((await response.json().catch(() => null)) ?? {}) as Refusal;
  const first = body.errors?.[0];
  const ext = first?.extensions ?? {};
  const said: Said = first
    ? { code: ext.code, messageZh: ext.messageZh ?? first.message, messageEn: ext.messageEn ?? first.message }
    : body;
  const fallback = failure("HTTP", "export.serverError", response.status);
  return new ApiError(said.code ?? fallback.code, said.messageZh ?? fallback.messageZh,
    said.messageEn ?? fallback.messageEn, response.status);
}

/** The body's size in bytes, if the answer says it (null if unknown or compressed on the way). */
function expectedSize(response: Response): number | null {
  // A proxy that compresses counts the compressed bytes; the reader gives the inflated ones.
  const encoding = response.headers.get("content-encoding");
  if (encoding && encoding !== "identity") return null;
  const size = Number(response.headers.get("content-length"));
  return Number.isSafeInteger(size) && size > 0 ? size : null;
}

async function receive(response: Response, onStep: (step: DownloadStep) => void): Promise<Blob> {
  const total = expectedSize(response);
  const type = response.headers.get("content-type") ?? "";
  onStep({ phase: "receive", loaded: 0, total });
  const reader = response.body?.getReader();
  if (!reader) return response.blob();
  const chunks: Uint8Array<ArrayBuffer>[] = [];
  let loaded = 0;
  try {
    for (let part = await reader.read(); !part.done; part = await reader.read()) {
      chunks.push(part.value);
      loaded += part.value.byteLength;
      onStep({ phase: "receive", loaded, total });
    }
  } catch {
    throw failure("CUT_OFF", "export.cutOff");
  }
  if (total !== null && loaded !== total) throw failure("CUT_OFF", "export.cutOff");
  return new Blob(chunks, { type });
}

function save(file: Blob, filename: string): void {
  const url = URL.createObjectURL(file);
  const link = document.createElement("a");
  link.href = url;
  link.download = filename;
  document.body.append(link);
  link.click();
  link.remove();
  window.setTimeout(() => URL.revokeObjectURL(url), 10_000);
}

/** GETs `path` with the token, saves it as `filename`; `onStep` hears of each step. */
export async function download(path: string, filename: string, onStep: (step: DownloadStep) => void): Promise<void> {
  const headers: Record<string, string> = { "accept-language": lang() };
  const current = token();
  if (current) headers.authorization = `Bearer ${current}`;
  onStep({ phase: "prepare" });
  let response: Response;
  try {
    response = await fetch(path, { headers });
  } catch {
    throw failure("NETWORK", "export.noConnection");
  }
  if (!response.ok) {
    if (response.status === 401) signalUnauthorized();
    throw await refusal(response);
  }
  const file = await receive(response, onStep);
  save(file, filename);
  onStep({ phase: "saved", size: file.size });
}
