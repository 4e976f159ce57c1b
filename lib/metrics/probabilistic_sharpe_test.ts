import assert from "node:assert/strict";
import { assertClose } from "./_testdata.ts";
import { expectedMaxSharpe } from "./expected_max_sharpe.ts";
import { probabilisticSharpe } from "./probabilistic_sharpe.ts";

// Bailey & López de Prado (2014), "The Deflated Sharpe Ratio", Journal of Portfolio Management
// 40(5), numerical example: annualized SR 2.5 over T = 1250 daily returns (250 a year), skewness
// -3, kurtosis 10, N = 100 trials with annualized V[SR] = 0.5 -> SR0 = 0.1132 and DSR = 0.9004.
// Recomputed with scipy 1.17.1: SR0 = 0.11317200186513214, DSR = 0.9003968344493903.
Deno.test("probabilisticSharpe reproduces the DSR paper's worked example", () => {
  const sr0 = expectedMaxSharpe({ trials: 100, variance: 0.5 / 250 });
  const dsr = probabilisticSharpe({
    sharpe: 2.5 / Math.sqrt(250),
    n: 1250,
    skew: -3,
    kurtosis: 10,
    benchmarkSharpe: sr0,
  });
  assertClose(dsr, 0.9004, 5e-5);
  assertClose(dsr, 0.9003968344493903, 1e-10);
});

Deno.test("probabilisticSharpe: normal case by hand, undefined cases", () => {
  // SR 0.1, T 101, normal: z = 0.1 * sqrt(100) / sqrt(1 + (3 - 1) / 4 * 0.01) = 0.99751; Phi(z) = 0.8407413 (scipy)
  assertClose(probabilisticSharpe({ sharpe: 0.1, n: 101, skew: 0, kurtosis: 3 }), 0.8407413278013518, 1e-10);
  assert.equal(probabilisticSharpe({ sharpe: 0, n: 50, skew: 0, kurtosis: 3 }), 0.5);
  assert.ok(Number.isNaN(probabilisticSharpe({ sharpe: 0.1, n: 1, skew: 0, kurtosis: 3 })));
  // 1 - 10 * 1 + (3 - 1) / 4 < 0: no variance, undefined
  assert.ok(Number.isNaN(probabilisticSharpe({ sharpe: 1, n: 10, skew: 10, kurtosis: 3 })));
});
