// Test helper run as a child process: appends to an account forever (single events and group commits), printing
// each returned seq, until it is killed. Used by the crash and concurrent-writer tests.
import { AuditLog } from "./audit_log.ts";
import { sampleEvents } from "./_test_events.ts";

if (import.meta.main) {
  const [dataDir, account, runId] = Deno.args;
  const log = AuditLog.open({ dataDir: dataDir!, account: account!, busyTimeoutMs: 10_000 });
  const pool = sampleEvents(64, runId ?? "crash");
  const out = Deno.stdout;
  const enc = new TextEncoder();
  for (let i = 0;; i++) {
    const n = i % 3 === 0 ? 1 + (i % 17) : 1;
    const batch = Array.from({ length: n }, (_, k) => pool[(i + k) % pool.length]!);
    const stored = n === 1 ? [log.append(batch[0]!)] : log.appendMany(batch);
    out.writeSync(enc.encode(`${stored.at(-1)!.seq}\n`));
  }
}
