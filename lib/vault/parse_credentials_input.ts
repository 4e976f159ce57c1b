import { ExchangeCredentials } from "./exchange_credentials.ts";
import { VaultError } from "./vault_error.ts";

/**
 * Key material piped on standard input: a JSON object (`{"apiKey": "...", "secret": "...", "password": "...",
 * "uid": "..."}`, the last two optional) or lines (API key, secret, then optionally password and uid; an empty line
 * skips one). A `VaultError` (`bad_input`) says what is wrong without quoting the text: a JSON syntax error would
 * show the key.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { parseCredentialsInput } from "./parse_credentials_input.ts";
 * assert.equal(parseCredentialsInput("key-1234567\nsecret-1234567\n").secret, "secret-1234567");
 * assert.equal(parseCredentialsInput('{"apiKey":"key-1234567","secret":"sec-1234567","uid":"42"}').uid, "42");
 * assert.throws(() => parseCredentialsInput('{"apiKey":"key-1234567",'), (e: Error) => !e.message.includes("key-1"));
 * ```
 */
export function parseCredentialsInput(text: string): ExchangeCredentials {
  const t = text.trim();
  if (t.startsWith("{") || t.startsWith("[")) {
    let json: unknown;
    try {
      json = JSON.parse(t);
    } catch {
      throw new VaultError(
        "bad_input",
        `standard input starts like JSON but is not valid JSON (${t.length} characters): send ` +
          '{"apiKey": "...", "secret": "..."} or the key and the secret on two lines',
      );
    }
    if (json === null || typeof json !== "object" || Array.isArray(json)) {
      throw new VaultError("bad_input", "standard input JSON must be an object with apiKey and secret");
    }
    return ExchangeCredentials.from(json as Record<string, unknown>);
  }
  const lines = t.split(/\r?\n/);
  if (lines.length > 4) {
    throw new VaultError(
      "bad_input",
      `standard input has ${lines.length} lines: send at most 4 (API key, secret, password, uid), or JSON`,
    );
  }
  const [apiKey, secret, password, uid] = lines;
  return ExchangeCredentials.from({ apiKey, secret, password, uid });
}
