import assert from "node:assert/strict";
import { registry } from "../../strategies/registry.ts";
import { callTool } from "./_data_testing.ts";
import { listStrategies } from "./list_strategies.ts";

interface Out {
  strategies: {
    name: string;
    kind: string;
    warmupBars: number | null;
    params: { name: string; type: string; default: unknown; min?: number; max?: number }[];
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
