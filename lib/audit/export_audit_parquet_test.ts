import assert from "node:assert/strict";
import { DuckDBInstance } from "@duckdb/node-api";
import { AuditLog, exportAuditParquet } from "./mod.ts";
import { sampleEvents } from "./_test_events.ts";

Deno.test("exportAuditParquet: DuckDB reads every event back with its columns, payload JSON and hashes", async () => {
  const dataDir = await Deno.makeTempDir({ prefix: "audit-pq-" });
  try {
    using log = AuditLog.open({ dataDir, account: "paper-1" });
    log.appendMany(sampleEvents(16));
    log.append({ kind: "pause", runId: "run-1", payload: { by: "rule", reason: "drawdown", rule: "max_dd" } });
    const out = `${dataDir}/audit.parquet`;
    assert.equal(await exportAuditParquet(log, out), 17);
    const db = await DuckDBInstance.create(":memory:");
    const conn = await db.connect();
    try {
      const r = await conn.runAndReadAll(
        `SELECT seq, ts, account, run_id, kind, correlation_id, payload, prev_hash, hash, typeof(seq) AS t
         FROM read_parquet('${out}') ORDER BY seq`,
      );
      const rows = r.getRowObjectsJS();
      assert.equal(rows.length, 17);
      const stored = log.query();
      rows.forEach((row, i) => {
        const e = stored[i]!;
        assert.equal(row.seq, BigInt(e.seq));
        assert.equal(row.ts, BigInt(e.ts));
        assert.equal(row.kind, e.kind);
        assert.equal(row.run_id, e.runId);
        assert.equal(row.account, "paper-1");
        assert.equal(row.correlation_id, e.correlationId ?? null);
        assert.deepEqual(JSON.parse(String(row.payload)), e.payload);
        assert.equal(row.prev_hash, e.prevHash);
        assert.equal(row.hash, e.hash);
        assert.equal(row.t, "BIGINT");
      });
      const q = await conn.runAndReadAll(
        `SELECT sum(CAST(json_extract(payload, '$.qty') AS DOUBLE)) AS q FROM read_parquet('${out}') WHERE kind = 'order_filled'`,
      );
      assert.equal(q.getRowObjectsJS()[0]!.q, 2);
    } finally {
      conn.closeSync();
      db.closeSync();
    }
  } finally {
    await Deno.remove(dataDir, { recursive: true });
  }
});
