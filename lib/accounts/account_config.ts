import { z } from "zod";
import { RiskConfigSchema } from "../risk/mod.ts";
import { NotifyConfigSchema } from "../notify/mod.ts";
import { AccountNameSchema } from "../types/mod.ts";
import { AlertConfigSchema } from "./alert_config.ts";
import { VaultKeyNameSchema } from "../vault/mod.ts";

/** `paper`: simulated broker; `live`: real orders (the live broker comes in a later issue). */
export const AccountKindSchema = z.enum(["paper", "live"]);
export type AccountKind = z.infer<typeof AccountKindSchema>;

/** A quote currency code: 2 to 16 characters of A-Z and 0-9 (`USDT`, `USD`, `BTC`). */
export const QuoteCurrencySchema = z.string().regex(
  /^[A-Z0-9]{2,16}$/,
  "a quote currency is 2-16 characters of A-Z and 0-9, such as USDT or USD",
);

/**
 * An account's config file, `<data dir>/_accounts/<name>/account.json`. Strict at every level: an unknown or
 * malformed field is refused with its path. `name`, `kind`, `startingCash`, `quote` and `createdAt` are fixed at
 * creation (a reload that changes them is refused: the audit log's cash and P&L are in that currency, from that
 * cash); `risk` (lib/risk's `RiskConfigSchema`) and `notify` (lib/notify's `NotifyConfigSchema`) are the user's to
 * edit while the account runs.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { AccountConfigSchema } from "./mod.ts";
 * import { DEFAULT_RISK_CONFIG } from "../risk/mod.ts";
 * const cfg = {
 *   version: 1, name: "paper-1", kind: "paper", startingCash: 10_000, quote: "USDT",
 *   createdAt: "2026-01-05T00:00:00.000Z", risk: DEFAULT_RISK_CONFIG, notify: { console: true, webhooks: [] },
 * };
 * assert.equal(AccountConfigSchema.safeParse(cfg).success, true);
 * assert.equal(AccountConfigSchema.safeParse({ ...cfg, leverage: 3 }).success, false);
 * assert.equal(AccountConfigSchema.safeParse({ ...cfg, key: "binance-main" }).success, true);
 * assert.equal(AccountConfigSchema.safeParse({ ...cfg, key: ["binance-main", "okx-main"] }).success, true);
 * assert.equal(AccountConfigSchema.safeParse({ ...cfg, key: [] }).success, false);
 * ```
 */
export const AccountConfigSchema = z.strictObject({
  version: z.literal(1),
  name: AccountNameSchema,
  kind: AccountKindSchema,
  /** Cash the account starts with, in `quote` (seeds the audit log's replay). */
  startingCash: z.number().finite().positive(),
  quote: QuoteCurrencySchema,
  /** ISO 8601 UTC time of creation. */
  createdAt: z.iso.datetime(),
  risk: RiskConfigSchema,
  notify: NotifyConfigSchema,
  /**
   * The vault key (lib/vault) a live broker trades with: its name only, never a value. An account trading on several
   * exchanges at once names one key per exchange, as a list (`["binance-main", "okx-main"]`): each promoted
   * strategy trades on its promotion market's exchange, with that exchange's key. Rotating or removing a key
   * appends a `config_change` event to the audit log of every account naming it.
   */
  key: z.union([
    VaultKeyNameSchema,
    z.array(VaultKeyNameSchema).min(1, "key lists one vault key per exchange: at least one").refine(
      (keys) => new Set(keys).size === keys.length,
      "key names each vault key once",
    ),
  ]).optional(),
  /**
   * A live account may send real orders only when this is true AND `deno task live` is given `--arm` with the
   * account's name typed on the terminal (or `--arm=NAME`); otherwise `live` is a dry run. Absent: false.
   */
  armed: z.boolean().optional(),
  /** Alert rules (lib/monitor), every one off by default; absent: no alerts. */
  alerts: AlertConfigSchema.optional(),
});
export type AccountConfig = z.output<typeof AccountConfigSchema>;
