/**
 * Audit log speed (lib/audit), on the local disk (SQLite WAL, synchronous=FULL: every commit is fsynced).
 *
 * - "append": one event per commit (fsync + head anchor), and the runner's decision cycle (bar, signal, decision,
 *   verdict, intent: 5 events) as one group commit: issue 8's "bar in -> audit-logged order out" budget is p99 <= 5 ms.
 * - "batch": appendMany of 1,000 events (one transaction).
 * - "100k": verify and replay of a 100,000-event log (built once, before the timings).
 *
 *   ./denow bench -A bench/audit_bench.ts
 */
import { AuditLog, replay } from "../lib/audit/mod.ts";
import { sampleEvents } from "../lib/audit/_test_events.ts";

const dataDir = Deno.makeTempDirSync({ prefix: "audit-bench-" });
globalThis.addEventListener("unload", () => Deno.removeSync(dataDir, { recursive: true }));

const live = AuditLog.open({ dataDir, account: "live" });
const pool = sampleEvents(800);
let i = 0;

Deno.bench("append: 1 event, committed with fsync, anchor written", { group: "append", baseline: true }, () => {
  live.append(pool[i++ % pool.length]!);
});

const synced = AuditLog.open({ dataDir, account: "synced", anchorSync: true });
Deno.bench("append: 1 event, anchorSync (a second fsync for the anchor)", { group: "append" }, () => {
  synced.append(pool[i++ % pool.length]!);
});

const cycle = sampleEvents(5); // bar, signal, decision, order_intent, risk_verdict
Deno.bench("append: decision cycle (5 events, one group commit)", { group: "append" }, () => {
  live.appendMany(cycle);
});

const batch = sampleEvents(1_000);
Deno.bench("appendMany: 1,000 events, one transaction", { group: "batch", n: 50 }, () => {
  live.appendMany(batch);
});

const big = AuditLog.open({ dataDir, account: "big" });
const chunk = sampleEvents(10_000);
for (let k = 0; k < 10; k++) big.appendMany(chunk);
const events = [...big.events()];
if (events.length !== 100_000) throw new Error(`expected 100k events, got ${events.length}`);

Deno.bench("verify: 100,000 events", { group: "100k", n: 5, warmup: 1 }, () => {
  const r = big.verify();
  if (!r.ok) throw new Error(r.reason);
});

Deno.bench("replay: 100,000 events (in memory)", { group: "100k", n: 10, warmup: 1 }, () => {
  replay(events);
});

Deno.bench("replay: 100,000 events read from the log", { group: "100k", n: 5, warmup: 1 }, () => {
  replay(big.events());
});
