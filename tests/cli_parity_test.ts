// `deno task parity` as a subprocess: exit 0 on parity, 1 on a difference (a leaky strategy), 2 on bad input, --json.
//
// Run with `deno run` (not `deno test`), this file is the parity CLI with one more strategy in the registry: a
// deliberately leaky one, since every built-in strategy passes and a difference must be shown end to end.
import assert from "node:assert/strict";
import { z } from "zod";
import { defineStrategy, registry } from "../lib/strategies/mod.ts";
import { errorLine, ROOT, runCli, withTempDir } from "./_cli.ts";

const SAMPLE = new URL("../data/samples/GOOG.ohlcv.csv", import.meta.url).pathname;
const WINDOW = ["--data", SAMPLE, "--to", "2006-01-01"];

if (import.meta.main) {
  registry.register(defineStrategy({
    name: "leaky_next_close",
    title: "Leaky (test)",
    description: "Buys when the next close is higher: peeks at the future on purpose.",
    params: z.object({}),
    warmup: () => 0,
    signals(frame) {
      const c = frame.close, n = c.length;
      const entries = new Uint8Array(n), exits = new Uint8Array(n);
      for (let t = 0; t + 1 < n; t++) {
        if (c[t + 1]! > c[t]!) entries[t] = 1;
        else exits[t] = 1;
      }
      return { kind: "signals", entries, exits };
    },
  }));
  const { main } = await import("../cli/parity.ts");
  const { runCli: run } = await import("../cli/_cli.ts");
  await run(main);
}

/** This file as the parity CLI with the leaky strategy registered. */
async function runLeakyCli(args: readonly string[], dataDir: string) {
  const out = await new Deno.Command(Deno.execPath(), {
    args: ["run", "-A", new URL(import.meta.url).pathname, ...args],
    cwd: ROOT,
    env: { SENTINEL_DATA_DIR: dataDir, NO_COLOR: "1" },
    stdout: "piped",
    stderr: "piped",
  }).output();
  const dec = new TextDecoder();
  return { code: out.code, stdout: dec.decode(out.stdout), stderr: dec.decode(out.stderr) };
}

Deno.test("deno task parity: a built-in strategy matches, exit 0, and --json prints the report", async () => {
  await withTempDir("sentinel-cli-parity-", async (dataDir) => {
    const args = ["--strategy", "sma_cross", "--param", "fast=5", "--param", "slow=20", ...WINDOW];
    const opts = ["--fee", "10bp", "--direction", "both", "--stop-loss", "5%", "--size", "fraction:0.8"];
    const text = await runCli("parity", [...args, ...opts], { dataDir });
    assert.equal(text.code, 0, text.stderr);
    assert.match(text.stdout, /parity sma_cross \{"fast":5,"slow":20\}: OK/);
    assert.match(text.stdout, /final equity: backtest \S+, runner \S+ \(equal\)/);

    const json = await runCli("parity", [...args, ...opts, "--json"], { dataDir });
    assert.equal(json.code, 0, json.stderr);
    const report = JSON.parse(json.stdout);
    assert.equal(report.ok, true);
    assert.equal(report.strategy, "sma_cross");
    assert.deepEqual(report.params, { fast: 5, slow: 20 });
    assert.ok(report.orders.backtest > 0);
    assert.equal(report.orders.runner, report.orders.backtest);
    assert.equal(report.equity.runner, report.equity.backtest);
    assert.equal(report.firstDifference, undefined);
  });
});

Deno.test("deno task parity: a strategy that peeks at the future exits 1 with the first difference, named", async () => {
  await withTempDir("sentinel-cli-parity-", async (dataDir) => {
    const r = await runLeakyCli(["--strategy", "leaky_next_close", ...WINDOW, "--fill", "close"], dataDir);
    assert.equal(r.code, 1, r.stderr);
    assert.match(r.stdout, /parity leaky_next_close: DIFFERENT at order \d+ \((bar|side|size|price|missing|extra)\)/);
    assert.match(r.stdout, /^backtest\s+\d+\s+\d+\s+\S+\s+(buy|sell)/m);
    assert.match(r.stdout, /look-ahead: strategy leaky_next_close peeks at the future: its signal on bar \d+ changes/);

    const j = await runLeakyCli(["--strategy", "leaky_next_close", ...WINDOW, "--json"], dataDir);
    assert.equal(j.code, 1, j.stderr);
    const report = JSON.parse(j.stdout);
    assert.equal(report.ok, false);
    assert.equal(report.lookAhead.strategy, "leaky_next_close");
    assert.ok(report.firstDifference.index >= 0);
  });
});

Deno.test("deno task parity: bad input exits 2 with one line", async () => {
  await withTempDir("sentinel-cli-parity-", async (dataDir) => {
    const portfolio = await runCli("parity", ["--strategy", "momentum_rotation", ...WINDOW], { dataDir });
    assert.equal(portfolio.code, 2);
    assert.match(errorLine(portfolio), /momentum_rotation is a portfolio strategy/);
    const unknown = await runCli("parity", ["--strategy", "nope", ...WINDOW], { dataDir });
    assert.equal(unknown.code, 2);
    assert.match(errorLine(unknown), /unknown strategy "nope"/);
    const noData = await runCli("parity", ["--strategy", "sma_cross"], { dataDir });
    assert.equal(noData.code, 2);
    assert.match(errorLine(noData), /--data is required/);
    const badFee = await runCli("parity", ["--strategy", "sma_cross", ...WINDOW, "--fee", "lots"], { dataDir });
    assert.equal(badFee.code, 2);
    assert.match(errorLine(badFee), /--fee "lots" is not valid/);
  });
});
