import type { LedgerEvent } from "./ledger_event.ts";
import { TaxInputError } from "./tax_input_error.ts";

/**
 * Specific identification from a lot-picks file: JSON `{ "<sell event id>": ["<lot id>", ...] }` sets each named
 * sell's `lots` (used in that order by the matcher's `specific` method). Returns new events (the input is not
 * changed); events not named keep their own `lots` (a CSV's `lots` column). `picks` is the parsed JSON, checked here.
 *
 * Errors, each a {@link TaxInputError} naming `file` and the id: picks that are not an object of string arrays; an
 * event id no event has; an event that is not a sell; an empty or repeated pick; a lot id that is not an acquisition
 * (a buy or income event) of the ledger, or is of another asset. Whether a lot is held at the sell (acquired before
 * it, not used up) is the matcher's to check.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { applyLotPicks, type LedgerEvent } from "./mod.ts";
 * const base = { asset: "BTC", qty: 1n, value: 0n, fee: 0n, source: {} };
 * const events: LedgerEvent[] = [
 *   { ...base, id: "b1", kind: "buy", time: 1 },
 *   { ...base, id: "b2", kind: "buy", time: 2 },
 *   { ...base, id: "s1", kind: "sell", time: 3 },
 * ];
 * assert.deepEqual(applyLotPicks(events, { s1: ["b2"] }, "picks.json")[2]!.lots, ["b2"]);
 * assert.throws(() => applyLotPicks(events, { s9: ["b1"] }, "picks.json"), /^TaxInputError: picks\.json: unknown event id "s9"/);
 * ```
 */
export function applyLotPicks(events: LedgerEvent[], picks: Record<string, string[]>, file: string): LedgerEvent[] {
  const fail = (reason: string): never => {
    throw new TaxInputError(file, 0, reason);
  };
  if (picks === null || typeof picks !== "object" || Array.isArray(picks)) {
    fail(`expected an object mapping a sell's event id to lot ids, like {"trades.csv:9": ["trades.csv:2"]}`);
  }
  const byId = new Map<string, LedgerEvent>();
  for (const e of events) byId.set(e.id, e);
  const chosen = new Map<string, string[]>();
  for (const [sellId, lots] of Object.entries(picks)) {
    const sell = byId.get(sellId);
    if (sell === undefined) fail(`unknown event id ${JSON.stringify(sellId)}: no event of the ledger has it`);
    if (sell!.kind !== "sell") {
      fail(`event ${JSON.stringify(sellId)} is a ${sell!.kind}, not a sell; only a sell's lots can be picked`);
    }
    if (!Array.isArray(lots) || lots.length === 0 || !lots.every((l) => typeof l === "string")) {
      fail(`the picks of ${JSON.stringify(sellId)} are not a non-empty array of lot ids`);
    }
    const seen = new Set<string>();
    for (const lotId of lots) {
      if (seen.has(lotId)) fail(`lot ${JSON.stringify(lotId)} is picked twice for ${JSON.stringify(sellId)}`);
      seen.add(lotId);
      const lot = byId.get(lotId);
      if (lot === undefined) {
        fail(
          `unknown lot id ${JSON.stringify(lotId)} picked for ${JSON.stringify(sellId)}: no event of the ledger has it`,
        );
      }
      if (lot!.kind !== "buy" && lot!.kind !== "income") {
        fail(
          `lot id ${JSON.stringify(lotId)} picked for ${JSON.stringify(sellId)} is a ${lot!.kind}; ` +
            `a lot is a buy or income event`,
        );
      }
      if (lot!.asset !== sell!.asset) {
        fail(
          `lot ${JSON.stringify(lotId)} is ${lot!.asset}, but ${JSON.stringify(sellId)} sells ${sell!.asset}`,
        );
      }
    }
    chosen.set(sellId, [...lots]);
  }
  return events.map((e) => {
    const lots = chosen.get(e.id);
    return lots === undefined ? e : { ...e, lots };
  });
}
