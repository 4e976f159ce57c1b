import assert from "node:assert/strict";
import { z } from "zod";
import { defineStrategy } from "./define_strategy.ts";
import { definePortfolioStrategy } from "./define_portfolio_strategy.ts";
import type { Strategy } from "./strategy.ts";

const ok: Strategy<{ n: number }> = {
  name: "ok_strategy",
  title: "OK",
  description: "Never trades.",
  params: z.object({ n: z.number().int().min(1).default(3) }),
  warmup: (p) => p.n,
  signals: (frame) => ({ kind: "signals", entries: new Uint8Array(frame.length), exits: new Uint8Array(frame.length) }),
};

Deno.test("defineStrategy: marks the kind and freezes the object", () => {
  const s = defineStrategy(ok);
  assert.equal(s.kind, "single");
  assert.ok(Object.isFrozen(s));
  assert.deepEqual(s.params.parse({}), { n: 3 });
});

Deno.test("defineStrategy: refuses malformed definitions with the problem named", () => {
  assert.throws(() => defineStrategy({ ...ok, name: "okStrategy" }), {
    name: "TypeError",
    message: 'strategy "okStrategy": name must be snake_case (like "sma_cross"), got "okStrategy"',
  });
  assert.throws(() => defineStrategy({ ...ok, description: " " }), /description must be a non-empty sentence/);
  assert.throws(
    () => defineStrategy({ ...ok, params: z.object({ n: z.number().int() }) }),
    /param "n" has no default; give it \.default\(value\)/,
  );
  assert.throws(
    () =>
      defineStrategy({
        ...ok,
        params: z.object({ n: z.number().default(5) }).refine((p) => p.n < 3, { message: "n must be < 3" }),
      }),
    {
      message: 'strategy "ok_strategy": the default params do not validate (n must be < 3); fix the .default() values',
    },
  );
  assert.throws(() => defineStrategy({ ...ok, warmup: () => -1 }), /warmup\(defaults\) must be a non-negative integer/);
  assert.throws(() => defineStrategy({ ...ok, signals: undefined as never }), /signals\(\.\.\.\) must be a function/);
});

Deno.test("definePortfolioStrategy: marks the kind and checks weights", () => {
  const { signals: _signals, kind: _kind, ...rest } = ok;
  const weights = () => ({});
  const p = definePortfolioStrategy({ ...rest, weights });
  assert.equal(p.kind, "portfolio");
  assert.throws(
    () => definePortfolioStrategy({ ...rest, weights: undefined as never }),
    /weights\(\.\.\.\) must be a function/,
  );
});
