import assert from "node:assert/strict";
import { statsTable } from "./stats_table.ts";

Deno.test("statsTable: registry order first, then unknown keys; formatted text", () => {
  const t = statsTable({ custom: 2, sharpe: 1.5, max_drawdown: -0.1, total_return: 0.5 });
  assert.deepEqual(t.rows.map((r) => r.key), ["total_return", "sharpe", "max_drawdown", "custom"]);
  assert.deepEqual(t.rows.map((r) => r.text), ["50.00%", "1.50", "\u221210.00%", "2"]);
  assert.equal(t.rows[1]!.title, "Sharpe");
  assert.equal(t.rows[1]!.value, 1.5);
  assert.equal(statsTable({}).rows.length, 0);
});
