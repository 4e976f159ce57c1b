import assert from "node:assert/strict";
import { join } from "node:path";
import { z } from "zod";
import { defineStrategy, strategyCodeHash } from "../strategies/mod.ts";
import { priceCross } from "./_test_helpers.ts";
import { resolvePromotedStrategy, saveStrategy } from "./mod.ts";

async function tempDir<T>(fn: (dir: string) => Promise<T>): Promise<T> {
  const dir = await Deno.makeTempDir({ prefix: "saved-strategies-" });
  try {
    return await fn(dir);
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
}

Deno.test("saveStrategy: a notebook strategy round-trips through its file with the same code hash", async () => {
  await tempDir(async (dir) => {
    const hash = await strategyCodeHash(priceCross);
    const saved = await saveStrategy(priceCross, { dir });
    assert.equal(saved.path, join(dir, `price_cross-${hash.slice(0, 12)}.js`));
    assert.equal(saved.codeHash, hash);
    assert.equal(await strategyCodeHash(saved.strategy), hash);
    assert.notEqual(saved.strategy, priceCross);
    assert.equal(saved.created, true);
    const text = await Deno.readTextFile(saved.path);
    assert.match(text, /^\/\/ deno-lint-ignore-file\n\/\/ deno-fmt-ignore-file\n/);
    assert.match(text, /export const codeHash = "[0-9a-f]{64}";/);
    // The loaded strategy computes what the object does.
    const { goog } = await import("./_test_helpers.ts");
    const frame = (await goog()).slice(0, 300);
    const a = priceCross.signals(frame, { period: 20 }), b = saved.strategy.signals(frame, { period: 20 });
    assert.deepEqual(a, b);
    // Saving again finds the identical file.
    assert.equal((await saveStrategy(priceCross, { dir })).created, false);
    // And resolving the promoted version loads it.
    const resolved = await resolvePromotedStrategy("price_cross", hash, { strategiesDir: dir });
    assert.equal(await strategyCodeHash(resolved), hash);
  });
});

Deno.test("saveStrategy: refinements keep their source, path and message", async () => {
  await tempDir(async (dir) => {
    const two = defineStrategy({
      name: "two_periods",
      title: "Two periods",
      description: "Never trades; its params have a cross-field rule.",
      signals: (frame) => ({
        kind: "signals",
        entries: new Uint8Array(frame.length),
        exits: new Uint8Array(frame.length),
      }),
      params: z.object({ fast: z.number().int().min(1).default(5), slow: z.number().int().min(2).default(20) })
        .refine((p) => p.fast < p.slow, { path: ["fast"], message: "fast must be below slow" }),
      warmup: (p) => p.slow,
    });
    const saved = await saveStrategy(two, { dir });
    assert.equal(saved.codeHash, await strategyCodeHash(two));
    const bad = saved.strategy.params.safeParse({ fast: 30, slow: 20 });
    assert.equal(bad.success, false);
    assert.deepEqual(bad.error?.issues.map((i) => [i.path.join("."), i.message]), [[
      "fast",
      "fast must be below slow",
    ]]);
  });
});

Deno.test("saveStrategy: a function using a variable from outside it is refused, and no file is left", async () => {
  await tempDir(async (dir) => {
    const threshold = 1.01; // a notebook-level constant the saved module cannot see
    const outside = defineStrategy({
      ...priceCross,
      name: "uses_outside",
      signals(frame) {
        const n = frame.length, entries = new Uint8Array(n), exits = new Uint8Array(n);
        for (let t = 1; t < n; t++) if (frame.close[t]! > frame.close[t - 1]! * threshold) entries[t] = 1;
        return { kind: "signals", entries, exits };
      },
    });
    await assert.rejects(saveStrategy(outside, { dir }), /trial run on synthetic bars: threshold is not defined/);
    assert.deepEqual([...Deno.readDirSync(dir)], []);
  });
});

Deno.test("saveStrategy: a different file of the same name is never overwritten", async () => {
  await tempDir(async (dir) => {
    const hash = await strategyCodeHash(priceCross);
    const path = join(dir, `price_cross-${hash.slice(0, 12)}.js`);
    await Deno.writeTextFile(path, "export default 1;\n");
    await assert.rejects(saveStrategy(priceCross, { dir }), /already exists with other content.*never overwritten/);
    assert.equal(await Deno.readTextFile(path), "export default 1;\n");
  });
});

Deno.test("resolvePromotedStrategy: a changed source or built-in is refused: promote the new version", async () => {
  await tempDir(async (dir) => {
    const saved = await saveStrategy(priceCross, { dir });
    const source = { path: saved.path, sha256: saved.sha256 };
    assert.equal(
      await strategyCodeHash(await resolvePromotedStrategy("price_cross", saved.codeHash, { source })),
      saved.codeHash,
    );
    // Someone edits the saved file: a different rule is a different version.
    const text = await Deno.readTextFile(saved.path);
    await Deno.writeTextFile(
      saved.path,
      text.replace("crossedAbove(frame.close, avg)", "crossedBelow(frame.close, avg)"),
    );
    await assert.rejects(
      resolvePromotedStrategy("price_cross", saved.codeHash, { source }),
      /strategy price_cross changed since its promotion \(hash [0-9a-f]{12} != [0-9a-f]{12}\): promote the new version/,
    );
    await assert.rejects(
      resolvePromotedStrategy("price_cross", saved.codeHash, { strategiesDir: dir }),
      /changed since its promotion/,
    );
    await assert.rejects(
      resolvePromotedStrategy("sma_cross", "ab".repeat(32)),
      /sma_cross changed since its promotion/,
    );
    await assert.rejects(
      resolvePromotedStrategy("nope", "ab".repeat(32), { strategiesDir: dir }),
      /neither a built-in nor saved/,
    );
  });
});
