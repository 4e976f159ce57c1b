// Parsing, hashing and redacting an account config; shared by create, load, reload and status.
import { hash } from "node:crypto";
import { canonicalJson, ConfigError, formatZodIssues } from "../types/mod.ts";
import { type AccountConfig, AccountConfigSchema } from "./account_config.ts";

/** Parses account.json text strictly; a `ConfigError` names the source, each field path and the reason. */
export function parseAccountConfig(text: string, source: string): AccountConfig {
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (e) {
    throw new ConfigError(`${source}: not valid JSON (${(e as Error).message}); fix the file's syntax`);
  }
  const r = AccountConfigSchema.safeParse(json);
  if (!r.success) {
    throw new ConfigError(`${source}: ${formatZodIssues(r.error, json, { hideValuesUnder: ["notify"] })}`);
  }
  return r.data;
}

/** The file text: indented, one field per line, so the user reads and edits it. */
export function configText(config: AccountConfig): string {
  return JSON.stringify(config, null, 2) + "\n";
}

export function configHash(config: AccountConfig): string {
  return hash("sha256", canonicalJson(config), "hex");
}

/**
 * The config as it may enter the audit log or an answer: each webhook URL becomes its origin plus a short
 * fingerprint (so a changed URL shows in a diff without showing the token), header values `[redacted]`.
 */
export function redactConfig(config: AccountConfig): AccountConfig {
  const copy = structuredClone(config);
  copy.notify.webhooks = copy.notify.webhooks.map((w) => {
    const out = { ...w, url: redactUrl(w.url) };
    if (w.headers) out.headers = Object.fromEntries(Object.keys(w.headers).map((k) => [k, "[redacted]"]));
    return out;
  });
  return copy;
}

function redactUrl(url: string): string {
  const origin = URL.canParse(url) ? new URL(url).origin : "(invalid url)";
  return `${origin}/[redacted sha256:${hash("sha256", url, "hex").slice(0, 12)}]`;
}

/**
 * The secret strings of a config, for the audit log's own scrubber (a reason text that quotes a webhook URL): each
 * URL, its path, query and credentials, each header value and its words of 8 characters or more.
 */
export function configSecrets(config: AccountConfig): string[] {
  const out: string[] = [];
  for (const w of config.notify.webhooks) {
    out.push(w.url);
    if (URL.canParse(w.url)) {
      const u = new URL(w.url);
      out.push(u.href, u.username, u.password, u.pathname + u.search, u.pathname, u.search);
    }
    for (const v of Object.values(w.headers ?? {})) out.push(v, ...v.split(/\s+/));
  }
  // Short parts ("/hook", "Bearer") carry no token and would garble every message.
  return [...new Set(out.filter((s) => s.length >= 8))];
}

/** One changed leaf: its dotted path and the values before and after (undefined: absent). */
export interface ConfigDiffEntry {
  path: string;
  before?: unknown;
  after?: unknown;
}

/** Leaf-by-leaf differences of two JSON values (arrays compared as leaves, so a list shows whole). */
export function diffJson(a: unknown, b: unknown, path = ""): ConfigDiffEntry[] {
  const isObj = (v: unknown): v is Record<string, unknown> => v !== null && typeof v === "object" && !Array.isArray(v);
  if (isObj(a) && isObj(b)) {
    const keys = [...new Set([...Object.keys(a), ...Object.keys(b)])].sort();
    return keys.flatMap((k) => diffJson(a[k], b[k], path ? `${path}.${k}` : k));
  }
  if (canonicalJson(a ?? null) === canonicalJson(b ?? null) && (a === undefined) === (b === undefined)) return [];
  const e: ConfigDiffEntry = { path: path || "(top level)" };
  if (a !== undefined) e.before = a;
  if (b !== undefined) e.after = b;
  return [e];
}
