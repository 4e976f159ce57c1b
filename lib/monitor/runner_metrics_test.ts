import assert from "node:assert/strict";
import { readCsv } from "../data/read_csv.ts";
import { noLimitsRiskConfig } from "../risk/mod.ts";
import { busTypeOf, EventBus, PaperRunner, ReplayFeed } from "../runner/mod.ts";
import { smaCross } from "../strategies/mod.ts";
import { timeframeMs } from "../types/mod.ts";
import { parseExposition, sampleValue } from "./_exposition.ts";
import { RunnerMetrics } from "./runner_metrics.ts";

const sample = async (name: string) => (await readCsv(new URL(`../../data/samples/${name}`, import.meta.url))).frame;

Deno.test("after a paper replay the exposition parses back to the log's counts (bars, orders by state, denials, events, equity)", async () => {
  const frame = await sample("BTCUSD.ohlcv.csv");
  const dataDir = await Deno.makeTempDir();
  try {
    const risk = noLimitsRiskConfig();
    // Trades closer than three years apart are denied: some verdicts pass, some do not.
    risk.rules.minTradeInterval = { enabled: true, ms: 1_095 * 86_400_000, scope: "symbol", level: "warning" };
    const bus = new EventBus();
    const opened: { runner?: PaperRunner } = {};
    const metrics = new RunnerMetrics({
      account: "m1",
      snapshot: () => {
        const s = opened.runner!.risk.state;
        return {
          equity: s.equity,
          equityPeak: s.equityPeak,
          dayStartEquity: s.dayStartEquity,
          tradingState: s.tradingState,
        };
      },
      auditHead: () => opened.runner!.log.head().seq,
    });
    metrics.attach(bus);
    const runner = opened.runner = await PaperRunner.open({
      account: "m1",
      dataDir,
      sleeves: [{
        id: "s1",
        strategy: smaCross,
        params: { fast: 5, slow: 20 },
        symbol: "BTC/USD",
        options: { fee: 0.001 },
      }],
      risk,
      startingCash: 10_000,
      mode: "replay",
      timeframe: "1M",
      bus,
    });
    const summary = await runner.run(new ReplayFeed({ frames: { "BTC/USD": frame }, timeframe: "1M" }));
    const text = await metrics.metrics();
    const samples = parseExposition(text);
    const v = (name: string, labels: Record<string, string> = {}) =>
      sampleValue(samples, name, { account: "m1", ...labels });
    const log = runner.log;
    const count = (
      kind: Parameters<typeof log.query>[0] extends infer Q ? Q extends { kind?: infer K } ? K : never : never,
    ) => log.query({ kind, limit: 1_000_000 }).length;

    assert.equal(v("sentinel_bars_received_total", { symbol: "BTC/USD" }), frame.length);
    assert.equal(summary.bars, frame.length);
    assert.equal(v("sentinel_orders_total", { state: "submitted" }), count("order_submitted"));
    assert.equal(v("sentinel_orders_total", { state: "filled" }), count("order_filled"));
    assert.ok(count("order_filled") > 0, "the strategy traded");
    const denials = log.query({ kind: "risk_verdict", limit: 1_000_000 }).filter((e) =>
      e.kind === "risk_verdict" && !e.payload.ok
    );
    assert.ok(denials.length > 0, "the three-year rule denied some");
    assert.equal(v("sentinel_risk_denials_total", { rule: "min_trade_interval" }), denials.length);
    assert.equal(summary.denied, denials.length);
    assert.equal(v("sentinel_audit_events_total"), log.head().seq);
    assert.equal(v("sentinel_equity"), runner.risk.state.equity);
    const dd = v("sentinel_drawdown_ratio")!;
    assert.ok(dd >= 0 && dd < 1);
    assert.equal(v("sentinel_trading_state", { state: "active" }), 1);
    assert.equal(v("sentinel_trading_state", { state: "halted" }), 0);
    // Replay time is the bars': the runner decides at each bar's close, so the lag is 0 for every batch.
    assert.equal(v("sentinel_feed_lag_seconds_count"), frame.length);
    assert.equal(v("sentinel_feed_lag_seconds_sum"), 0);
    const lastOpen = frame.ts[frame.length - 1]!;
    assert.equal(
      v("sentinel_feed_last_bar_close_seconds", { symbol: "BTC/USD" }),
      (lastOpen + timeframeMs("1M")) / 1000,
    );
    // Every submitted order got its first answer (a fill at the next open: one month of bar time).
    assert.equal(v("sentinel_order_round_trip_seconds_count"), count("order_submitted"));
    assert.equal(v("sentinel_order_round_trip_seconds_bucket", { le: "+Inf" }), count("order_submitted"));
    assert.match(text, /# TYPE sentinel_orders_total counter/);
    assert.match(text, /# TYPE sentinel_feed_lag_seconds histogram/);
    // No default metrics (wrong under Deno) and no global registry.
    assert.equal(samples.some((s) => s.name.startsWith("process_") || s.name.startsWith("nodejs_")), false);
    runner.close();
  } finally {
    await Deno.remove(dataDir, { recursive: true });
  }
});

Deno.test("lag and round trip are measured in event time; kill and pause move the trading-state gauge", async () => {
  const m = new RunnerMetrics({ account: "m2", maxPendingOrders: 2 });
  const base = { account: "m2", runId: "r", prevHash: "", hash: "" };
  const bar = (seq: number, openMs: number, ts: number) => ({
    ...base,
    seq,
    ts,
    kind: "bar" as const,
    payload: {
      symbol: "ETH/USDT",
      timeframe: "1m",
      ts: openMs,
      open: 1,
      high: 1,
      low: 1,
      close: 1,
      volume: 1,
      dataHash: "00".repeat(32),
    },
  });
  m.observe(bar(1, 0, 60_250)); // 250 ms after the close
  m.observe(bar(2, 60_000, 120_750)); // 750 ms
  const sub = (seq: number, id: string, ts: number) => ({
    ...base,
    seq,
    ts,
    kind: "order_submitted" as const,
    payload: { clientOrderId: id },
  });
  m.observe(sub(3, "a", 1_000));
  m.observe({
    ...base,
    seq: 4,
    ts: 1_020,
    kind: "order_acknowledged",
    payload: { clientOrderId: "a", exchangeOrderId: "x1" },
  });
  m.observe({
    ...base,
    seq: 5,
    ts: 1_500,
    kind: "order_filled",
    payload: { clientOrderId: "a", symbol: "ETH/USDT", side: "buy", qty: 1, price: 1, fee: 0, ts: 1_500 },
  });
  // Bounded: of three pending orders only the last two are remembered.
  m.observe(sub(6, "b", 2_000));
  m.observe(sub(7, "c", 2_000));
  m.observe(sub(8, "d", 2_000));
  m.observe({ ...base, seq: 9, ts: 2_100, kind: "order_rejected", payload: { clientOrderId: "b", reason: "x" } });
  m.observe({ ...base, seq: 10, ts: 2_005, kind: "order_cancelled", payload: { clientOrderId: "d", reason: "x" } });
  m.observe({
    ...base,
    seq: 11,
    ts: 3_000,
    kind: "kill",
    payload: { by: "rule", reason: "dd", flatten: false, rule: "max_drawdown" },
  });
  m.observe({ ...base, seq: 12, ts: 3_000, kind: "pause", payload: { by: "operator", reason: "x" } });
  const s = parseExposition(await m.metrics());
  const v = (name: string, labels: Record<string, string> = {}) => sampleValue(s, name, { account: "m2", ...labels });
  assert.equal(v("sentinel_feed_lag_seconds_count"), 2);
  assert.equal(v("sentinel_feed_lag_seconds_sum"), 1);
  assert.equal(v("sentinel_feed_lag_seconds_bucket", { le: "0.5" }), 1);
  assert.equal(v("sentinel_order_round_trip_seconds_count"), 2); // a (20 ms, its ack) and d (5 ms); b was forgotten
  assert.equal(v("sentinel_order_round_trip_seconds_sum"), 0.025);
  assert.equal(v("sentinel_orders_total", { state: "acknowledged" }), 1);
  assert.equal(v("sentinel_orders_total", { state: "rejected" }), 1);
  assert.equal(v("sentinel_orders_total", { state: "submitted" }), 4);
  assert.equal(v("sentinel_trading_state", { state: "halted" }), 1, "a pause does not lift a kill");
  assert.equal(v("sentinel_trading_state_changes_total", { kind: "kill", by: "rule" }), 1);
  assert.equal(v("sentinel_audit_events_total"), 12);
  assert.equal(v("sentinel_equity"), undefined, "no snapshot, no equity");
});

Deno.test("a reconciliation needing an ack holds the gauge at reducing until its operator_ack; order_expired counts as expired", async () => {
  const m = new RunnerMetrics({ account: "m3" });
  const bus = new EventBus();
  m.attach(bus);
  const base = { account: "m3", runId: "r", prevHash: "", hash: "" };
  const report = {
    trigger: "start" as const,
    ok: false,
    needsAck: true,
    tradingState: "reducing" as const,
    resolved: [],
    unknownOpenOrders: [],
    balanceMismatches: [{ asset: "BTC", expected: 0, actual: 0.1, diff: 0.1 }],
  };
  const state = async (): Promise<string | undefined> => {
    const s = parseExposition(await m.metrics());
    return ["active", "reducing", "halted"].find((st) =>
      sampleValue(s, "sentinel_trading_state", { account: "m3", state: st }) === 1
    );
  };
  bus.emit("agent_state_change", { ...base, seq: 1, ts: 0, kind: "reconciliation", payload: report });
  assert.equal(await state(), "reducing");
  bus.emit("agent_state_change", { ...base, seq: 2, ts: 0, kind: "resume", payload: { by: "operator", reason: "x" } });
  assert.equal(await state(), "reducing", "a resume does not acknowledge the mismatch");
  bus.emit("agent_state_change", {
    ...base,
    seq: 3,
    ts: 0,
    kind: "operator_ack",
    payload: { reconciliationSeq: 1, note: "checked" },
  });
  assert.equal(await state(), "active");
  bus.emit("order_cancelled", {
    ...base,
    seq: 4,
    ts: 0,
    kind: "order_expired",
    payload: { clientOrderId: "a", reason: "IOC" },
  });
  const s = parseExposition(await m.metrics());
  assert.equal(sampleValue(s, "sentinel_orders_total", { account: "m3", state: "expired" }), 1);
});

Deno.test("a dry-run order counts as dry_run, never as rejected, and times no round trip", async () => {
  const m = new RunnerMetrics({ account: "m4" });
  const bus = new EventBus();
  m.attach(bus);
  const base = { account: "m4", runId: "r", prevHash: "", hash: "" };
  const dry = (seq: number, id: string) => ({
    ...base,
    seq,
    ts: 1_000 * seq,
    kind: "order_dry_run" as const,
    payload: {
      clientOrderId: id,
      symbol: "BTC/USDT",
      side: "buy" as const,
      qty: 0.01,
      type: "market" as const,
      price: 100,
      reason: "dry run: the account is not armed",
    },
  });
  // Published as the runner publishes it: under its bus type.
  bus.emit(busTypeOf(dry(1, "a"))!, dry(1, "a"));
  bus.emit(busTypeOf(dry(2, "b"))!, dry(2, "b"));
  const s = parseExposition(await m.metrics());
  assert.equal(sampleValue(s, "sentinel_orders_total", { account: "m4", state: "dry_run" }), 2);
  assert.equal(sampleValue(s, "sentinel_orders_total", { account: "m4", state: "rejected" }), undefined);
  assert.equal(sampleValue(s, "sentinel_orders_total", { account: "m4", state: "submitted" }), undefined);
  assert.equal(sampleValue(s, "sentinel_order_round_trip_seconds_count", { account: "m4" }) ?? 0, 0);
});
