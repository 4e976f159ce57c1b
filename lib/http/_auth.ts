// Token auth for requests that change something (POST/PUT/PATCH/DELETE): the token policy,
// per-login sessions, and the backoff on failed logins and Bearer attempts.
import type { Context, MiddlewareHandler } from "hono";
import { getCookie } from "hono/cookie";
import { ConfigError } from "../types/mod.ts";
import { HttpError } from "./_errors.ts";

/** Name of the session cookie set by `POST /login`. */
export const SESSION_COOKIE = "sentinel_session";

/** Shortest token the lab accepts. */
export const MIN_TOKEN_LENGTH = 24;

/** Knobs of the lab's security; the defaults suit a lab on a private network. */
export interface SecurityOptions {
  /** The clock (epoch ms); tests inject one. Default `Date.now`. */
  now?: () => number;
  /** How long a login lasts. Default 12 h. */
  sessionTtlMs?: number;
  /** Sessions kept at once; the oldest goes first. Default 1,000. */
  maxSessions?: number;
  /** Failed attempts per client before the backoff starts. Default 3. */
  freeFailures?: number;
  /** Longest backoff. Default 15 min. */
  maxBackoffMs?: number;
  /** Clients whose failures are remembered; the least recently seen goes first. Default 10,000. */
  maxClients?: number;
  /** Largest request body in bytes; larger ones get 413. Default 4 MiB. */
  maxBodyBytes?: number;
}

const SAFE = new Set(["GET", "HEAD", "OPTIONS"]);

/** True for hosts only this machine can reach. */
export function isLoopback(host: string): boolean {
  const h = host.replace(/^\[|\]$/g, "").toLowerCase();
  return h === "localhost" || h === "::1" || /^127(\.\d{1,3}){3}$/.test(h);
}

/**
 * Refuses weak tokens with a ConfigError that never quotes the token: at least
 * {@link MIN_TOKEN_LENGTH} characters, no spaces or control characters (a header cannot carry
 * them reliably, and `" "` passing as a token was the bug).
 */
export function checkToken(token: string, where = "the lab token"): void {
  const fix = "generate one with `openssl rand -base64 32` (or leave it unset and `deno task lab` writes one)";
  // deno-lint-ignore no-control-regex
  if (/[\s\x00-\x1f\x7f]/.test(token)) {
    throw new ConfigError(`${where} contains spaces or control characters; ${fix}`);
  }
  if (token.length < MIN_TOKEN_LENGTH) {
    throw new ConfigError(
      `${where} has ${token.length} characters; use at least ${MIN_TOKEN_LENGTH}: ${fix}`,
    );
  }
}

