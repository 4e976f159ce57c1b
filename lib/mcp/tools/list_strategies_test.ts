import assert from "node:assert/strict";
import { z } from "zod";
import { defineStrategy } from "../../strategies/define_strategy.ts";
import { registry } from "../../strategies/registry.ts";
import { callTool } from "./_data_testing.ts";
import { listStrategies } from "./list_strategies.ts";

interface Out {
  strategies: {
    name: string;
    kind: string;
    warmupBars: number | null;
    params: {
      name: string;
      type: string;
      default: unknown;
      min?: number;
      max?: number;
      pattern?: string;
      maxLength?: number;
    }[];
  }[];
}

Deno.test("list_strategies: every registered strategy with param types, defaults and ranges", async () => {
  const { structured } = await callTool<Out>(listStrategies, {}, ".");
  assert.deepEqual(structured.strategies.map((s) => s.name), registry.list().map((s) => s.name));
  const sma = structured.strategies.find((s) => s.name === "sma_cross")!;
  assert.equal(sma.kind, "single");
  assert.deepEqual(sma.params.map((p) => [p.name, p.type, p.default, p.min]), [["fast", "int", 10, 1], [
    "slow",
    "int",
    30,
    2,
  ]]);
  assert.ok(structured.strategies.some((s) => s.kind === "portfolio"));
});

Deno.test("list_strategies: one by name; an unknown name lists the registered ones", async () => {
  const { structured } = await callTool<Out>(listStrategies, { name: "rsi_reversion" }, ".");
  assert.equal(structured.strategies.length, 1);
  await assert.rejects(callTool(listStrategies, { name: "martingale" }, "."), /^RangeError: name: .*sma_cross/);
});

Deno.test("list_strategies: a string param with its pattern and length", async () => {
  // Each test file runs in its own isolate, so this registration does not leak into other files.
  registry.register(defineStrategy({
    name: "string_param_test",
    title: "String param test",
    description: "A free-text param; never trades.",
    params: z.object({
      personas: z.string().regex(/^[a-z_]+(,[a-z_]+)*$/).max(200).default("trend_follower").describe("Personas"),
    }),
    warmup: () => 0,
    signals: (frame) => ({
      kind: "signals",
      entries: new Uint8Array(frame.length),
      exits: new Uint8Array(frame.length),
    }),
  }));
  const { structured } = await callTool<Out>(listStrategies, { name: "string_param_test" }, ".");
  // as a client receives it (JSON drops the absent enum options)
  assert.deepEqual(JSON.parse(JSON.stringify(structured.strategies[0]!.params)), [{
    name: "personas",
    type: "string",
    default: "trend_follower",
    pattern: "^[a-z_]+(,[a-z_]+)*$",
    maxLength: 200,
    description: "Personas",
  }]);
});
