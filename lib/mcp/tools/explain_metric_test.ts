import assert from "node:assert/strict";
import { STATS } from "../../metrics/stats.ts";
import { callTool } from "./_data_testing.ts";
import { explainMetric } from "./explain_metric.ts";

interface Out {
  key: string;
  annualized: boolean;
  definition: string;
  conventionFrom: string[];
  annualization: string;
  higherIsBetter: boolean | null;
}

Deno.test("explain_metric: definition, convention and annualization of every stat", async () => {
  for (const s of STATS) {
    const { structured } = await callTool<Out>(explainMetric, { metric: s.key }, ".");
    assert.equal(structured.key, s.key);
    assert.equal(structured.definition, s.doc);
    assert.equal(structured.annualized, s.annualized === true);
  }
  const sharpe = (await callTool<Out>(explainMetric, { metric: "Sharpe" }, ".")).structured;
  assert.match(sharpe.annualization, /sqrt\(periodsPerYear\)/);
  assert.ok(sharpe.conventionFrom.length > 0);
  assert.equal((await callTool<Out>(explainMetric, { metric: "max drawdown" }, ".")).structured.key, "max_drawdown");
});

Deno.test("explain_metric: an unknown metric names the argument, suggests and lists keys", async () => {
  await assert.rejects(callTool(explainMetric, { metric: "sharp" }, "."), /^RangeError: metric: .*did you mean sharpe/);
  assert.equal(explainMetric.input.safeParse({ metric: "" }).success, false);
});
