import assert from "node:assert/strict";
import { AuditLog, replay } from "../audit/mod.ts";
import { ackReconciliation, createAccount, pauseAccount, resumeAccount } from "./mod.ts";
import { withDataDir } from "./_test_helpers.ts";
import { mismatchEvent } from "../audit/_test_events.ts";

const MISMATCH = mismatchEvent();

function appendMismatch(dataDir: string): number {
  using log = AuditLog.open({ dataDir, account: "live-1" });
  return log.append(MISMATCH).seq;
}

function state(dataDir: string): ReturnType<typeof replay> {
  using log = AuditLog.open({ dataDir, account: "live-1", readOnly: true });
  return replay(log.events());
}

Deno.test("ackReconciliation: the latest waiting reconciliation is acknowledged; resume could not lift it", () =>
  withDataDir((dataDir) => {
    createAccount({ dataDir, name: "live-1", kind: "live", cash: 10_000 });
    const first = appendMismatch(dataDir);
    const second = appendMismatch(dataDir);
    assert.equal(state(dataDir).tradingState, "reducing");
    resumeAccount({ dataDir, name: "live-1", reason: "looks fine" });
    assert.equal(state(dataDir).tradingState, "reducing", "a resume does not lift a reconciliation hold");

    assert.throws(
      () => ackReconciliation({ dataDir, name: "live-1", reconciliationSeq: 1, reason: "x" }),
      new RegExp(`reconciliation 1 of live-1 is not waiting .*waiting: ${first}, ${second}`),
    );
    const r = ackReconciliation({
      dataDir,
      name: "live-1",
      reason: "the stray sell was placed by hand on the website; cancelled it",
      operator: "ops-1",
      now: 1_000,
    });
    assert.equal(r.changed, true);
    assert.equal(r.before, "reducing");
    assert.equal(r.tradingState, "active", "both waiting reports are acknowledged by the later one");
    assert.match(r.message, new RegExp(`acknowledged reconciliation ${second}: the stray sell`));
    using log = AuditLog.open({ dataDir, account: "live-1", readOnly: true });
    const ack = log.query({ kinds: ["operator_ack"] });
    assert.deepEqual(ack.map((e) => e.payload), [{
      reconciliationSeq: second,
      note: "the stray sell was placed by hand on the website; cancelled it",
      operator: "ops-1",
    }]);
    assert.deepEqual(state(dataDir).unacknowledgedReconciliations, []);
    assert.equal(ackReconciliation({ dataDir, name: "live-1" }).changed, false, "nothing waits any more");
  }));

Deno.test("ackReconciliation: an earlier report acknowledged leaves the later one waiting; a pause stays", () =>
  withDataDir((dataDir) => {
    createAccount({ dataDir, name: "live-1", kind: "live", cash: 10_000 });
    pauseAccount({ dataDir, name: "live-1", reason: "FOMC" });
    const first = appendMismatch(dataDir);
    const second = appendMismatch(dataDir);
    const r = ackReconciliation({ dataDir, name: "live-1", reconciliationSeq: first, reason: "checked the first" });
    assert.equal(r.tradingState, "reducing");
    assert.match(r.message, new RegExp(`still waiting: ${second}`));
    const s = ackReconciliation({ dataDir, name: "live-1", reason: "checked the second" });
    assert.equal(s.tradingState, "reducing", "the operator's pause is still in force");
    assert.deepEqual(state(dataDir).unacknowledgedReconciliations, []);
  }));
