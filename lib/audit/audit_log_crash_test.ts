// Crash safety: a writer killed with SIGKILL at random points leaves a log that verifies, with contiguous seqs and
// every event whose append had returned; two processes appending at once keep one chain.
import assert from "node:assert/strict";
import { AuditLog } from "./mod.ts";

const CHILD = new URL("./_append_child.ts", import.meta.url).pathname;

function spawnWriter(
  dataDir: string,
  runId: string,
): { child: Deno.ChildProcess; seen: () => number; ready: Promise<void> } {
  const child = new Deno.Command(Deno.execPath(), {
    args: ["run", "-A", CHILD, dataDir, "paper-1", runId],
    stdout: "piped",
    stderr: "null",
  }).spawn();
  let last = 0;
  const ready = Promise.withResolvers<void>();
  (async () => {
    let buf = "";
    const dec = new TextDecoder();
    for await (const chunk of child.stdout) {
      buf += dec.decode(chunk, { stream: true });
      const lines = buf.split("\n");
      buf = lines.pop()!;
      for (const l of lines) if (l) last = Number(l);
      if (last > 0) ready.resolve();
    }
    ready.resolve();
  })();
  return { child, seen: () => last, ready: ready.promise };
}

Deno.test("crash: 10 writers SIGKILLed at random points; each time the log verifies, seqs are contiguous, nothing returned is lost", async () => {
  const dataDir = await Deno.makeTempDir({ prefix: "audit-crash-" });
  try {
    for (let round = 0; round < 10; round++) {
      const w = spawnWriter(dataDir, `crash-${round}`);
      await w.ready;
      await new Promise((r) => setTimeout(r, Math.random() * 150));
      w.child.kill("SIGKILL");
      await w.child.status;
      await new Promise((r) => setTimeout(r, 20)); // let the reader drain the pipe
      const acknowledged = w.seen();
      using ro = AuditLog.open({ dataDir, account: "paper-1", readOnly: true });
      const v = ro.verify();
      assert.equal(v.ok, true, `round ${round}: ${JSON.stringify(v)}`);
      const seqs = [...ro.events()].map((e) => e.seq);
      assert.deepEqual(seqs, seqs.map((_, i) => i + 1), `round ${round}: seqs are not contiguous`);
      assert.ok(seqs.length >= acknowledged, `round ${round}: ${acknowledged} returned, only ${seqs.length} stored`);
    }
  } finally {
    await Deno.remove(dataDir, { recursive: true });
  }
});

Deno.test("crash: two processes appending to one account at once interleave whole events in one chain", async () => {
  const dataDir = await Deno.makeTempDir({ prefix: "audit-2w-" });
  try {
    AuditLog.open({ dataDir, account: "paper-1" }).close();
    const a = spawnWriter(dataDir, "writer-a");
    const b = spawnWriter(dataDir, "writer-b");
    await Promise.all([a.ready, b.ready]);
    await new Promise((r) => setTimeout(r, 400));
    a.child.kill("SIGKILL");
    b.child.kill("SIGKILL");
    await Promise.all([a.child.status, b.child.status]);
    using ro = AuditLog.open({ dataDir, account: "paper-1", readOnly: true });
    const v = ro.verify();
    assert.equal(v.ok, true, JSON.stringify(v));
    const runs = new Set([...ro.events()].map((e) => e.runId));
    assert.deepEqual([...runs].sort(), ["writer-a", "writer-b"]);
  } finally {
    await Deno.remove(dataDir, { recursive: true });
  }
});
