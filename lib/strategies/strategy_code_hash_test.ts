import assert from "node:assert/strict";
import { z } from "zod";
import { builtinStrategies } from "./builtin_strategies.ts";
import { defineStrategy } from "./define_strategy.ts";
import { smaCross } from "./sma_cross.ts";
import { strategyCodeHash } from "./strategy_code_hash.ts";

Deno.test("strategyCodeHash: stable, distinct per strategy", async () => {
  const hashes = await Promise.all(builtinStrategies.map((s) => strategyCodeHash(s)));
  assert.equal(new Set(hashes).size, builtinStrategies.length);
  assert.deepEqual(await Promise.all(builtinStrategies.map((s) => strategyCodeHash(s))), hashes);
});

Deno.test("strategyCodeHash: changes with the code, the params, the refinements and the version", async () => {
  const base = await strategyCodeHash(smaCross);
  // same name, different signals code
  const tweaked = defineStrategy({
    ...smaCross,
    signals: (frame) => ({
      kind: "signals",
      entries: new Uint8Array(frame.length),
      exits: new Uint8Array(frame.length),
    }),
  });
  assert.notEqual(await strategyCodeHash(tweaked), base);
  // a different default
  const slower = defineStrategy({
    ...smaCross,
    params: z.object({ fast: z.number().int().min(1).default(10), slow: z.number().int().min(2).default(40) }),
  });
  const slower2 = defineStrategy({
    ...smaCross,
    params: z.object({ fast: z.number().int().min(1).default(10), slow: z.number().int().min(2).default(40) })
      .refine((p) => p.fast < p.slow),
  });
  const h1 = await strategyCodeHash(slower);
  const h2 = await strategyCodeHash(slower2);
  assert.notEqual(h1, base);
  assert.notEqual(h2, h1, "a refinement is part of the params' code");
  assert.notEqual(await strategyCodeHash(defineStrategy({ ...smaCross, version: "2" })), base);
});
