// Token auth for requests that change something (POST/PUT/PATCH/DELETE).
import type { MiddlewareHandler } from "hono";
import { getCookie } from "hono/cookie";
import { HttpError } from "./_errors.ts";

/** Name of the session cookie set by `POST /login`. */
export const SESSION_COOKIE = "sentinel_session";

const SAFE = new Set(["GET", "HEAD", "OPTIONS"]);

/** True for hosts only this machine can reach. */
export function isLoopback(host: string): boolean {
  const h = host.replace(/^\[|\]$/g, "").toLowerCase();
  return h === "localhost" || h === "::1" || /^127(\.\d{1,3}){3}$/.test(h);
}

const enc = new TextEncoder();

/**
 * The session cookie's value: an HMAC of a fixed label under the token, so the cookie never
 * holds the token itself and changing the token invalidates every session.
 */
export async function sessionValue(token: string): Promise<string> {
  const key = await crypto.subtle.importKey("raw", enc.encode(token), { name: "HMAC", hash: "SHA-256" }, false, [
    "sign",
  ]);
  const mac = new Uint8Array(await crypto.subtle.sign("HMAC", key, enc.encode("sentinel-lab-session-v1")));
  return Array.from(mac, (b) => b.toString(16).padStart(2, "0")).join("");
}

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

/** True when the request carries the token (Bearer header) or a valid session cookie. */
export async function isAuthorized(
  token: string,
  authorization: string | undefined,
  cookie: string | undefined,
  session: Promise<string>,
): Promise<boolean> {
  const m = /^Bearer\s+(.+)$/i.exec(authorization ?? "");
  if (m && await sameSecret(m[1]!.trim(), token)) return true;
  if (cookie && await sameSecret(cookie, await session)) return true;
  return false;
}

/**
 * Requires the token on every mutating request when one is configured: `Authorization: Bearer
 * <token>` (API clients) or the session cookie (HTML forms, after `POST /login`). `exempt` paths
 * (the login form itself) pass.
 */
export function requireToken(token: string | undefined, exempt: readonly string[] = []): MiddlewareHandler {
  if (!token) return async (_c, next) => await next();
  const session = sessionValue(token);
  return async (c, next) => {
    if (SAFE.has(c.req.method) || exempt.includes(c.req.path)) return await next();
    if (await isAuthorized(token, c.req.header("authorization"), getCookie(c, SESSION_COOKIE), session)) {
      return await next();
    }
    throw new HttpError(401, "this lab requires its token for changes: send Authorization: Bearer <token>, or log in");
  };
}
