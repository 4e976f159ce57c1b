// HTTP errors: one type the routes throw, and the mapping from library errors to status codes.
import type { Context } from "hono";
import { HTTPException } from "hono/http-exception";
import { z } from "zod";
import { html, layout } from "./_html.ts";

/** One problem with a request, shaped like a zod issue so clients handle both the same way. */
export interface Issue {
  path: (string | number)[];
  message: string;
  code?: string;
}

/** Statuses the lab answers with on purpose. */
export type ErrorStatus = 400 | 401 | 403 | 404 | 409 | 413 | 429 | 500 | 503;

/** An error with its HTTP status and, for a 400, the issues found. */
export class HttpError extends Error {
  override name = "HttpError";
  readonly status: ErrorStatus;
  readonly issues: Issue[];
  /** Seconds a 429 asks the client to wait (the `Retry-After` header). */
  readonly retryAfter: number | undefined;
  constructor(status: ErrorStatus, message: string, issues: Issue[] = [], options: { retryAfter?: number } = {}) {
    super(message);
    this.status = status;
    this.issues = issues;
    this.retryAfter = options.retryAfter;
  }
}

/** Zod issues in the wire form, prefixed with where they came from (`query`, `json`, `param`). */
export function zodIssues(error: z.ZodError, prefix?: string): Issue[] {
  return error.issues.map((i) => ({
    path: prefix === undefined ? i.path.map(pathKey) : [prefix, ...i.path.map(pathKey)],
    message: i.message,
    code: i.code,
  }));
}

function pathKey(k: PropertyKey): string | number {
  return typeof k === "number" ? k : String(k);
}

/** The status and body of an error, without stack traces. */
export function describeError(
  err: unknown,
): { status: ErrorStatus; message: string; issues: Issue[]; retryAfter?: number } {
  const e = err as Error & { issues?: unknown; status?: number };
  if (err instanceof HttpError) {
    return {
      status: err.status,
      message: err.message,
      issues: err.issues,
      ...(err.retryAfter !== undefined ? { retryAfter: err.retryAfter } : {}),
    };
  }
  if (err instanceof HTTPException) {
    const status = (err.status >= 400 && err.status < 600 ? err.status : 500) as ErrorStatus;
    const message = err.message || (status === 403 ? "forbidden (cross-site form post)" : "bad request");
    return { status, message, issues: status === 400 ? [{ path: [], message }] : [] };
  }
  if (err instanceof z.ZodError) return { status: 400, message: "invalid request", issues: zodIssues(err) };
  switch (e?.name) {
    case "ParamError": {
      // lib/strategies' ParamError: issues name the param and the value seen.
      const issues = Array.isArray(e.issues)
        ? (e.issues as { param: string | null; message: string }[]).map((i) => ({
          path: i.param === null ? ["params"] : ["params", i.param],
          message: i.message,
          code: "invalid_param",
        }))
        : [];
      return { status: 400, message: "invalid strategy parameters", issues };
    }
    case "QueueFullError":
      return { status: 429, message: e.message, issues: [] };
    case "AbortError":
      return { status: 409, message: `cancelled: ${e.message}`, issues: [] };
    case "DataError":
    case "RangeError":
    case "ConfigError":
    case "StrategyError":
      return { status: 400, message: e.message, issues: [{ path: [], message: e.message }] };
  }
  return { status: 500, message: "internal error; the server log has the details", issues: [] };
}

/** True when the client should get JSON rather than an HTML page. */
export function wantsJson(c: Context): boolean {
  if (c.req.path.startsWith("/api/") || c.req.path === "/api") return true;
  const accept = c.req.header("accept") ?? "";
  return accept.includes("application/json") && !accept.includes("text/html");
}

/**
 * Renders an error as JSON `{ error, issues }` or as an HTML page.
 *
 * Answers are never scrubbed: replacing the token with `***` in text that echoes request input
 * told a client which of its guesses was the token (an oracle). Messages carry only what the
 * client sent or what the server made, never the Authorization header or a raw body, so there is
 * nothing of the server's to scrub. `secrets` are scrubbed from the server log only (500s), as
 * defense in depth: the log is not visible to clients, so it is no oracle.
 */
export function errorResponse(c: Context, err: unknown, secrets: readonly string[] = []): Response {
  const d = describeError(err);
  if (d.status === 500) {
    const scrub = (s: string): string => secrets.reduce((acc, t) => (t ? acc.split(t).join("***") : acc), s);
    const text = err instanceof Error ? err.stack ?? `${err.name}: ${err.message}` : String(err);
    console.error(`[lab] ${c.req.method} ${c.req.path}: ${scrub(text)}`);
  }
  const { message, issues } = d;
  const headers: Record<string, string> = {};
  if (d.status === 429) headers["Retry-After"] = String(d.retryAfter ?? 5);
  if (d.status === 401) headers["WWW-Authenticate"] = 'Bearer realm="sentinel-lab"';
  if (wantsJson(c)) return c.json({ error: message, issues }, d.status, headers);
  const title = d.status === 404 ? "Not found" : d.status === 401 ? "Token required" : `Error ${d.status}`;
  const body = html`<h1>${title}</h1><p>${message}</p>
${
    issues.length
      ? html`<ul class="errors">${
        issues.map((i) => html`<li><code>${i.path.join(".") || "request"}</code>: ${i.message}</li>`)
      }</ul>`
      : ""
  }
${d.status === 401 ? html`<p><a href="/login?next=${encodeURIComponent(c.req.path)}">Enter the lab token</a></p>` : ""}
<p><a href="/">Back to the overview</a></p>`;
  return c.html(layout({ title }, body), d.status, headers);
}
