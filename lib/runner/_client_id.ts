// The runner's client ids (up to 64 characters of its own alphabet) in an exchange's client-id rules.
import { createHash } from "node:crypto";

/** Binance spot `newClientOrderId`: `^[.A-Z:/a-z0-9_-]{1,36}$`. */
const BINANCE = /^[.A-Z:/a-z0-9_-]{1,36}$/;

/**
 * The id to send for `clientOrderId`: itself when the exchange takes it, else a deterministic stand-in (a prefix
 * of it kept readable, then 16 hex digits of its SHA-256), so the same intent always maps to the same exchange id
 * and a restarted runner finds the order again.
 */
export function exchangeClientId(clientOrderId: string, max = 36): string {
  if (clientOrderId.length <= max && BINANCE.test(clientOrderId)) return clientOrderId;
  const hash = createHash("sha256").update(clientOrderId).digest("hex").slice(0, 16);
  const head = clientOrderId.replace(/[^.A-Za-z0-9_:/-]/g, "_").slice(0, max - hash.length - 1);
  return `${head}-${hash}`;
}
