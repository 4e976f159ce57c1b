// `deno task paper --metrics-port 0` as an operator runs it: a replay of a promoted strategy, scraped over HTTP
// while it runs, with an alert rule in the account config; Ctrl-C stops it and the server with it.
import assert from "node:assert/strict";
import { createAccount } from "../accounts/mod.ts";
import { AuditLog } from "../audit/mod.ts";
import { noLimitsRiskConfig } from "../risk/mod.ts";
import { smaCross, strategyCodeHash } from "../strategies/mod.ts";
import { parseExposition, sampleValue } from "./_exposition.ts";

const ROOT = new URL("../../", import.meta.url).pathname;
const CSV = `${ROOT}data/samples/BTCUSD.ohlcv.csv`;
const HOOK_SECRET = "xoxb-PAPER-METRICS-SECRET-77";

async function promoted(dataDir: string, name: string): Promise<void> {
  createAccount({ dataDir, name, kind: "paper", cash: 10_000 });
  const path = `${dataDir}/_accounts/${name}/account.json`;
  const cfg = JSON.parse(Deno.readTextFileSync(path));
  // Any drawdown at all alerts (once: deduplicated for 15 minutes); a webhook nobody listens to carries a secret.
  cfg.alerts = { drawdown: { enabled: true, above: 0.000001 } };
  cfg.risk = noLimitsRiskConfig();
  cfg.notify = {
    console: true,
    webhooks: [{ url: `http://127.0.0.1:9/${HOOK_SECRET}`, minLevel: "kill", retry: { attempts: 1 } }],
  };
  Deno.writeTextFileSync(path, JSON.stringify(cfg, null, 2));
  using log = AuditLog.open({ dataDir, account: name });
  log.append({
    kind: "promotion",
    runId: "test",
    payload: {
      strategy: "sma_cross",
      codeHash: await strategyCodeHash(smaCross),
      params: { fast: 3, slow: 8 },
      market: "bitstamp:BTC/USD:1M",
      symbol: "BTC/USD",
      timeframe: "1M",
      options: { fee: 0.001 },
      evidenceRunIds: [],
    },
  });
}

Deno.test("deno task paper --metrics-port serves /metrics on 127.0.0.1 while it runs; the scrape parses back", async () => {
  const dataDir = await Deno.makeTempDir({ prefix: "paper-metrics-" });
  try {
    await promoted(dataDir, "pm1");
    const child = new Deno.Command(Deno.execPath(), {
      // A month of bars every ~26 ms: the 156-bar sample takes about 4 s.
      args: [
        "run",
        "-A",
        `${ROOT}paper/main.ts`,
        "--account",
        "pm1",
        "--feed",
        "replay",
        "--data",
        CSV,
        "--speed",
        "100000000",
        "--quiet",
        "--metrics-port",
        "0",
      ],
      cwd: ROOT,
      env: { SENTINEL_DATA_DIR: dataDir, NO_COLOR: "1" },
      stdout: "null",
      stderr: "piped",
    }).spawn();
    let stderr = "";
    const reader = child.stderr.pipeThrough(new TextDecoderStream()).getReader();
    let url: string | undefined;
    while (url === undefined) {
      const { value, done } = await reader.read();
      if (done) break;
      stderr += value;
      url = /metrics: (http:\/\/127\.0\.0\.1:\d+\/metrics)/.exec(stderr)?.[1];
    }
    const rest = (async () => {
      for (;;) {
        const { value, done } = await reader.read();
        if (done) return;
        stderr += value;
      }
    })();
    assert.ok(url, `no metrics line in:\n${stderr}`);
    const target: string = url;
    let samples = parseExposition("");
    let text = "";
    for (let i = 0; i < 200; i++) {
      const res: Response = await fetch(target);
      assert.equal(res.headers.get("content-type"), "text/plain; version=0.0.4; charset=utf-8");
      text = await res.text();
      samples = parseExposition(text);
      if ((sampleValue(samples, "sentinel_bars_received_total", { symbol: "BTC/USD" }) ?? 0) >= 40) break;
      await new Promise((r) => setTimeout(r, 25));
    }
    const v = (name: string, labels: Record<string, string> = {}) =>
      sampleValue(samples, name, { account: "pm1", ...labels });
    const bars = v("sentinel_bars_received_total", { symbol: "BTC/USD" })!;
    assert.ok(bars >= 40 && bars < 156, `scraped mid-run: ${bars} bars`);
    assert.equal(v("sentinel_feed_lag_seconds_count"), bars);
    assert.ok(v("sentinel_orders_total", { state: "submitted" })! >= 1);
    assert.ok(Number.isFinite(v("sentinel_equity")));
    assert.equal(v("sentinel_trading_state", { state: "active" }), 1);
    assert.ok(v("sentinel_audit_events_total")! > bars);
    assert.equal(v("sentinel_alerts_total", { rule: "drawdown" }), 1);
    assert.equal(text.includes(HOOK_SECRET), false);
    child.kill("SIGINT");
    const status = await child.status;
    await rest;
    assert.equal(status.code, 0, stderr);
    assert.match(stderr, /WARNING pm1 alert_drawdown drawdown \d+\.\d+ % beyond 0\.00 %/);
    assert.equal(stderr.includes(HOOK_SECRET), false);
    assert.match(stderr, /stopped: \d+ batches/);
    // The server went down with the runner.
    await assert.rejects(fetch(target));

    const bad = await new Deno.Command(Deno.execPath(), {
      args: ["run", "-A", `${ROOT}paper/main.ts`, "--account", "pm1", "--metrics-port", "http"],
      cwd: ROOT,
      env: { SENTINEL_DATA_DIR: dataDir, NO_COLOR: "1" },
    }).output();
    assert.equal(bad.code, 2);
    assert.match(
      new TextDecoder().decode(bad.stderr),
      /--metrics-port must be a port 0-65535 \(0: any free one\), got "http"/,
    );
  } finally {
    await Deno.remove(dataDir, { recursive: true });
  }
});
