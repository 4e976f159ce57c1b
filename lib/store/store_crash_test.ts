import assert from "node:assert/strict";
import { join } from "node:path";
import { CRASH_ID, crashBar } from "./_crash_data.ts";
import { encodeSymbol } from "./_paths.ts";
import { Store } from "./mod.ts";

const BATCH = 250;
const CHILD = new URL("./_crash_child.ts", import.meta.url).pathname;
const CONFIG = new URL("../../deno.json", import.meta.url).pathname;

/** Every stored bar is bar i at row i, bit for bit, and whole appends only: the count is a multiple of BATCH. */
async function checkConsistent(store: Store): Promise<number> {
  const last = await store.lastTs(CRASH_ID);
  if (last === undefined) return 0;
  const f = await store.read(CRASH_ID);
  assert.equal(f.length % BATCH, 0, `a partial append is visible: ${f.length} bars`);
  const { ts, open, high, low, close, volume } = f;
  for (let i = 0; i < f.length; i++) {
    const b = crashBar(i);
    if (
      ts[i] !== b.ts || open[i] !== b.open || high[i] !== b.high || low[i] !== b.low || close[i] !== b.close ||
      volume[i] !== b.volume
    ) {
      assert.fail(`row ${i} is wrong: ${ts[i]} ${open[i]} ... expected ${JSON.stringify(b)}`);
    }
  }
  return f.length;
}

Deno.test("SIGKILL during appends and merges never leaves torn data; readers meanwhile see whole commits", async () => {
  const dir = await Deno.makeTempDir({ prefix: "store_crash_" });
  const seriesDir = join(dir, CRASH_ID.exchange, encodeSymbol(CRASH_ID.symbol), CRASH_ID.timeframe);
  const reader = await Store.open({ dir });
  let previous = 0, reads = 0;
  try {
    for (let round = 0; round < 8; round++) {
      const child = new Deno.Command(Deno.execPath(), {
        args: ["run", "-A", "--config", CONFIG, CHILD, dir, String(BATCH)],
        stdout: "null",
        stderr: "inherit",
      }).spawn();
      // Read concurrently until the child has made progress, then a random while longer, then kill it.
      const killAfter = 100 + Math.random() * 700;
      let progressAt = 0;
      const deadline = Date.now() + 30_000;
      while (Date.now() < deadline) {
        const n = await checkConsistent(reader);
        reads++;
        if (n > previous && progressAt === 0) progressAt = Date.now();
        if (progressAt > 0 && Date.now() - progressAt >= killAfter) break;
        await new Promise((r) => setTimeout(r, 10));
      }
      child.kill("SIGKILL");
      const status = await child.status;
      assert.equal(status.signal, "SIGKILL", "the writer died on its own (see its stderr above)");

      // A fresh open cleans up after the killed writer; then everything must read back consistent.
      const fresh = await Store.open({ dir });
      try {
        const n = await checkConsistent(fresh);
        assert.ok(n > previous, `round ${round}: no progress (${n} bars)`);
        previous = n;
        const info = await fresh.info(CRASH_ID);
        assert.equal(info?.bars, n);
        assert.equal(info?.source, "crash-test");
        const manifest = JSON.parse(await Deno.readTextFile(join(seriesDir, "manifest.json")));
        const listed = new Set<string>(manifest.parts.map((p: { file: string }) => p.file));
        for await (const e of Deno.readDir(seriesDir)) {
          assert.ok(
            e.name === "manifest.json" || e.name === ".lock" || listed.has(e.name),
            `round ${round}: leftover file ${e.name}`,
          );
        }
        for (const f of listed) await Deno.stat(join(seriesDir, f)); // the catalog never points at a missing file
      } finally {
        fresh.close();
      }
    }
    assert.ok(reads > 6, `the reader ran ${reads} times`);
  } finally {
    reader.close();
    await Deno.remove(dir, { recursive: true });
  }
});
