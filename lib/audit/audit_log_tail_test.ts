import assert from "node:assert/strict";
import { AuditLog } from "./mod.ts";
import { sampleEvents } from "./_test_events.ts";

Deno.test("tail: follows live across a writer restart and a follower restart; none lost, none seen twice", async () => {
  const dataDir = await Deno.makeTempDir({ prefix: "audit-tail-" });
  try {
    const events = sampleEvents(40);
    let writer = AuditLog.open({ dataDir, account: "paper-1" });
    writer.appendMany(events.slice(0, 5));
    const seen: number[] = [];

    // Follower 1 reads the backlog, then new events live; it stops (restarts) after seq 12.
    const stop1 = new AbortController();
    const follower1 = (async () => {
      using ro = AuditLog.open({ dataDir, account: "paper-1", readOnly: true });
      for await (const e of ro.tail({ afterSeq: 0, signal: stop1.signal, pollMs: 10 })) {
        seen.push(e.seq);
        if (e.seq === 12) return;
      }
    })();
    for (const e of events.slice(5, 10)) {
      writer.append(e);
      await new Promise((r) => setTimeout(r, 5));
    }
    writer.close(); // writer restart
    writer = AuditLog.open({ dataDir, account: "paper-1" });
    for (const e of events.slice(10, 20)) writer.append(e);
    await follower1;
    stop1.abort();

    // Follower 2 resumes from the last seq follower 1 saw, while the writer keeps going.
    const stop2 = new AbortController();
    const follower2 = (async () => {
      using ro = AuditLog.open({ dataDir, account: "paper-1", readOnly: true });
      for await (const e of ro.tail({ afterSeq: seen.at(-1)!, signal: stop2.signal, pollMs: 10 })) {
        seen.push(e.seq);
        if (e.seq === 40) stop2.abort();
      }
    })();
    for (const e of events.slice(20, 30)) writer.append(e);
    writer.close();
    writer = AuditLog.open({ dataDir, account: "paper-1" });
    writer.appendMany(events.slice(30, 40));
    await follower2;
    writer.close();
    assert.deepEqual(seen, Array.from({ length: 40 }, (_, i) => i + 1));
  } finally {
    await Deno.remove(dataDir, { recursive: true });
  }
});

Deno.test("tail: an abort while waiting ends the iterator promptly (no timer left behind)", async () => {
  const dataDir = await Deno.makeTempDir({ prefix: "audit-tail-" });
  try {
    using log = AuditLog.open({ dataDir, account: "paper-1" });
    const stop = new AbortController();
    setTimeout(() => stop.abort(), 30);
    const t0 = performance.now();
    for await (const _ of log.tail({ signal: stop.signal, pollMs: 10_000 })) assert.fail("the log is empty");
    assert.ok(performance.now() - t0 < 2_000);
  } finally {
    await Deno.remove(dataDir, { recursive: true });
  }
});
