// Operator commands written by another process reach the runner's bus once applied, so the monitor's kill alert and
// trading-state gauge follow them: a paper replay with an operator kill, with the monitor attached.
import assert from "node:assert/strict";
import { AlertConfigSchema } from "../accounts/mod.ts";
import { type AuditEvent, AuditLog } from "../audit/mod.ts";
import { parseExposition, sampleValue } from "../monitor/_exposition.ts";
import { AlertEngine, RunnerMetrics } from "../monitor/mod.ts";
import { ConsoleSink } from "../notify/mod.ts";
import { noLimitsRiskConfig } from "../risk/mod.ts";
import { smaCross } from "../strategies/mod.ts";
import { randomBars } from "../testing/mod.ts";
import { EventBus } from "./event_bus.ts";
import { PaperRunner } from "./paper_runner.ts";
import { ReplayFeed } from "./replay_feed.ts";

const frame = randomBars({ n: 200, seed: 11, stepMs: 3_600_000, volatility: 0.03 });

function open(dataDir: string, bus: EventBus): Promise<PaperRunner> {
  return PaperRunner.open({
    account: "opbus",
    dataDir,
    sleeves: [{ id: "s", strategy: smaCross, params: { fast: 2, slow: 6 }, symbol: "X/USDT", options: { fee: 0.001 } }],
    risk: noLimitsRiskConfig(),
    startingCash: 10_000,
    mode: "replay",
    timeframe: "1h",
    bus,
  });
}

/** The bus with the monitor on it: every event heard (with whether its ack was durable then), alerts, metrics. */
function monitored(dataDir: string) {
  const bus = new EventBus({
    onError: (e) => {
      throw e;
    },
  });
  const heard: { event: AuditEvent; ackDurable: boolean }[] = [];
  bus.on("agent_state_change", (event) => {
    if (event.kind !== "kill" && event.kind !== "pause" && event.kind !== "resume") return;
    using reader = AuditLog.open({ dataDir, account: "opbus", readOnly: true });
    const acks = reader.query({ kind: "config_change", limit: 10_000 });
    const ackDurable = acks.some((a) =>
      a.kind === "config_change" && (a.payload.diff as { operatorSeq?: number } | undefined)?.operatorSeq === event.seq
    );
    heard.push({ event, ackDurable });
  });
  const lines: string[] = [];
  const alerts = new AlertEngine({
    account: "opbus",
    config: AlertConfigSchema.parse({ killSwitch: { enabled: true } }),
    notifier: new ConsoleSink({ write: (l) => lines.push(l) }),
  });
  alerts.attach(bus);
  const metrics = new RunnerMetrics({ account: "opbus" });
  metrics.attach(bus);
  const sample = async (name: string, labels: Record<string, string>): Promise<number | undefined> =>
    sampleValue(parseExposition(await metrics.metrics()), name, labels);
  return { bus, heard, lines, sample };
}

Deno.test("paper runner: an operator pause then kill reach the bus after their acks; the kill alert fires and the gauge says halted", async () => {
  const dataDir = await Deno.makeTempDir();
  try {
    const m = monitored(dataDir);
    const inner = new ReplayFeed({ frames: { "X/USDT": frame }, timeframe: "1h" });
    const feed = {
      symbols: inner.symbols,
      timeframe: inner.timeframe,
      async *batches(start: Parameters<ReplayFeed["batches"]>[0]) {
        let k = 0;
        for await (const b of inner.batches(start)) {
          yield b;
          k++;
          if (k !== 50 && k !== 120) continue;
          // Another process (deno task risk, the lab) writes the command into the log.
          using op = AuditLog.open({ dataDir, account: "opbus" });
          op.append(
            k === 50 ? { kind: "pause", runId: "operator", payload: { by: "operator", reason: "looking into it" } } : {
              kind: "kill",
              runId: "operator",
              payload: { by: "operator", reason: "exchange incident", flatten: false },
            },
          );
        }
      },
    };
    const runner = await open(dataDir, m.bus);
    await runner.run(feed);
    assert.equal(runner.risk.tradingState, "halted");
    runner.close();

    assert.deepEqual(m.heard.map((h) => [h.event.kind, (h.event.payload as { by?: string }).by, h.ackDurable]), [
      ["pause", "operator", true],
      ["kill", "operator", true],
    ]);
    assert.equal(m.lines.length, 1, m.lines.join("\n"));
    assert.match(m.lines[0]!, /KILL opbus alert_kill_switch kill switch fired \(operator\): exchange incident/);
    assert.equal(await m.sample("sentinel_trading_state", { account: "opbus", state: "halted" }), 1);
    assert.equal(await m.sample("sentinel_trading_state", { account: "opbus", state: "active" }), 0);
    const changes = { account: "opbus", by: "operator" };
    assert.equal(await m.sample("sentinel_trading_state_changes_total", { ...changes, kind: "kill" }), 1);
    assert.equal(await m.sample("sentinel_trading_state_changes_total", { ...changes, kind: "pause" }), 1);

    // Restarted: the acknowledged commands are re-executed in place, not announced again.
    const again = monitored(dataDir);
    const reopened = await open(dataDir, again.bus);
    assert.equal(reopened.risk.tradingState, "halted");
    reopened.close();
    assert.deepEqual(again.heard, []);
    assert.deepEqual(again.lines, []);
  } finally {
    await Deno.remove(dataDir, { recursive: true });
  }
});

Deno.test("paper runner: a command written while no runner ran is applied on open and published then", async () => {
  const dataDir = await Deno.makeTempDir();
  try {
    const first = await open(dataDir, new EventBus());
    await first.run(new ReplayFeed({ frames: { "X/USDT": frame.slice(0, 60) }, timeframe: "1h" }));
    first.close();
    {
      using op = AuditLog.open({ dataDir, account: "opbus" });
      op.append({ kind: "kill", runId: "operator", payload: { by: "operator", reason: "overnight", flatten: false } });
    }
    const m = monitored(dataDir);
    const runner = await open(dataDir, m.bus);
    assert.equal(runner.risk.tradingState, "halted");
    runner.close();
    assert.deepEqual(m.heard.map((h) => [h.event.kind, h.ackDurable]), [["kill", true]]);
    assert.match(m.lines[0] ?? "", /kill switch fired \(operator\): overnight/);
    assert.equal(await m.sample("sentinel_trading_state", { account: "opbus", state: "halted" }), 1);
  } finally {
    await Deno.remove(dataDir, { recursive: true });
  }
});
