import { writeParquet } from "../runs/mod.ts";
import type { AuditLog } from "./audit_log.ts";

/**
 * Writes an account's events to a Parquet file for DuckDB (atomically, through the runs module's writer): one row per
 * event, columns `seq` and `ts` (BIGINT), `account`, `run_id`, `kind`, `correlation_id` (NULL when absent), `payload`
 * (the JSON text), `prev_hash`, `hash`. The hashes are exported as stored, so a reader can check the chain again.
 * Returns the number of rows.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { AuditLog, exportAuditParquet } from "./mod.ts";
 * const dataDir = await Deno.makeTempDir();
 * using log = AuditLog.open({ dataDir, account: "paper-1" });
 * log.append({ kind: "resume", runId: "r1", payload: { by: "operator", reason: "start" } });
 * assert.equal(await exportAuditParquet(log, `${dataDir}/audit.parquet`), 1);
 * await Deno.remove(dataDir, { recursive: true });
 * ```
 */
export async function exportAuditParquet(log: AuditLog, path: string): Promise<number> {
  const seq: bigint[] = [];
  const ts: bigint[] = [];
  const account: string[] = [];
  const runId: string[] = [];
  const kind: string[] = [];
  const correlationId: (string | null)[] = [];
  const payload: string[] = [];
  const prevHash: string[] = [];
  const hash: string[] = [];
  for (const e of log.events()) {
    seq.push(BigInt(e.seq));
    ts.push(BigInt(e.ts));
    account.push(e.account);
    runId.push(e.runId);
    kind.push(e.kind);
    correlationId.push(e.correlationId ?? null);
    payload.push(JSON.stringify(e.payload));
    prevHash.push(e.prevHash);
    hash.push(e.hash);
  }
  await writeParquet(path, {
    seq: BigInt64Array.from(seq),
    ts: BigInt64Array.from(ts),
    account,
    run_id: runId,
    kind,
    correlation_id: correlationId,
    payload,
    prev_hash: prevHash,
    hash,
  });
  return seq.length;
}
