// The lab after a restart: runs recorded by an earlier process (no in-memory cache) answer on every route,
// zero-trade and zero-order runs included.
import assert from "node:assert/strict";
import { createApp, JobQueue } from "../lib/http/mod.ts";
import { RunRegistry } from "../lib/runs/mod.ts";
import { openLab, postJson } from "./_http_fixture.ts";

Deno.test("zero-trade and zero-order runs answer 200 on every run route after a lab restart", async () => {
  const lab = await openLab();
  let runs2: RunRegistry | undefined;
  let jobs2: JobQueue | undefined;
  try {
    const ids: Record<string, string> = {};
    const make = async (name: string, body: Record<string, unknown>) => {
      const res = await postJson(lab.app, "/api/backtests", { series: "samples:SPX:1d", ...body });
      const json = await res.json();
      assert.equal(res.status, 201, JSON.stringify(json));
      ids[name] = json.run_id;
      return json;
    };
    // 40 bars and a 39-bar slow average: at most one bar could signal, and none does.
    const zeroTrade = await make("zeroTrade", {
      strategy: "sma_cross",
      params: { fast: 5, slow: 39 },
      from: "2000-01-03",
      to: "2000-03-01",
    });
    assert.equal(zeroTrade.trades, 0);
    // Signals, but every order is under the minimum notional: no order at all.
    const zeroOrder = await make("zeroOrder", {
      strategy: "sma_cross",
      params: { fast: 10, slow: 50 },
      options: { minNotional: 1e12 },
    });
    assert.equal(zeroOrder.trades, 0);
    await make("normal", { strategy: "sma_cross", params: { fast: 10, slow: 50 } });

    // The restart: a new registry over the same folder and a new app; nothing cached survives.
    runs2 = await RunRegistry.open({ dir: lab.deps.runs.dir });
    jobs2 = new JobQueue();
    const app2 = createApp({ ...lab.deps, runs: runs2, jobs: jobs2 });
    for (const name of ["zeroTrade", "zeroOrder"]) {
      const id = ids[name]!;
      for (
        const path of [
          `/runs/${id}`,
          `/api/runs/${id}`,
          `/api/runs/${id}/stats.json`,
          `/api/runs/${id}/trades.csv`,
          `/api/runs/${id}/trades`,
          `/api/runs/${id}/equity`,
          `/api/runs/${id}/equity.parquet`,
          `/api/runs/compare?a=${id}&b=${ids.normal}`,
          `/runs/compare?a=${id}&b=${ids.normal}`,
        ]
      ) {
        const res = await app2.request(path);
        const text = await res.text();
        assert.equal(res.status, 200, `${name} ${path}: ${res.status} ${text.slice(0, 300)}`);
      }
      const trades = await (await app2.request(`/api/runs/${id}/trades`)).json();
      assert.deepEqual(trades.trades, []);
      const csv = await (await app2.request(`/api/runs/${id}/trades.csv`)).text();
      assert.equal(csv.trim().split("\n").length, 1, "trades.csv is the header only");
    }
  } finally {
    await jobs2?.shutdown();
    await runs2?.close();
    await lab.close();
  }
});
