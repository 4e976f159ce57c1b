import assert from "node:assert/strict";
import { join } from "node:path";
import { Frame } from "../frame/mod.ts";
import { CRASH_ID, revisedBar } from "./_crash_data.ts";
import { encodeSymbol } from "./_paths.ts";
import { Store } from "./mod.ts";

const N = 3000;
const CHILD = new URL("./_crash_replace_child.ts", import.meta.url).pathname;
const CONFIG = new URL("../../deno.json", import.meta.url).pathname;

/** The series holds all N bars of one single revision, bit for bit; returns that revision. */
async function revisionOf(store: Store): Promise<number> {
  const f = await store.read(CRASH_ID);
  assert.equal(f.length, N, `bars lost or added: ${f.length}`);
  const v = Math.round(f.open[0]! - revisedBar(0, 0).open);
  for (let i = 0; i < N; i++) {
    const b = revisedBar(i, v);
    if (
      f.ts[i] !== b.ts || f.open[i] !== b.open || f.high[i] !== b.high || f.low[i] !== b.low ||
      f.close[i] !== b.close || f.volume[i] !== b.volume
    ) {
      assert.fail(`row ${i} is not revision ${v}: a replace was seen half done`);
    }
  }
  return v;
}

Deno.test("SIGKILL during onConflict replace leaves one whole revision; readers never see a mix", async () => {
  const dir = await Deno.makeTempDir({ prefix: "store_crash_replace_" });
  const seriesDir = join(dir, CRASH_ID.exchange, encodeSymbol(CRASH_ID.symbol), CRASH_ID.timeframe);
  {
    // Revision 0 in several appends, so the series spans several parts.
    using seed = await Store.open({ dir, fanout: 2, rowGroupRows: 97 });
    for (let s = 0; s < N; s += 700) {
      const bars = Array.from({ length: Math.min(700, N - s) }, (_, k) => revisedBar(s + k, 0));
      await seed.append(CRASH_ID, Frame.fromBars(bars));
    }
  }
  const reader = await Store.open({ dir });
  let reads = 0;
  try {
    for (let round = 0; round < 4; round++) {
      const child = new Deno.Command(Deno.execPath(), {
        args: ["run", "-A", "--config", CONFIG, CHILD, dir, String(N)],
        stdout: "null",
        stderr: "inherit",
      }).spawn();
      const killAfter = 100 + Math.random() * 600;
      let progressAt = 0;
      const deadline = Date.now() + 30_000;
      while (Date.now() < deadline) {
        const v = await revisionOf(reader);
        reads++;
        if (v > 0 && progressAt === 0) progressAt = Date.now();
        if (progressAt > 0 && Date.now() - progressAt >= killAfter) break;
        await new Promise((r) => setTimeout(r, 10));
      }
      child.kill("SIGKILL");
      assert.equal((await child.status).signal, "SIGKILL", "the writer died on its own (see its stderr above)");

      using fresh = await Store.open({ dir });
      const v = await revisionOf(fresh);
      assert.ok(v > 0, `round ${round}: no replace committed`);
      const manifest = JSON.parse(await Deno.readTextFile(join(seriesDir, "manifest.json")));
      const listed = new Set<string>(manifest.parts.map((p: { file: string }) => p.file));
      for await (const e of Deno.readDir(seriesDir)) {
        assert.ok(
          e.name === "manifest.json" || e.name === ".lock" || listed.has(e.name),
          `round ${round}: leftover file ${e.name}`,
        );
      }
    }
    assert.ok(reads > 4, `the reader ran ${reads} times`);
  } finally {
    reader.close();
    await Deno.remove(dir, { recursive: true });
  }
});