/** A fresh random token: 32 bytes, base64url (43 characters). */
export function generateToken(): string {
  const b = crypto.getRandomValues(new Uint8Array(32));
  return btoa(String.fromCharCode(...b)).replace(/\+/g, "-").replace(/\//g, "_").replace(/=+$/, "");
}

const enc = new TextEncoder();

/** Compares two secrets in time independent of where they differ (both are hashed first). */
export async function sameSecret(a: string, b: string): Promise<boolean> {
  const [x, y] = await Promise.all([
    crypto.subtle.digest("SHA-256", enc.encode(a)),
    crypto.subtle.digest("SHA-256", enc.encode(b)),
  ]);
  const u = new Uint8Array(x), v = new Uint8Array(y);
  let diff = 0;
  for (let i = 0; i < u.length; i++) diff |= u[i]! ^ v[i]!;
  return diff === 0;
}

/** The client's address as Deno.serve reports it (`c.env.remoteAddr`); `unknown` in-process. */
export function clientAddress(c: Context): string {
  // Forwarded headers are not trusted: any client can write them. Behind a reverse proxy every
  // client therefore shares the proxy's address (and its backoff).
  const env = c.env as { remoteAddr?: { hostname?: unknown } } | undefined;
  const h = env?.remoteAddr?.hostname;
  return typeof h === "string" && h !== "" ? clientKey(h) : "unknown";
}

/**
 * The backoff key of an address: IPv4 as is, IPv6 by its /64 (one host usually holds a whole
 * /64, so keying by address would let it rotate through 2^64 fresh budgets).
 */
export function clientKey(address: string): string {
  const a = address.replace(/^\[|\]$/g, "").toLowerCase().replace(/%.*$/, "");
  if (!a.includes(":")) return a;
  const v4 = /^::ffff:(\d{1,3}(?:\.\d{1,3}){3})$/.exec(a);
  if (v4) return v4[1]!;
  const [head = "", tail] = a.split("::");
  const left = head === "" ? [] : head.split(":");
  const right = tail === undefined || tail === "" ? [] : tail.split(":");
  const groups = tail === undefined
    ? left
    : [...left, ...Array(Math.max(0, 8 - left.length - right.length)).fill("0"), ...right];
  return `${groups.slice(0, 4).map((g) => (g || "0").replace(/^0+(?=.)/, "")).join(":")}::/64`;
}

/**
 * Login sessions: the cookie holds a random id (256 bits) that maps to an expiry here, so the
 * token never leaves the server, each login is its own session and `/logout` ends one. Sessions
 * live in memory: a restart logs everyone out.
 */
export class Sessions {
  readonly #byId = new Map<string, number>();
  readonly #now: () => number;
  readonly ttlMs: number;
  readonly #max: number;
  constructor(options: SecurityOptions = {}) {
    this.#now = options.now ?? Date.now;
    this.ttlMs = options.sessionTtlMs ?? 12 * 3_600_000;
    this.#max = options.maxSessions ?? 1000;
  }
  /** A new session id. */
  create(): string {
    const now = this.#now();
    if (this.#byId.size >= this.#max) {
      for (const [id, exp] of this.#byId) if (exp <= now) this.#byId.delete(id);
      while (this.#byId.size >= this.#max) this.#byId.delete(this.#byId.keys().next().value as string);
    }
    const b = crypto.getRandomValues(new Uint8Array(32));
    const id = Array.from(b, (x) => x.toString(16).padStart(2, "0")).join("");
    this.#byId.set(id, now + this.ttlMs);
    return id;
  }
  /** True while the session exists and has not expired. */
  valid(id: string | undefined): boolean {
    if (!id) return false;
    const exp = this.#byId.get(id);
    if (exp === undefined) return false;
    if (exp <= this.#now()) {
      this.#byId.delete(id);
      return false;
    }
    return true;
  }
  /** Ends a session (logout). */
  revoke(id: string | undefined): void {
    if (id) this.#byId.delete(id);
  }
}

interface Failures {
  count: number;
  until: number;
  last: number;
}

/**
 * Backoff on failed token checks, per client address: the first `freeFailures` failures are
 * free (typos), then each failure blocks the client for 1 s, 2 s, 4 s … up to `maxBackoffMs`.
 * While blocked, attempts are refused (429) without checking the token. A success clears the
 * client; failures older than an hour are forgotten. Memory is bounded by `maxClients`.
 */
export class AuthLimiter {
  readonly #byClient = new Map<string, Failures>();
  readonly #now: () => number;
  readonly #free: number;
  readonly #maxBackoff: number;
  readonly #maxClients: number;
  constructor(options: SecurityOptions = {}) {
    this.#now = options.now ?? Date.now;
    this.#free = options.freeFailures ?? 3;
    this.#maxBackoff = options.maxBackoffMs ?? 15 * 60_000;
    this.#maxClients = options.maxClients ?? 10_000;
  }
  /** Seconds the client must wait before its next attempt; 0 when it may try now. */
  retryAfter(client: string): number {
    const f = this.#byClient.get(client);
    if (f === undefined) return 0;
    const now = this.#now();
    if (f.until <= now && now - f.last > 3_600_000) {
      this.#byClient.delete(client);
      return 0;
    }
    return f.until > now ? Math.ceil((f.until - now) / 1000) : 0;
  }
  /** Records a failed attempt. */
  fail(client: string): void {
    const now = this.#now();
    const f = this.#byClient.get(client) ?? { count: 0, until: 0, last: now };
    f.count++;
    f.last = now;
    if (f.count > this.#free) {
      f.until = now + Math.min(this.#maxBackoff, 1000 * 2 ** Math.min(30, f.count - this.#free - 1));
    }
    // Re-insert so the map's order is least recently seen first.
    this.#byClient.delete(client);
    while (this.#byClient.size >= this.#maxClients) {
      this.#byClient.delete(this.#byClient.keys().next().value as string);
    }
    this.#byClient.set(client, f);
  }
  /** A successful attempt clears the client's failures. */
  succeed(client: string): void {
    this.#byClient.delete(client);
  }
  /** Throws the 429 when the client is blocked. */
  check(client: string): void {
    const wait = this.retryAfter(client);
    if (wait > 0) {
      throw new HttpError(429, `too many failed token attempts from this address; retry in ${wait} s`, [], {
        retryAfter: wait,
      });
    }
  }
}

/** The token, sessions and backoff of one app. */
export class LabAuth {
  readonly token: string | undefined;
  readonly sessions: Sessions;
  readonly limiter: AuthLimiter;
  constructor(token: string | undefined, options: SecurityOptions = {}) {
    if (token !== undefined) checkToken(token);
    this.token = token;
    this.sessions = new Sessions(options);
    this.limiter = new AuthLimiter(options);
  }
  /**
   * Checks a submitted token for `client`: 429 while blocked, else true or false (counted).
   * The answer never depends on anything but the whole token matching.
   */
  async verify(client: string, candidate: string): Promise<boolean> {
    if (this.token === undefined) return true;
    this.limiter.check(client);
    if (await sameSecret(candidate, this.token)) {
      this.limiter.succeed(client);
      return true;
    }
    this.limiter.fail(client);
    return false;
  }
}

/**
 * Requires the token on every mutating request when one is configured: a live session cookie
 * (HTML forms, after `POST /login`) or `Authorization: Bearer <token>` (API clients; failures
 * count towards the client's backoff). `exempt` paths (login, logout) pass.
 */
export function requireToken(auth: LabAuth, exempt: readonly string[] = []): MiddlewareHandler {
  if (auth.token === undefined) return async (_c, next) => await next();
  return async (c, next) => {
    if (SAFE.has(c.req.method) || exempt.includes(c.req.path)) return await next();
    if (auth.sessions.valid(getCookie(c, SESSION_COOKIE))) return await next();
    const header = c.req.header("authorization");
    if (header !== undefined) {
      const m = /^Bearer\s+(.+)$/i.exec(header);
      if (await auth.verify(clientAddress(c), m ? m[1]!.trim() : "")) return await next();
    }
    throw new HttpError(401, "this lab requires its token for changes: send Authorization: Bearer <token>, or log in");
  };
}

/**
 * Where to go after login: a path of this origin, else `/`. The text is resolved against the
 * request's URL as a browser would (which drops tabs and newlines and reads `\` as `/`, so
 * `/\t/evil.example` means `//evil.example`), then the origins are compared; control
 * characters are refused outright (a newline in `Location` was a 500).
 */
export function safeNext(next: string | undefined, base: string): string {
  // deno-lint-ignore no-control-regex
  if (!next || !next.startsWith("/") || /[\x00-\x1f\x7f]/.test(next)) return "/";
  let url: URL, origin: string;
  try {
    origin = new URL(base).origin;
    url = new URL(next, base);
  } catch {
    return "/";
  }
  return url.origin === origin ? `${url.pathname}${url.search}${url.hash}` : "/";
}
