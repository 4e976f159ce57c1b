import assert from "node:assert/strict";
import { join } from "node:path";
import { DatabaseSync } from "node:sqlite";
import { type AuditEventOf, AuditLog } from "../audit/mod.ts";
import { runBacktest } from "../backtest/mod.ts";
import { runInputFromBacktest, RunRegistry } from "../runs/mod.ts";
import { strategyCodeHash } from "../strategies/mod.ts";
import { between, goog, leakyMean, priceCross, withAccount } from "./_test_helpers.ts";
import {
  evaluateGates,
  type GateResult,
  loadPromotedSleeves,
  promote,
  type PromotionChecklist,
  PromotionRefused,
} from "./mod.ts";

const SERIES = "samples:GOOG:1d";
const bars = await goog();
/** 18 months of a rising GOOG: sma_cross(10, 30) has a positive Sharpe here, in and out of sample. */
const good = between(bars, "2005-01-01", "2006-07-01");

function gate(c: PromotionChecklist, name: string): GateResult {
  const g = c.gates.find((x) => x.name === name);
  assert.ok(g, `no gate ${name}`);
  return g;
}

Deno.test("promote: every gate passes with data; the event carries what the runner needs; sleeves load it", async () => {
  await withAccount(async (dataDir) => {
    const r = await promote({
      dataDir,
      account: "paper-1",
      strategy: "sma_cross",
      params: { fast: "10", slow: "30" },
      options: { fee: 0.001, size: { kind: "fraction", value: 0.2 } },
      data: { frame: good, series: SERIES, calendar: "weekdays" },
      cash: 5_000,
    });
    assert.equal(r.checklist.ok, true, JSON.stringify(r.checklist.gates, null, 1));
    assert.deepEqual(r.checklist.gates.map((g) => g.name), [
      "backtest",
      "walk_forward",
      "risk_limits",
      "parity",
      "audit_chain",
    ]);
    assert.match(gate(r.checklist, "backtest").evidence, /Sharpe \d/);
    assert.match(gate(r.checklist, "walk_forward").evidence, /4 rolling folds/);
    assert.match(gate(r.checklist, "risk_limits").evidence, /drawdown <= 20 %/);
    assert.match(gate(r.checklist, "parity").evidence, /all equal/);
    const p = r.event.payload;
    assert.equal(r.event.kind, "promotion");
    assert.equal(p.codeHash, await strategyCodeHash((await import("../strategies/mod.ts")).smaCross));
    assert.deepEqual(p.params, { fast: 10, slow: 30 });
    assert.equal(p.market, SERIES);
    assert.equal(p.symbol, "GOOG");
    assert.equal(p.timeframe, "1d");
    assert.equal(p.options?.fee, 0.001);
    assert.equal(p.cash, 5_000);
    assert.equal(p.source, undefined);
    assert.deepEqual(p.gates?.map((g) => g.ok), [true, true, true, true, true]);
    assert.equal(p.evidenceRunIds.length, 2);
    // The evidence was recorded: the runs exist, and a second promotion reuses them (no new runs).
    const runs = await RunRegistry.open({ dir: join(dataDir, "_runs") });
    assert.deepEqual((await runs.list()).map((x) => x.id).sort(), [...p.evidenceRunIds].sort());
    const again = await promote({
      dataDir,
      account: "paper-1",
      strategy: "sma_cross",
      params: { fast: 10, slow: 30 },
      options: { fee: 0.001, size: { kind: "fraction", value: 0.2 } },
      market: SERIES,
      data: { frame: good, series: SERIES, calendar: "weekdays" },
    });
    assert.deepEqual(again.event.payload.evidenceRunIds, p.evidenceRunIds);
    assert.equal((await runs.list()).length, 2);
    await runs.close();
    // The later promotion of the same strategy and symbol replaces the earlier one (its cash is gone).
    const sleeves = await loadPromotedSleeves({ dataDir, account: "paper-1" });
    assert.equal(sleeves.length, 1);
    assert.equal(sleeves[0]!.id, "sma_cross@GOOG");
    assert.equal(sleeves[0]!.symbol, "GOOG");
    assert.deepEqual(sleeves[0]!.params, { fast: 10, slow: 30 });
    assert.equal(sleeves[0]!.options?.fee, 0.001);
    assert.equal(sleeves[0]!.options?.cash, undefined);
    using log = AuditLog.open({ dataDir, account: "paper-1", readOnly: true });
    assert.equal(log.verify().ok, true);
  });
});

Deno.test("gates: less than 6 months of data fails the backtest gate, naming the span", async () => {
  await withAccount(async (dataDir) => {
    const c = await evaluateGates({
      dataDir,
      account: "paper-1",
      strategy: "sma_cross",
      params: { fast: 5, slow: 20 },
      data: { frame: between(bars, "2005-01-01", "2005-05-01"), series: SERIES },
    });
    assert.equal(c.ok, false);
    const g = gate(c, "backtest");
    assert.equal(g.ok, false);
    assert.match(g.evidence, /\d+ days of data < 183/);
    assert.equal(g.runIds?.length, 1);
  });
});

