// A lab over a temp data dir with one paper account whose audit log holds BTC fills over two years, for the tax
// pages' and API's tests.
import type { Hono } from "hono";
import { createAccount } from "../accounts/mod.ts";
import { AuditLog } from "../audit/mod.ts";
import { RunRegistry } from "../runs/mod.ts";
import { Store } from "../store/mod.ts";
import { createApp } from "./create_app.ts";
import { JobQueue } from "./job_queue.ts";

/** What the tests get; `close()` shuts the lab down and removes the folder. */
export interface TaxLab {
  app: Hono;
  dir: string;
  close(): Promise<void>;
}

/**
 * Fills of `paper-1`, fees in USDT (at par): buy 1 BTC at 100 (fee 0.1) on 2024-01-02, buy 2 at 110 (fee 0.22) on
 * 2024-06-03, sell 1.5 at 150 (fee 0.225) on 2025-03-01. FIFO for 2025: net proceeds 224.775 round to 224.78 (half to
 * even), shared by quantity: 1 BTC of the first lot long-term (proceeds 149.85, basis 100.10, gain 49.75) and 0.5 of
 * the second short-term (the rest, 74.93; basis 0.5/2 of 220.22 = 55.055 -> 55.06; gain 19.87).
 */
export function seedTaxAccount(dataDir: string, name = "paper-1"): void {
  createAccount({ dataDir, name, kind: "paper", cash: 10_000, now: Date.UTC(2024, 0, 1) });
  using log = AuditLog.open({ dataDir, account: name });
  const fill = (id: string, side: "buy" | "sell", qty: number, price: number, fee: number, ts: number) => ({
    kind: "order_filled" as const,
    runId: "r1",
    ts,
    correlationId: id,
    payload: { clientOrderId: id, symbol: "BTC/USDT", side, qty, price, fee, ts },
  });
  log.appendMany([
    { kind: "run_started", runId: "r1", ts: Date.UTC(2024, 0, 2), payload: { mode: "paper", startingCash: 10_000 } },
    fill("o1", "buy", 1, 100, 0.1, Date.UTC(2024, 0, 2, 15)),
    fill("o2", "buy", 2, 110, 0.22, Date.UTC(2024, 5, 3, 15)),
    fill("o3", "sell", 1.5, 150, 0.225, Date.UTC(2025, 2, 1, 15)),
  ]);
}

/** A lab over a fresh data dir holding {@link seedTaxAccount}'s account. */
export async function openTaxLab(): Promise<TaxLab> {
  const dir = await Deno.makeTempDir({ prefix: "tax-lab-" });
  seedTaxAccount(dir);
  const store = await Store.open({ dir });
  const runs = await RunRegistry.open({ dir: `${dir}/_runs` });
  const jobs = new JobQueue();
  return {
    app: createApp({ store, runs, jobs }),
    dir,
    async close() {
      await jobs.shutdown();
      await runs.close();
      store.close();
      await Deno.remove(dir, { recursive: true });
    },
  };
}
