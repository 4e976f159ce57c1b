// Request validation of the lab's backtest and sweep routes (issue 7, item 9): everything a job
// would fail on is refused with a 400 before it is queued, with issues naming the field.
import assert from "node:assert/strict";
import { openLab, postForm, postJson } from "./_http_fixture.ts";

const SPX = "samples:SPX:1d";

interface ErrorBody {
  error: string;
  issues: { path: (string | number)[]; message: string }[];
}

async function refused(res: Response, path: string, message?: RegExp): Promise<ErrorBody> {
  const body = await res.json() as ErrorBody;
  assert.equal(res.status, 400, JSON.stringify(body));
  const paths = body.issues.map((i) => i.path.join("."));
  assert.ok(paths.includes(path), `issue at ${path} in ${JSON.stringify(body.issues)}`);
  if (message) assert.match(body.issues.find((i) => i.path.join(".") === path)!.message, message);
  return body;
}

Deno.test("sweep requests a job would fail on are 400 before queueing", async () => {
  const lab = await openLab();
  try {
    const { app } = lab;
    const sweep = (extra: Record<string, unknown>) =>
      postJson(app, "/api/sweeps", { series: SPX, strategy: "sma_cross", grid: { fast: "5..10:5" }, ...extra });
    await refused(await sweep({ metric: "nope" }), "json.metric", /sharpe/);
    await refused(await sweep({ grid: { fast: "10..1:-1" } }), "grid.fast", /a <= b|step/);
    await refused(await sweep({ grid: { fast: "a..b" } }), "grid.fast", /number/);
    await refused(await sweep({ grid: { fast: ["5", "10"] } }), "grid.fast", /number/);
    await refused(await sweep({ grid: { fast: "0..10:5" } }), "grid.fast", /fast/);
    await refused(
      await postJson(app, "/api/sweeps", `{"series":"${SPX}","strategy":"sma_cross","grid":{"__proto__":"1..3"}}`),
      "json.grid.__proto__",
    );
    await refused(await sweep({ walkForward: { train: 100, test: 1 } }), "json.walkForward.test", />=\s*2/);
    await refused(await sweep({ walkForward: { train: 1_000_000, test: 50 } }), "walkForward.train", /bars/);
    await refused(await sweep({ walkForward: { train: 4000, test: 500, folds: 50 } }), "walkForward.folds", /bars/);
    await refused(await sweep({ from: "1990-01-01", to: "1991-01-01" }), "from", /no bars|series runs/);
    // Nothing of the above reached the queue.
    assert.equal(lab.deps.jobs.list().length, 0);
    // A good one still goes.
    const ok = await sweep({ metric: "total_return" });
    assert.equal(ok.status, 202);
    await ok.body?.cancel();
  } finally {
    await lab.close();
  }
});

Deno.test("backtest params are strict: no string numbers, no unknown keys, no __proto__", async () => {
  const lab = await openLab();
  try {
    const { app } = lab;
    const bt = (params: unknown) => postJson(app, "/api/backtests", { series: SPX, strategy: "sma_cross", params });
    await refused(await bt({ fast: "10" }), "params.fast", /number|integer/);
    await refused(
      await postJson(app, "/api/backtests", `{"series":"${SPX}","strategy":"sma_cross","params":{"__proto__":5}}`),
      "json.params.__proto__",
    );
    await refused(
      await postJson(
        app,
        "/api/backtests",
        `{"series":"${SPX}","strategy":"sma_cross","params":{"__proto__":{"fast":3}}}`,
      ),
      "json.params.__proto__",
    );
    await refused(await bt({ nope: 1 }), "params.nope", /unknown/);
    await refused(await bt({ fast: true }), "params.fast");
    const ok = await bt({ fast: 10, slow: 30 });
    assert.equal(ok.status, 201);
    await ok.body?.cancel();
    // The HTML form sends text: it is converted by the field's type first, so it still works.
    const form = await postForm(app, "/backtests", {
      series: SPX,
      strategy: "sma_cross",
      "p.fast": "10",
      "p.slow": "30",
    });
    assert.equal(form.status, 303);
    const bad = await postForm(app, "/backtests", { series: SPX, strategy: "sma_cross", "p.fast": "ten" });
    assert.equal(bad.status, 400);
    assert.match(await bad.text(), /params\.fast/);
  } finally {
    await lab.close();
  }
});

Deno.test("the OpenAPI document states the limits the job applies", async () => {
  const lab = await openLab();
  try {
    const doc = await (await lab.app.request("/api/openapi.json")).json();
    const sweep = doc.components.schemas.SweepRequest;
    assert.equal(sweep.properties.walkForward.properties.test.minimum, 2);
    assert.equal(sweep.properties.walkForward.properties.train.minimum, 2);
    assert.ok(sweep.properties.metric.enum.includes("sharpe"));
    assert.ok(!sweep.properties.metric.enum.includes("nope"));
    const params = doc.components.schemas.BacktestRequest.properties.params;
    assert.ok(params.propertyNames?.pattern, "param names have a pattern");
    for (const path of ["/api/backtests", "/api/sweeps"]) {
      assert.ok(doc.paths[path].post.responses[413], `${path} documents the body limit`);
    }
  } finally {
    await lab.close();
  }
});
