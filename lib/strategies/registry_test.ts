import assert from "node:assert/strict";
import { randomBars } from "../testing/mod.ts";
import { builtinStrategies } from "./builtin_strategies.ts";
import { isPortfolioStrategy } from "./is_portfolio_strategy.ts";
import { registry } from "./registry.ts";
import { assertSignalsCausal, assertWarmupRespected, run } from "./_testing.ts";

Deno.test("registry: holds every built-in strategy under its name", () => {
  assert.equal(registry.list().length, builtinStrategies.length);
  for (const s of builtinStrategies) assert.equal(registry.get(s.name), s);
  assert.throws(
    () => registry.get("sma"),
    /unknown strategy "sma"; known strategies are bollinger_breakout, buy_and_hold/,
  );
});

Deno.test("registry: every single-asset built-in runs with its defaults, causal, warm-up respected", () => {
  const frame = randomBars({ n: 600, seed: 21, volatility: 0.02 });
  for (const s of registry.list()) {
    if (isPortfolioStrategy(s)) continue;
    const p = s.params.parse({});
    run(s, frame, p);
    assertSignalsCausal(s, frame, p);
    assertWarmupRespected(s, frame, p);
  }
});

Deno.test("registry: titles and descriptions are single sentences", () => {
  for (const s of registry.list()) {
    assert.ok(!s.title.endsWith("."), `${s.name}: a title, not a sentence`);
    assert.ok(s.description.endsWith("."), `${s.name}: description should be a sentence`);
    assert.equal(s.description.split(". ").length, 1, `${s.name}: one sentence`);
  }
});
