import assert from "node:assert/strict";
import { JUPYTER_DISPLAY } from "../types/mod.ts";
import { statsTable } from "./stats_table.ts";
import { StatsTableView } from "./stats_table_view.ts";

Deno.test("StatsTableView displays itself in Jupyter as HTML and plain text", () => {
  const t = statsTable({ sharpe: 1.5, total_return: 0.1, "<b>x</b>": 1 });
  assert.ok(t instanceof StatsTableView);
  const bundle = t[JUPYTER_DISPLAY]();
  assert.deepEqual(Object.keys(bundle).sort(), ["text/html", "text/plain"]);
  assert.equal(bundle["text/plain"], "Total return  10.00%\nSharpe        1.50\n<b>x</b>      1");
  assert.match(bundle["text/html"]!, /^<table class="sentinel-stats"><tbody><tr><th[^>]*>Total return<\/th>/);
  assert.ok(bundle["text/html"]!.includes("&lt;b&gt;x&lt;/b&gt;"));
  assert.ok(!bundle["text/html"]!.includes("<b>x"));
  assert.equal(String(t), bundle["text/plain"]);
});
