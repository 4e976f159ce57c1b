import { existsSync } from "node:fs";
import { join } from "node:path";
import { AuditLog, listAccounts } from "../audit/mod.ts";
import { resolveDataDir } from "../fs/mod.ts";
import { AccountNameSchema } from "../types/mod.ts";
import { splitSymbol, tradeEvents, type TradeFee } from "./_trade_events.ts";
import { MONEY_DP, mulDiv, numberToFixed, pow10, QTY_DP } from "./fixed.ts";
import type { LedgerEvent } from "./ledger_event.ts";
import { DEFAULT_PAR } from "./par_currencies.ts";
import type { PriceSource } from "./price_source.ts";
import { TaxInputError } from "./tax_input_error.ts";

/** Options of {@link readAccountLedger}. */
export interface ReadAccountLedgerOptions {
  /** The lab's data dir; default `resolveDataDir()` (env `SENTINEL_DATA_DIR`, else `data/store`). */
  dataDir?: string;
  /** The paper or live account whose fills are read. */
  account: string;
  /** Values crypto-to-crypto fills and fees in a third asset; without it such a fill is an error. */
  prices?: PriceSource;
  /** Quote currencies taken at par as the reporting currency; default {@link DEFAULT_PAR}. */
  par?: readonly string[];
}

const PAGE = 10_000;

/**
 * The ledger events of an account's fills, read from its audit log (opened read-only, so a running paper or live
 * runner is never blocked), in seq order. Every `order_filled` and `order_partially_filled` event is one execution
 * and becomes the events of one trade by the same rules as {@link readCcxtTrades} (one shared rule set): id
 * `<account>#<seq>` (crypto-to-crypto legs `<account>#<seq>/sell` and `/buy`, a third-asset fee `/fee`), source
 * `{ account, seq, ref: clientOrderId }`, time the fill's execution time.
 *
 * Fees, as the fill records them: without `feeAsset` the fill's `fee` is in the quote (it adds to a par buy's basis
 * or reduces a par sell's proceeds). With `feeAsset` the base (Binance spot; see `fillBaseFee`), `feeAmount` units of
 * the base are taken from what a buy received (a sell disposes of them too), as the account's replay counts its
 * position. With a third `feeAsset` (BNB) it is a `fee` event of `feeAmount` BNB; on a par-quoted fill its value is
 * the fill's quote-valued `fee` (the broker's own valuation), otherwise the stored BNB price. A symbol without a
 * quote (`GOOG` of sample data) is taken as quoted in the reporting currency.
 *
 * A fill that cannot become events (a derivative symbol, a crypto-to-crypto fill without a price) throws a
 * {@link TaxInputError} `<account> audit log:<seq>: <reason>`; a missing log throws an `Error` naming the accounts.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { AuditLog } from "../audit/mod.ts";
 * import { readAccountLedger } from "./mod.ts";
 * const dataDir = await Deno.makeTempDir();
 * const log = AuditLog.open({ dataDir, account: "paper-1" });
 * const fill = { clientOrderId: "o1", symbol: "BTC/USDT", side: "buy" as const, qty: 0.5, price: 60000, fee: 30, ts: 1000 };
 * log.append({ kind: "order_filled", runId: "r1", ts: 1000, payload: fill });
 * log.close();
 * const [buy] = await readAccountLedger({ dataDir, account: "paper-1" });
 * assert.equal(buy!.id, "paper-1#1");
 * assert.deepEqual(buy!.source, { account: "paper-1", seq: 1, ref: "o1" });
 * await Deno.remove(dataDir, { recursive: true });
 * ```
 */
export async function readAccountLedger(options: ReadAccountLedgerOptions): Promise<LedgerEvent[]> {
  const account = options.account;
  const name = AccountNameSchema.safeParse(account);
  if (!name.success) {
    throw new TypeError(`Invalid account ${JSON.stringify(account)}: ${name.error.issues[0]?.message ?? "bad name"}`);
  }
  const dataDir = resolveDataDir(options.dataDir);
  if (!existsSync(join(dataDir, "_accounts", account, "audit.sqlite"))) {
    const known = listAccounts(dataDir);
    throw new Error(
      `account ${JSON.stringify(account)} has no audit log in ${dataDir}; accounts there: ${
        known.length ? known.join(", ") : "none"
      } (pass --data-dir or set SENTINEL_DATA_DIR for another data dir)`,
    );
  }
  const par = new Set(options.par ?? DEFAULT_PAR);
  const rules = { par, prices: options.prices };
  const file = `${account} audit log`;
  const out: LedgerEvent[] = [];
  using log = AuditLog.open({ dataDir, account, readOnly: true });
  for (let after = 0;;) {
    const page = log.query({ kinds: ["order_filled", "order_partially_filled"], afterSeq: after, limit: PAGE });
    for (const ev of page) {
      if (ev.kind !== "order_filled" && ev.kind !== "order_partially_filled") continue;
      const f = ev.payload;
      try {
        const { base, quote } = f.symbol.includes("/")
          ? splitSymbol(f.symbol)
          : { base: f.symbol, quote: [...par][0] ?? "USD" };
        const amount = numberToFixed(f.qty, QTY_DP, "qty");
        const cost = mulDiv(amount, numberToFixed(f.price, QTY_DP, "price"), pow10(QTY_DP));
        const fees: TradeFee[] = [];
        if (f.feeAsset === undefined || f.feeAmount === undefined) {
          fees.push({ currency: quote, amount: numberToFixed(f.fee, QTY_DP, "fee") });
        } else {
          const fee: TradeFee = { currency: f.feeAsset, amount: numberToFixed(f.feeAmount, QTY_DP, "feeAmount") };
          if (par.has(quote) && f.feeAsset !== base && f.feeAsset !== quote) {
            fee.value = numberToFixed(f.fee, MONEY_DP, "fee");
          }
          fees.push(fee);
        }
        out.push(
          ...await tradeEvents({
            id: `${account}#${ev.seq}`,
            time: f.ts,
            base,
            quote,
            side: f.side,
            amount,
            cost,
            fees,
            source: { account, seq: ev.seq, ref: f.clientOrderId },
            what: `${account} fill seq ${ev.seq} (${f.symbol} ${f.side}, order ${f.clientOrderId})`,
          }, rules),
        );
      } catch (e) {
        throw new TaxInputError(file, ev.seq, (e as Error).message, { cause: e });
      }
    }
    if (page.length < PAGE) break;
    after = page[page.length - 1]!.seq;
  }
  return out;
}
