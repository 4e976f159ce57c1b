// Risk limits in the lab's backtests: the form's "Risk limits (JSON)" textarea, the API's `risk`, the run page.
import assert from "node:assert/strict";
import { DEFAULT_RISK_CONFIG, type RiskConfig, riskConfigHash, type RiskRules } from "../lib/risk/mod.ts";
import { openLab, postForm, postJson } from "./_http_fixture.ts";

const SPX = "samples:SPX:1d";

/** Every rule off except a Saturday-only trading window (daily bars close at 00:00 of the next day). */
function saturdayOnly(): RiskConfig {
  const rules = structuredClone(DEFAULT_RISK_CONFIG.rules) as RiskRules;
  for (const k of Object.keys(rules) as (keyof RiskRules)[]) rules[k].enabled = false;
  rules.tradingWindow = { enabled: true, days: ["sat"], start: "00:00", end: "24:00", level: "warning" };
  return { version: 1, flattenOnKill: false, rules, strategies: {} };
}

const FORM = {
  series: SPX,
  strategy: "sma_cross",
  "p.fast": "5",
  "p.slow": "30",
  fill: "next_open",
  size: "all",
  direction: "long",
  finalize: "close",
};

Deno.test("lab backtest form with risk limits: the run page shows the denied count and the denials", async () => {
  const lab = await openLab();
  try {
    const page = await (await lab.app.request("/backtests/new")).text();
    assert.match(page, /Risk limits \(JSON\)<textarea name="risk"/);
    const cfg = saturdayOnly();
    const ok = await postForm(lab.app, "/backtests", { ...FORM, risk: JSON.stringify(cfg, null, 2) });
    assert.equal(ok.status, 303, await ok.clone().text());
    const location = ok.headers.get("location") ?? "";
    const html = await (await lab.app.request(location)).text();
    const m = /<p id="risk-denied"><strong>(\d+)<\/strong> orders denied by the risk limits/.exec(html);
    assert.ok(m, "the denied count is shown");
    const count = Number(m[1]);
    assert.ok(count > 10, `denied ${count}`);
    assert.match(
      html,
      /<td><code>trading_window<\/code><\/td>\s*<td>warning<\/td>\s*<td>[^<]*outside the trading window/,
    );
    assert.match(html, new RegExp(`config <code title="${await riskConfigHash(cfg)}">`));
    const id = location.split("/").at(-1)!;
    const rec = await (await lab.app.request(`/api/runs/${id}`)).json();
    assert.equal(rec.detail.risk.denied_count, count);
    assert.equal(rec.detail.risk.denied.length, count);
    assert.deepEqual(rec.manifest.risk, cfg);

    // Without limits the page has no risk section.
    const plain = await postForm(lab.app, "/backtests", FORM);
    const plainHtml = await (await lab.app.request(plain.headers.get("location") ?? "")).text();
    assert.doesNotMatch(plainHtml, /id="risk-denied"/);
  } finally {
    await lab.close();
  }
});

Deno.test("lab backtest form: bad risk limits re-render the form (400) naming the field, the text kept", async () => {
  const lab = await openLab();
  try {
    const cfg = saturdayOnly() as unknown as { rules: { maxDrawdown: { limit: number } } };
    cfg.rules.maxDrawdown.limit = 2;
    const text = JSON.stringify(cfg);
    const bad = await postForm(lab.app, "/backtests", { ...FORM, "p.fast": "0", risk: text });
    assert.equal(bad.status, 400);
    const html = await bad.text();
    assert.match(html, /<code>risk<\/code>: risk limits: rules\.maxDrawdown\.limit/);
    assert.match(html, /<code>params\.fast<\/code>/); // the other problems are reported at once
    assert.match(html, /<textarea name="risk"[^>]*>\{&quot;version&quot;:1/);
    const junk = await postForm(lab.app, "/backtests", { ...FORM, risk: "{not json" });
    assert.equal(junk.status, 400);
    assert.match(await junk.text(), /<code>risk<\/code>: risk limits: not valid JSON/);
  } finally {
    await lab.close();
  }
});

Deno.test("POST /api/backtests with risk: the denied count in the answer; a bad config is a 400 naming the field", async () => {
  const lab = await openLab();
  try {
    const res = await postJson(lab.app, "/api/backtests", {
      series: SPX,
      strategy: "sma_cross",
      params: { fast: 5, slow: 30 },
      risk: saturdayOnly(),
    });
    assert.equal(res.status, 201);
    const j = await res.json();
    assert.ok(j.denied > 10, `denied ${j.denied}`);
    const bad = saturdayOnly() as unknown as { rules: { orderRate: unknown } };
    bad.rules.orderRate = { enabled: true };
    const r400 = await postJson(lab.app, "/api/backtests", { series: SPX, strategy: "sma_cross", risk: bad });
    assert.equal(r400.status, 400);
    const e = await r400.json();
    assert.ok(
      e.issues.some((i: { path: unknown[] }) => i.path.join(".").includes("risk.rules.orderRate.perDay")),
      JSON.stringify(e.issues),
    );
    const spec = await (await lab.app.request("/api/openapi.json")).json();
    assert.ok(spec.components.schemas.BacktestRequest.properties.risk, "the OpenAPI doc lists risk");
  } finally {
    await lab.close();
  }
});
