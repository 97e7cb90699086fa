// Uploads a registry file to the hub's POST /import and follows the import as it goes:
// the upload's bytes (XMLHttpRequest reports them; fetch does not), then the NDJSON lines
// the hub sends while it writes ({"done", "total"}), then the report or the problems.
import { ApiError, csrfToken, signalUnauthorized, token } from "./api";
import { lang } from "./i18n";

export const IMPORT_KINDS = ["organizations", "sites", "equipment", "offerings", "certificates", "capacity"] as const;
export type ImportKind = (typeof IMPORT_KINDS)[number];

export interface ImportReport {
  kind: string;
  rows: number;
  created: number;
  updated: number;
  unchanged: number;
  seconds: number;
}

/** What is wrong, where: `line` is null for the file as a whole. */
export interface ImportProblem {
  line: number | null;
  field: string | null;
  message: string;
  messageZh: string;
  messageEn: string;
}

export type ImportOutcome =
  | { report: ImportReport }
  | { problems: ImportProblem[]; count: number };

export type ImportStep =
  | { phase: "upload"; loaded: number; total: number }
  | { phase: "check" }
  | { phase: "write"; done: number; total: number };

type Line =
  | { done: number; total: number }
  | { report: ImportReport }
  | { problems: ImportProblem[]; count: number }
  | { error: { code: string; messageZh: string; messageEn: string } };

/** The kind a file's name says (sites.csv: sites), if it names one. */
export function kindOfName(name: string): ImportKind | null {
  const stem = name.replace(/\.[^.]*$/, "").trim().toLowerCase();
  return IMPORT_KINDS.find((k) => k === stem) ?? null;
}

const NETWORK = () => new ApiError("NETWORK", "无法连接到平台，请检查网络", "Cannot reach the hub; check the network", 0);
const CUT_OFF = () =>
  new ApiError(
    "INCOMPLETE",
    "导入的答复在结束前中断：文件要么已全部写入，要么完全未写入，请在审计日志中查看后再重试。",
    "The answer ended before the import did: the file was written entirely or not at all; check the audit log before trying again.",
    0,
  );

function refusal(xhr: XMLHttpRequest): ApiError {
  let first: { message?: string; extensions?: { code?: string; messageZh?: string; messageEn?: string } } = {};
  try {
    first = (JSON.parse(xhr.responseText) as { errors?: (typeof first)[] }).errors?.[0] ?? {};
  } catch {
    // not JSON: a proxy's page, say
  }
  const ext = first.extensions ?? {};
  const fallbackZh = `服务器错误（${xhr.status}）`;
  const fallbackEn = `Server error (${xhr.status})`;
  return new ApiError(
    ext.code ?? "HTTP",
    ext.messageZh ?? first.message ?? fallbackZh,
    ext.messageEn ?? first.message ?? fallbackEn,
    xhr.status,
  );
}

/** Uploads `file` as `kind`; `onStep` hears of each step; resolves with the outcome. */
export function uploadImport(file: File, kind: ImportKind, onStep: (step: ImportStep) => void): Promise<ImportOutcome> {
  return new Promise((resolve, reject) => {
    const xhr = new XMLHttpRequest();
    let read = 0;
    let outcome: ImportOutcome | null = null;
    let failure: ApiError | null = null;

    const take = (line: Line) => {
      if ("done" in line) onStep({ phase: "write", done: line.done, total: line.total });
      else if ("error" in line) failure = new ApiError(line.error.code, line.error.messageZh, line.error.messageEn, 200);
      else outcome = line;
    };
    // Complete lines only: the last one may still be arriving.
    const readLines = () => {
      if (xhr.status !== 200) return;
      const text = xhr.responseText;
      const end = text.lastIndexOf("\n");
      if (end < read) return;
      for (const line of text.slice(read, end).split("\n")) if (line.trim()) take(JSON.parse(line) as Line);
      read = end + 1;
    };

    xhr.open("POST", `/import?${new URLSearchParams({ filename: file.name, kind })}`);
    xhr.setRequestHeader("accept-language", lang());
    xhr.setRequestHeader("content-type", "application/octet-stream");
    const current = token();
    if (current) xhr.setRequestHeader("authorization", `Bearer ${current}`);
    else if (csrfToken()) xhr.setRequestHeader("x-hub-csrf", csrfToken() as string);
    xhr.upload.onprogress = (e) => onStep({ phase: "upload", loaded: e.loaded, total: e.total || file.size });
    xhr.upload.onload = () => onStep({ phase: "check" });
    xhr.onprogress = readLines;
    xhr.onerror = () => reject(NETWORK());
    xhr.onload = () => {
      if (xhr.status !== 200) {
        if (xhr.status === 401) signalUnauthorized();
        reject(refusal(xhr));
        return;
      }
      readLines();
      if (failure) reject(failure);
      else if (outcome) resolve(outcome);
      else reject(CUT_OFF());
    };
    onStep({ phase: "upload", loaded: 0, total: file.size });
    xhr.send(file);
  });
}
