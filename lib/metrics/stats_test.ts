import assert from "node:assert/strict";
import { STATS, STATS_BY_KEY } from "./stats.ts";

const BRIEF_KEYS = [
  "total_return",
  "final_equity",
  "cagr",
  "annual_return",
  "annual_return_arithmetic",
  "annual_volatility",
  "sharpe",
  "sortino",
  "calmar",
  "omega",
  "stability",
  "max_drawdown",
  "avg_drawdown",
  "max_drawdown_duration",
  "avg_drawdown_duration",
  "ulcer_index",
  "var",
  "cvar",
  "skew",
  "kurtosis",
  "tail_ratio",
  "alpha",
  "beta",
  "exposure",
  "turnover",
  "fees",
  "trades",
  "win_rate",
  "best_trade",
  "worst_trade",
  "avg_trade",
  "avg_win",
  "avg_loss",
  "payoff_ratio",
  "profit_factor",
  "expectancy",
  "sqn",
  "kelly",
  "max_consecutive_wins",
  "max_consecutive_losses",
  "psr",
  "dsr",
];

Deno.test("STATS: every registered key is unique, snake_case and documented", () => {
  const keys = STATS.map((s) => s.key);
  assert.equal(new Set(keys).size, keys.length);
  for (const s of STATS) {
    assert.match(s.key, /^[a-z][a-z0-9_]*$/);
    assert.ok(s.title.length > 0 && s.doc.length > 20, s.key);
    assert.equal(STATS_BY_KEY.get(s.key), s);
  }
  assert.deepEqual([...keys].sort(), [...BRIEF_KEYS].sort());
});

Deno.test("STATS: the annualized flag marks exactly the stats scaled to a year", () => {
  const annualized = STATS.filter((s) => s.annualized === true).map((s) => s.key);
  assert.deepEqual(annualized, [
    "cagr",
    "annual_return",
    "annual_return_arithmetic",
    "annual_volatility",
    "sharpe",
    "sortino",
    "calmar",
    "alpha",
    "turnover",
  ]);
});
