import { REDACTED_TEXT } from "./_redacted.ts";
import { VaultError } from "./vault_error.ts";

/** The ccxt credential fields a vault entry holds. */
export interface ExchangeCredentialFields {
  /** ccxt `apiKey`. */
  apiKey: string;
  /** ccxt `secret`. */
  secret: string;
  /** ccxt `password`: the API passphrase some exchanges ask for (OKX, KuCoin, Bitget). */
  password?: string;
  /** ccxt `uid`: an account or user id some exchanges ask for. */
  uid?: string;
}

/** The field names in their file order. */
export const CREDENTIAL_FIELDS = ["apiKey", "secret", "password", "uid"] as const;
/** One credential field name. */
export type CredentialField = typeof CREDENTIAL_FIELDS[number];

const MIN_KEY = 8;
const MAX_FIELD = 16_384;

/**
 * An exchange's API credentials as a broker passes them to ccxt (`new ccxt.binance({ ...creds })`). The fields are
 * plain properties, but printing the object (`console.log`, `Deno.inspect`, `String`, `JSON.stringify`) shows
 * `[redacted]`, so a credential object that slips into a log line or an error stays unreadable.
 *
 * Hold it for as short as practical: build the ccxt exchange from it and drop the reference; re-read it from the
 * vault after a rotation rather than keeping a copy. JS strings cannot be wiped, so the exchange object (which keeps
 * the fields) is the one long-lived copy.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { ExchangeCredentials } from "./exchange_credentials.ts";
 * const c = ExchangeCredentials.from({ apiKey: "k-12345678", secret: "s-12345678" });
 * assert.equal(c.apiKey, "k-12345678");
 * assert.ok(!JSON.stringify(c).includes("12345678"));
 * assert.ok(!Deno.inspect(c).includes("12345678"));
 * assert.deepEqual({ ...c }, { apiKey: "k-12345678", secret: "s-12345678" });
 * ```
 */
export class ExchangeCredentials implements ExchangeCredentialFields {
  apiKey!: string;
  secret!: string;
  declare password?: string;
  declare uid?: string;

  private constructor(fields: ExchangeCredentialFields) {
    this.apiKey = fields.apiKey;
    this.secret = fields.secret;
    if (fields.password !== undefined) this.password = fields.password;
    if (fields.uid !== undefined) this.uid = fields.uid;
  }

  /**
   * Checks and trims the fields: `apiKey` and `secret` of 8 to 16,384 characters, `password` and `uid` optional
   * (empty means absent). A `VaultError` (`bad_input`) names the field and the rule, never the value.
   */
  static from(fields: Record<string, unknown>): ExchangeCredentials {
    const out: Partial<Record<CredentialField, string>> = {};
    for (const k of Object.keys(fields)) {
      if (!(CREDENTIAL_FIELDS as readonly string[]).includes(k)) {
        const shown = /^[A-Za-z_]{1,32}$/.test(k) ? `"${k}"` : `(a field name of ${k.length} characters)`;
        throw new VaultError(
          "bad_input",
          `unknown credential field ${shown}: the fields are ${CREDENTIAL_FIELDS.join(", ")}`,
        );
      }
    }
    for (const k of CREDENTIAL_FIELDS) {
      const v = fields[k];
      if (v === undefined || v === null) continue;
      if (typeof v !== "string") {
        throw new VaultError("bad_input", `credential field ${k} must be a string, not ${typeof v}`);
      }
      const t = v.trim();
      if (t === "") continue;
      if (t.length > MAX_FIELD) {
        throw new VaultError(
          "bad_input",
          `credential field ${k} is ${t.length} characters: at most ${MAX_FIELD} are accepted`,
        );
      }
      out[k] = t;
    }
    for (const k of ["apiKey", "secret"] as const) {
      const v = out[k];
      if (v === undefined) {
        throw new VaultError("bad_input", `credential field ${k} is missing or empty: an exchange key needs it`);
      }
      if (v.length < MIN_KEY) {
        throw new VaultError(
          "bad_input",
          `credential field ${k} is ${v.length} characters: exchange keys are at least ${MIN_KEY}; check what was ` +
            "pasted",
        );
      }
    }
    return new ExchangeCredentials(out as ExchangeCredentialFields);
  }

  /** The fields present, in file order. */
  fields(): CredentialField[] {
    return CREDENTIAL_FIELDS.filter((k) => this[k] !== undefined);
  }

  /** The plain fields, for encryption. */
  toPlain(): ExchangeCredentialFields {
    return { ...this };
  }

  toJSON(): Record<string, string> {
    return Object.fromEntries(this.fields().map((k) => [k, REDACTED_TEXT]));
  }

  toString(): string {
    return `ExchangeCredentials(${this.fields().join(", ")}: ${REDACTED_TEXT})`;
  }

  [Symbol.for("Deno.customInspect")](): string {
    return this.toString();
  }

  [Symbol.for("nodejs.util.inspect.custom")](): string {
    return this.toString();
  }
}