Deno.test("gates: a negative Sharpe fails the backtest gate", async () => {
  await withAccount(async (dataDir) => {
    const c = await evaluateGates({
      dataDir,
      account: "paper-1",
      strategy: "buy_and_hold",
      data: { frame: between(bars, "2008-01-01", "2009-01-01"), series: SERIES },
    });
    const g = gate(c, "backtest");
    assert.equal(g.ok, false);
    assert.match(g.evidence, /Sharpe -\d.*<= 0/s);
  });
});

Deno.test("gates: a recorded backtest without a walk-forward fails the walk_forward gate", async () => {
  await withAccount(async (dataDir) => {
    const runs = await RunRegistry.open({ dir: join(dataDir, "_runs") });
    const bt = await runBacktest({
      frame: good,
      strategy: "sma_cross",
      params: { fast: 10, slow: 30 },
      series: { exchange: "samples", symbol: "GOOG", timeframe: "1d" },
    });
    const rec = await runs.record(runInputFromBacktest(bt));
    await runs.close();
    const c = await evaluateGates({
      dataDir,
      account: "paper-1",
      strategy: "sma_cross",
      params: { fast: 10, slow: 30 },
    });
    assert.equal(gate(c, "backtest").ok, true);
    assert.deepEqual(c.gates[0]!.runIds, [rec.id]);
    assert.equal(gate(c, "walk_forward").ok, false);
    assert.match(gate(c, "walk_forward").evidence, /no recorded walk-forward of sma_cross/);
    // Other params are other evidence.
    const other = await evaluateGates({
      dataDir,
      account: "paper-1",
      strategy: "sma_cross",
      params: { fast: 11, slow: 30 },
    });
    assert.equal(gate(other, "backtest").ok, false);
  });
});

Deno.test("promote: a leaky notebook strategy fails parity and is refused with the list of failed gates", async () => {
  await withAccount(async (dataDir) => {
    const strategiesDir = join(dataDir, "strategies");
    const err = await promote({
      dataDir,
      strategiesDir,
      account: "paper-1",
      strategy: leakyMean,
      market: SERIES,
      data: { frame: good, series: SERIES },
    }).then(() => undefined, (e) => e);
    assert.ok(err instanceof PromotionRefused, String(err));
    const g = gate(err.checklist, "parity");
    assert.equal(g.ok, false);
    assert.match(g.evidence, /first difference|look-ahead/);
    assert.match(err.message, /refused: \d gate\(s\) failed: .*parity \(/);
    using log = AuditLog.open({ dataDir, account: "paper-1", readOnly: true });
    assert.equal(log.query({ kind: "promotion" }).length, 0);
  });
});

Deno.test("gates: a tampered audit log fails the audit_chain gate", async () => {
  await withAccount(async (dataDir) => {
    const log = AuditLog.open({ dataDir, account: "paper-1" });
    log.append({ kind: "resume", runId: "r1", payload: { by: "operator", reason: "test" } });
    const path = log.path;
    log.close();
    const db = new DatabaseSync(path);
    db.exec("DROP TRIGGER events_no_update; UPDATE events SET ts = ts + 1 WHERE seq = 1");
    db.close();
    const c = await evaluateGates({ dataDir, account: "paper-1", strategy: "sma_cross" });
    const g = gate(c, "audit_chain");
    assert.equal(g.ok, false);
    assert.match(g.evidence, /breaks at seq 1/);
    // And an unknown account fails the risk gate with the fix.
    const none = await evaluateGates({ dataDir, account: "paper-9", strategy: "sma_cross" });
    assert.match(gate(none, "risk_limits").evidence, /no account "paper-9".*deno task account create/);
  });
});

Deno.test("promote: a notebook strategy is saved, promoted with its file, and loaded back as a sleeve", async () => {
  await withAccount(async (dataDir) => {
    const strategiesDir = join(dataDir, "strategies");
    const r = await promote({
      dataDir,
      strategiesDir,
      account: "paper-1",
      strategy: priceCross,
      params: { period: 30 },
      options: { size: { kind: "fraction", value: 0.2 } },
      data: { frame: good, series: SERIES },
    }).catch((e) => {
      if (e instanceof PromotionRefused) assert.fail(JSON.stringify(e.checklist.gates, null, 1));
      throw e;
    });
    const hash = await strategyCodeHash(priceCross);
    const src = r.event.payload.source;
    assert.ok(src);
    assert.equal(src.path, join(strategiesDir, `price_cross-${hash.slice(0, 12)}.js`));
    assert.equal(r.event.payload.codeHash, hash);
    const [sleeve] = await loadPromotedSleeves({ dataDir, account: "paper-1" });
    assert.equal(sleeve!.id, "price_cross@GOOG");
    assert.equal(await strategyCodeHash(sleeve!.strategy), hash);
    assert.notEqual(sleeve!.strategy, priceCross); // the file's code, not the notebook's object
    using log = AuditLog.open({ dataDir, account: "paper-1", readOnly: true });
    const event = log.query({ kind: "promotion" })[0] as AuditEventOf<"promotion"> | undefined;
    assert.equal(event?.payload.source?.sha256, src.sha256);
  });
});
