import assert from "node:assert/strict";
import { registry } from "../lib/strategies/mod.ts";
import {
  parseFraction,
  parseGridItem,
  parseParamFlags,
  parseSizeFlag,
  parseWalkForwardFlag,
  readConfig,
  spanBars,
} from "./_backtest_args.ts";

const sma = registry.get("sma_cross");
const bb = registry.get("bollinger_breakout");
const DAY = 86_400_000;

Deno.test("--size forms", () => {
  assert.deepEqual(parseSizeFlag("all"), { kind: "all" });
  assert.deepEqual(parseSizeFlag("0.5"), { kind: "fraction", value: 0.5 });
  assert.deepEqual(parseSizeFlag("fraction:25%"), { kind: "fraction", value: 0.25 });
  assert.deepEqual(parseSizeFlag("cash:1000"), { kind: "cash", value: 1000 });
  assert.deepEqual(parseSizeFlag("units:2"), { kind: "units", value: 2 });
  assert.throws(() => parseSizeFlag("1.5"), /--size "1.5" is not valid \(a fraction is at most 1\)/);
  assert.throws(() => parseSizeFlag("cash:-1"), /must be a number > 0/);
  assert.throws(() => parseSizeFlag("lots:2"), /--size "lots:2"/);
});

Deno.test("fractions accept plain numbers, percent and basis points", () => {
  const ok = (x: number) => x >= 0 && x < 1;
  assert.equal(parseFraction("fee", "0.001", ok, ""), 0.001);
  assert.equal(parseFraction("fee", "0.1%", ok, ""), 0.001);
  assert.equal(parseFraction("fee", "10bp", ok, ""), 0.001);
  assert.throws(() => parseFraction("fee", "1", ok, "below 1"), /--fee "1" is not valid: below 1/);
  assert.throws(() => parseFraction("fee", "", ok, "x"), /--fee ""/);
});

Deno.test("--param pairs", () => {
  assert.deepEqual(parseParamFlags(["fast=5", " slow = 20 "]), { fast: "5", slow: "20" });
  assert.throws(() => parseParamFlags(["fast"]), /write --param name=value/);
  assert.throws(() => parseParamFlags(["fast=5", "fast=6"]), /--param fast is given twice \(5 and 6\)/);
});

Deno.test("--grid ranges are inclusive, lists are kept, values checked against the field", () => {
  assert.deepEqual(parseGridItem(sma, "fast=2..10:4"), ["fast", [2, 6, 10]]);
  assert.deepEqual(parseGridItem(sma, "fast=2..11:4"), ["fast", [2, 6, 10]]);
  assert.deepEqual(parseGridItem(sma, "slow=20..22"), ["slow", [20, 21, 22]]);
  assert.deepEqual(parseGridItem(sma, "slow=50,20,50"), ["slow", [50, 20]]);
  // Float steps count in integers: no 0.30000000000000004.
  const [, k] = parseGridItem(bb, "k=1.1..1.3:0.1");
  assert.deepEqual(k, [1.1, 1.2, 1.3]);
  assert.throws(() => parseGridItem(sma, "fast=0..3"), /sma_cross fast must be an integer >= 1 and <= 10000; got 0/);
  assert.throws(() => parseGridItem(sma, "fast=1.5,2"), /must be an integer/);
  assert.throws(() => parseGridItem(sma, "speed=1..3"), /unknown param "speed" for sma_cross; params are fast, slow/);
  assert.throws(() => parseGridItem(sma, "fast=5..2"), /a <= b and step > 0/);
  assert.throws(() => parseGridItem(sma, "fast=1..5:0"), /step > 0/);
  assert.throws(() => parseGridItem(sma, "fast="), /write --grid fast=5\.\.50:5/);
});

Deno.test("--walk-forward spec", () => {
  assert.deepEqual(parseWalkForwardFlag("folds=4,train=500,test=90d,mode=anchored"), {
    folds: 4,
    train: 500,
    test: "90d",
    mode: "anchored",
    metric: "sharpe",
  });
  assert.equal(parseWalkForwardFlag("folds=2,train=10,test=5,metric=calmar").mode, "rolling");
  assert.throws(() => parseWalkForwardFlag("folds=0,train=1,test=1"), /folds "0" is not valid/);
  assert.throws(() => parseWalkForwardFlag("folds=2,train=1,test=1,mode=sliding"), /mode=sliding is not valid/);
  assert.throws(() => parseWalkForwardFlag("folds=2,train=1.5,test=1"), /use a bar count \(500\) or a duration/);
  assert.throws(() => parseWalkForwardFlag("folds=2,train=5,test=1,gap=3"), /unknown key "gap"/);
});

Deno.test("durations become bars at the data's average spacing", () => {
  // 11 daily bars over 14 calendar days (weekends missing): 1.4 days per bar on average.
  const ts = Float64Array.from([0, 1, 2, 3, 4, 7, 8, 9, 10, 11, 14], (d) => d * DAY);
  assert.equal(spanBars("14d", ts, "test"), 10);
  assert.equal(spanBars(7, ts, "test"), 7);
  assert.throws(() => spanBars("1h", ts, "test"), /shorter than one bar/);
});

Deno.test("config files: validated, data options split from backtest options, fixed params join the grid", async () => {
  const dir = await Deno.makeTempDir();
  try {
    const path = `${dir}/jobs.json`;
    const write = (v: unknown) => Deno.writeTextFile(path, JSON.stringify(v));
    await write({
      jobs: [{
        name: "a",
        data: "samples:GOOG:1d",
        strategy: "sma_cross",
        params: { fast: 5 },
        grid: { slow: "10..30:10" },
        options: { fee: 0.001, from: "2010-01-01", periodsPerYear: 252 },
      }],
    });
    const [job] = await readConfig(path);
    assert.deepEqual(job!.grid, { slow: [10, 20, 30], fast: [5] });
    assert.deepEqual(job!.options, { fee: 0.001 });
    assert.deepEqual(job!.dataOptions, { from: Date.UTC(2010, 0, 1), periodsPerYear: 252 });
    assert.equal(job!.metric, "sharpe");
    await write({ jobs: [{ name: "a", data: "x", strategy: "nope", options: {} }] });
    await assert.rejects(() => readConfig(path), /jobs\.0 \(a\): unknown strategy "nope"/);
    await write({ jobs: [{ name: "../a", data: "x", strategy: "sma_cross" }] });
    await assert.rejects(() => readConfig(path), /jobs\.0\.name: a job name is letters/);
    await write({
      jobs: [{ name: "a", data: "x", strategy: "sma_cross" }, { name: "a", data: "y", strategy: "sma_cross" }],
    });
    await assert.rejects(() => readConfig(path), /jobs\.1 \(a\): the job name is used twice/);
    await write({ jobs: [] });
    await assert.rejects(() => readConfig(path), /jobs: /);
    await Deno.writeTextFile(path, "{");
    await assert.rejects(() => readConfig(path), /not valid JSON/);
    await assert.rejects(() => readConfig(`${dir}/missing.json`), /cannot read it/);
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});
