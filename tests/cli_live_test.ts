// `deno task live` as a user runs it, against the fake exchange (real ccxt and ccxt.pro in the child): user errors,
// the two arming conditions, a dry run that sends nothing, an armed session whose log matches the fake, and crash
// rounds (SIGKILL of the child at random points, restart, reconcile): nothing sent twice, nothing lost.
import assert from "node:assert/strict";
import { createAccount } from "../lib/accounts/mod.ts";
import { type AuditEvent, AuditLog } from "../lib/audit/mod.ts";
import { noLimitsRiskConfig } from "../lib/risk/mod.ts";
import { type LogEvent, logViewOf } from "../lib/runner/mod.ts";
import { smaCross, strategyCodeHash } from "../lib/strategies/mod.ts";
import { type FakeExchange, mulberry32, startFakeExchange } from "../lib/testing/mod.ts";
import type { Bar } from "../lib/types/mod.ts";
import { Vault } from "../lib/vault/mod.ts";
import { errorLine, ROOT, withTempDir } from "./_cli.ts";

const MAIN = `${ROOT}live/main.ts`;
const KEY = "PLANTED-CLI-KEY-9f9f9f";
const SECRET = "PLANTED-CLI-SECRET-3a3a3a";
const PASS = "correct horse battery staple";
const SYM = "BTC/USDT";
const M = 60_000;
const T0 = Date.UTC(2024, 0, 1);
/** Bars 0..19 are history; the stream sends from bar 20. Closes wander so smaCross(1, 2) trades often. */
const N = 120;
const BARS: Bar[] = Array.from({ length: N }, (_, i) => {
  const c = 100 * (1 + 0.01 * Math.sin(i * 1.3) + 0.004 * Math.sin(i * 5.1));
  return { ts: T0 + i * M, open: c, high: c * 1.001, low: c * 0.999, close: c, volume: 10 };
});

interface Setup {
  dataDir: string;
  fake: FakeExchange;
  /** Streams bar `i` (the fake's clock moves past its close first). */
  push(i: number): void;
}

async function setup(dataDir: string, armed: boolean): Promise<Setup> {
  let clock = T0 + 20 * M;
  const fake = await startFakeExchange({
    series: [{ symbol: SYM, timeframe: "1m", bars: BARS }],
    now: () => clock,
    account: { apiKey: KEY, secret: SECRET, balances: { USDT: 10_000 } },
  });
  createAccount({ dataDir, name: "l1", kind: "live", cash: 1_000 });
  const path = `${dataDir}/_accounts/l1/account.json`;
  const cfg = JSON.parse(Deno.readTextFileSync(path));
  // The risk engine has its own tests: here every decision goes through, so orders reach the fake.
  Deno.writeTextFileSync(
    path,
    JSON.stringify({ ...cfg, risk: noLimitsRiskConfig(), ...(armed ? { armed: true } : {}) }, null, 2),
  );
  {
    using log = AuditLog.open({ dataDir, account: "l1" });
    log.append({
      kind: "promotion",
      runId: "test",
      payload: {
        strategy: "sma_cross",
        codeHash: await strategyCodeHash(smaCross),
        params: { fast: 1, slow: 2 },
        market: "binance:BTC/USDT:1m",
        symbol: SYM,
        timeframe: "1m",
        options: { fee: 0.001 },
        evidenceRunIds: [],
      },
    });
  }
  {
    using vault = await Vault.open({ dataDir, passphrase: PASS, create: true, kdf: { N: 2 ** 10 } });
    await vault.add("k1", "binance", { apiKey: KEY, secret: SECRET });
  }
  return {
    dataDir,
    fake,
    push(i) {
      clock = Math.max(clock, T0 + (i + 1) * M);
      fake.ws.seek(SYM, "1m", T0 + i * M);
      fake.ws.nextBar(SYM, "1m");
    },
  };
}

function spawn(s: Setup, extra: readonly string[], env: Record<string, string> = {}): Deno.ChildProcess {
  return new Deno.Command(Deno.execPath(), {
    args: [
      "run",
      "--allow-read",
      "--allow-write",
      "--allow-env",
      "--allow-ffi",
      "--allow-sys",
      "--allow-net",
      MAIN,
      "--account",
      "l1",
      "--api-url",
      s.fake.url,
      "--ws-url",
      s.fake.ws.url,
      ...extra,
    ],
    cwd: ROOT,
    env: { SENTINEL_DATA_DIR: s.dataDir, NO_COLOR: "1", SENTINEL_VAULT_PASSPHRASE: PASS, ...env },
    stdin: "null",
    stdout: "piped",
    stderr: "piped",
  }).spawn();
}

async function run(s: Setup, extra: readonly string[], env: Record<string, string> = {}) {
  const out = await spawn(s, extra, env).output();
  const dec = new TextDecoder();
  return { code: out.code, stdout: dec.decode(out.stdout), stderr: dec.decode(out.stderr) };
}

function logEvents(dataDir: string): { all: AuditEvent[]; ok: boolean } {
  using log = AuditLog.open({ dataDir, account: "l1", readOnly: true });
  return { all: log.query({ limit: 100_000 }), ok: log.verify().ok };
}

function reconciliations(dataDir: string): number {
  return logEvents(dataDir).all.filter((e) => e.kind === "reconciliation").length;
}

function lastBar(dataDir: string): number {
  const bars = logEvents(dataDir).all.filter((e) => e.kind === "bars");
  const last = bars.at(-1);
  return last?.kind === "bars" ? last.payload.ts : -1;
}

async function until(what: string, ok: () => boolean, timeoutMs = 20_000): Promise<void> {
  const end = Date.now() + timeoutMs;
  while (!ok()) {
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 25));
  }
}

/** Streams bars `from..to-1`, each once the child logged the previous one (or after `waitMs` when it may be dead). */
async function stream(s: Setup, from: number, to: number, child?: { alive: () => boolean }): Promise<void> {
  for (let i = from; i < to; i++) {
    s.push(i);
    const end = Date.now() + 15_000;
    let again = Date.now() + 1_000;
    while (lastBar(s.dataDir) < T0 + i * M) {
      if (child && !child.alive()) return;
      if (Date.now() > end) throw new Error(`bar ${i} never reached the log`);
      // Sent before the child subscribed, a bar is lost: send it again (the feed drops a bar it already has).
      if (Date.now() > again) {
        s.push(i);
        again = Date.now() + 1_000;
      }
      await new Promise((r) => setTimeout(r, 20));
    }
  }
}

/** Stops the child with SIGINT and waits for it; answers its stderr. */
async function stop(child: Deno.ChildProcess): Promise<{ code: number; stderr: string }> {
  child.kill("SIGINT");
  const out = await child.output();
  return { code: out.code, stderr: new TextDecoder().decode(out.stderr) };
}

/** The fake's orders and fills against the log: no client id twice, every fill once, holdings equal. */
function assertConsistent(s: Setup): void {
  const ids = s.fake.orders.map((o) => o.clientOrderId);
  assert.equal(new Set(ids).size, ids.length, `a client id reached the fake twice: ${ids.join(", ")}`);
  const { all, ok } = logEvents(s.dataDir);
  assert.ok(ok, "audit verify");
  const fills = all.filter((e) => e.kind === "order_filled" || e.kind === "order_partially_filled");
  assert.equal(fills.length, s.fake.fills.length, "log fills == fake fills");
  const base = all.find((e) => e.kind === "config_change" && e.payload.target === "exchange_balances");
  const start = base?.kind === "config_change" ? base.payload.after as Record<string, number> : {};
  const view = logViewOf(all as LogEvent[], { start });
  const btc = s.fake.balances.BTC;
  const held = (btc?.free ?? 0) + (btc?.locked ?? 0);
  assert.ok(Math.abs((view.holdings.BTC ?? 0) - held) < 1e-8, `log BTC ${view.holdings.BTC} != fake ${held}`);
  const usdt = s.fake.balances.USDT!;
  assert.ok(Math.abs((view.holdings.USDT ?? 0) - usdt.free - usdt.locked) < 1e-6, "USDT equal");
  for (const o of s.fake.orders) {
    const i = all.findIndex((e) => e.kind === "order_intent" && e.payload.clientOrderId === o.clientOrderId);
    const j = all.findIndex((e) => e.kind === "order_submitted" && e.payload.clientOrderId === o.clientOrderId);
    assert.ok(i >= 0 && j > i, `${o.clientOrderId}: intent logged before its send`);
  }
}

Deno.test("live: user errors are one line and exit 2; arming needs both the config and --arm with the name", async () => {
  await withTempDir("live-cli-", async (dataDir) => {
    const s = await setup(dataDir, false);
    try {
      const cases: [string[], RegExp, Record<string, string>?][] = [
        [["--key", "k1", "--arm=l1"], /is not armed: set "armed": true/],
        [["--key", "k1", "--secret=abc"], /--secret is refused/],
        [["--key", "nope"], /no key nope in the vault/],
        [["--key", "k1"], /wrong passphrase|passphrase/i, { SENTINEL_VAULT_PASSPHRASE: "not the passphrase" }],
      ];
      for (const [args, re, env] of cases) {
        const r = await run(s, args, env);
        assert.equal(r.code, 2, `${args.join(" ")}: ${r.stderr}`);
        assert.match(errorLine(r), re);
        assert.ok(!r.stderr.includes(KEY) && !r.stderr.includes(SECRET));
      }
      const path = `${dataDir}/_accounts/l1/account.json`;
      Deno.writeTextFileSync(path, JSON.stringify({ ...JSON.parse(Deno.readTextFileSync(path)), armed: true }));
      for (
        const [args, re] of [[["--key", "k1", "--arm=l2"], /does not name the account/], [
          ["--key", "k1", "--arm"],
          /use --arm=l1 when not interactive/,
        ]] as const
      ) {
        const r = await run(s, args);
        assert.equal(r.code, 2, r.stderr);
        assert.match(errorLine(r), re);
      }
      assert.equal(s.fake.requests.filter((q) => q.endpoint === "newOrder").length, 0);
    } finally {
      await s.fake.close();
    }
  });
});

Deno.test("live: a dry run streams bars, logs what it would have sent, and sends nothing", async () => {
  await withTempDir("live-cli-", async (dataDir) => {
    const s = await setup(dataDir, true);
    try {
      const child = spawn(s, ["--key", "k1"]);
      await until("the first reconciliation", () => logEvents(dataDir).all.some((e) => e.kind === "reconciliation"));
      await stream(s, 20, 32);
      const out = await stop(child);
      assert.equal(out.code, 0, out.stderr);
      assert.match(out.stderr, /DRY RUN \(no --arm\)/);
      assert.match(out.stderr, /stopped: 1[12] batches, .* 0 orders sent, [1-9]\d* dry-run orders/);
      const { all, ok } = logEvents(dataDir);
      assert.ok(ok);
      const dry = all.filter((e) => e.kind === "order_dry_run" && e.payload.reason.startsWith("dry run"));
      assert.ok(dry.length >= 2, `dry-run orders: ${dry.length}`);
      assert.deepEqual(all.filter((e) => e.kind === "order_rejected"), [], "a dry run is not a rejection");
      assert.equal(s.fake.requests.filter((q) => q.endpoint === "newOrder").length, 0);
      // --key set the account's key on first use.
      assert.equal(JSON.parse(Deno.readTextFileSync(`${dataDir}/_accounts/l1/account.json`)).key, "k1");
      const change = all.find((e) =>
        e.kind === "config_change" && (e.payload as { target?: string }).target === "account" && "diff" in e.payload
      );
      assert.deepEqual((change?.payload as { diff?: unknown }).diff, [{ path: "key", after: "k1" }]);
      assert.ok(!JSON.stringify(all).includes(KEY) && !out.stderr.includes(SECRET));
    } finally {
      await s.fake.close();
    }
  });
});

Deno.test("live: an armed session fills as the fake says; SIGKILL at random points, restart: nothing twice, nothing lost", async () => {
  await withTempDir("live-cli-", async (dataDir) => {
    const s = await setup(dataDir, true);
    const rand = mulberry32(Number(Deno.env.get("LIVE_CRASH_SEED") ?? 7));
    try {
      let next = 20;
      // Round 0 runs cleanly; the next rounds are killed at a random moment while bars stream.
      for (let round = 0; round < 4; round++) {
        const before = reconciliations(dataDir);
        const child = spawn(s, ["--key", "k1", "--arm=l1"]);
        let alive = true;
        const status = child.status.then((st) => (alive = false, st));
        await until("the child's start reconciliation", () => reconciliations(dataDir) > before, 30_000);
        if (round === 0) {
          await stream(s, next, next + 8);
          next += 8;
          const out = await stop(child);
          assert.equal(out.code, 0, out.stderr);
          assert.match(out.stderr, /ARMED/);
          assertConsistent(s);
          continue;
        }
        const killAt = Date.now() + 150 + rand() * 1_500;
        const pushing = (async () => {
          while (alive && Date.now() < killAt && next < N - 10) {
            s.push(next++);
            await new Promise((r) => setTimeout(r, 40 + rand() * 80));
          }
        })();
        await new Promise((r) => setTimeout(r, Math.max(0, killAt - Date.now())));
        try {
          child.kill("SIGKILL");
        } catch { /* already gone */ }
        await pushing;
        await status;
        await child.stdout.cancel();
        await child.stderr.cancel();
      }
      // A clean last run reconciles whatever the kills left and trades on.
      const before = reconciliations(dataDir);
      const child = spawn(s, ["--key", "k1", "--arm=l1"]);
      await until("the last start reconciliation", () => reconciliations(dataDir) > before, 40_000);
      await stream(s, next, next + 4);
      const out = await stop(child);
      assert.equal(out.code, 0, out.stderr);
      assert.ok(s.fake.orders.length >= 2, `orders at the fake: ${s.fake.orders.length}`);
      assertConsistent(s);
      const { all } = logEvents(dataDir);
      assert.ok(!JSON.stringify(all).includes(KEY) && !JSON.stringify(all).includes(SECRET));
      const resolved = all.flatMap((e) => e.kind === "reconciliation" ? e.payload.resolved.map((r) => r.outcome) : []);
      console.log(
        `crash rounds: ${s.fake.orders.length} orders, ${s.fake.fills.length} fills, ${
          all.filter((e) => e.kind === "bars").length
        } batches; reconciliations resolved: ${resolved.join(", ") || "nothing"}`,
      );
    } finally {
      await s.fake.close();
    }
  });
});

const HAS_SCRIPT = (() => {
  try {
    return Deno.statSync("/usr/bin/script").isFile;
  } catch {
    return false;
  }
})();

Deno.test({
  name: "live: --arm on a terminal asks for the account name; a wrong one sends nothing, the right one arms",
  ignore: !HAS_SCRIPT, // util-linux `script` gives the child a pseudo-terminal
  fn: async () => {
    await withTempDir("live-cli-", async (dataDir) => {
      const s = await setup(dataDir, true);
      const cmd = (): Deno.ChildProcess => {
        const argv = [Deno.execPath(), "run", "-A", MAIN, "--account", "l1", "--key", "k1", "--arm"];
        argv.push("--api-url", s.fake.url, "--ws-url", s.fake.ws.url);
        return new Deno.Command("/usr/bin/script", {
          // `exec`: script runs the command through $SHELL, and a dash that stays as the parent dies of the
          // Ctrl-C itself (exit 130) while deno stops cleanly; CI runs with SHELL=/bin/sh.
          args: ["-qec", `exec ${argv.map((a) => `'${a}'`).join(" ")}`, "/dev/null"],
          cwd: ROOT,
          env: { SENTINEL_DATA_DIR: dataDir, NO_COLOR: "1", SENTINEL_VAULT_PASSPHRASE: PASS, SHELL: "/bin/sh" },
          stdin: "piped",
          stdout: "piped",
          stderr: "piped",
        }).spawn();
      };
      const enc = new TextEncoder();
      try {
        const wrong = cmd();
        const w = wrong.stdin.getWriter();
        let text = "";
        const wrongReader = (async () => {
          for await (const c of wrong.stdout) text += new TextDecoder().decode(c);
        })();
        await until("the prompt", () => text.includes("Type the account name"));
        await w.write(enc.encode("l2\r"));
        const code = (await wrong.status).code;
        await wrongReader;
        await wrong.stderr.cancel();
        assert.equal(code, 2, text);
        assert.match(text, /Type the account name \(l1\) to send REAL orders/);
        assert.match(text, /error: the name typed does not match the account: nothing was sent/);

        const right = cmd();
        const r = right.stdin.getWriter();
        let seen = "";
        const reader = (async () => {
          for await (const c of right.stdout) seen += new TextDecoder().decode(c);
        })();
        await until("the prompt", () => seen.includes("Type the account name"));
        await r.write(enc.encode("l1\r"));
        await until("the armed start line", () => /live l1 ARMED/.test(seen), 30_000);
        await r.write(enc.encode("\x03")); // Ctrl-C on the terminal: a clean stop
        const st = await right.status;
        await reader;
        await right.stderr.cancel();
        assert.equal(st.code, 0, seen);
        assert.match(seen, /stopped: /);
        assert.equal(s.fake.orders.length, 0, "no bar streamed, so nothing decided");
      } finally {
        await s.fake.close();
      }
    });
  },
});

const ETH = "ETH/USDT";
const KEY_B = "PLANTED-CLI-KEY-B-7e7e7e";
const SECRET_B = "PLANTED-CLI-SECRET-B-5d5d5d";

/**
 * Account l2 on two exchanges: sma_cross on binance:BTC/USDT (fake A, key ka) and on binanceus:ETH/USDT (fake B,
 * key kb; ccxt's binanceus speaks Binance's API, so the fake serves it as it is).
 */
async function setupTwo(dataDir: string) {
  let clock = T0 + 20 * M;
  const a = await startFakeExchange({
    series: [{ symbol: SYM, timeframe: "1m", bars: BARS }],
    now: () => clock,
    account: { apiKey: KEY, secret: SECRET, balances: { USDT: 10_000 } },
  });
  const b = await startFakeExchange({
    series: [{
      symbol: ETH,
      timeframe: "1m",
      bars: BARS.map((x) => ({ ...x, open: x.open / 10, close: x.close / 10, high: x.high / 10, low: x.low / 10 })),
    }],
    now: () => clock,
    account: { apiKey: KEY_B, secret: SECRET_B, balances: { USDT: 10_000 } },
  });
  createAccount({ dataDir, name: "l2", kind: "live", cash: 1_000 });
  const path = `${dataDir}/_accounts/l2/account.json`;
  const cfg = JSON.parse(Deno.readTextFileSync(path));
  Deno.writeTextFileSync(path, JSON.stringify({ ...cfg, risk: noLimitsRiskConfig(), armed: true }, null, 2));
  const promote = async (market: string, symbol: string): Promise<void> => {
    using log = AuditLog.open({ dataDir, account: "l2" });
    log.append({
      kind: "promotion",
      runId: "test",
      payload: {
        strategy: "sma_cross",
        codeHash: await strategyCodeHash(smaCross),
        params: { fast: 1, slow: 2 },
        market,
        symbol,
        timeframe: "1m",
        options: { fee: 0.001 },
        evidenceRunIds: [],
      },
    });
  };
  await promote("binance:BTC/USDT:1m", SYM);
  await promote("binanceus:ETH/USDT:1m", ETH);
  {
    using vault = await Vault.open({ dataDir, passphrase: PASS, create: true, kdf: { N: 2 ** 10 } });
    await vault.add("ka", "binance", { apiKey: KEY, secret: SECRET });
    await vault.add("kb", "binanceus", { apiKey: KEY_B, secret: SECRET_B });
  }
  const urls = [
    ["--api-url", `binance=${a.url}`, "--ws-url", `binance=${a.ws.url}`],
    ["--api-url", `binanceus=${b.url}`, "--ws-url", `binanceus=${b.ws.url}`],
  ].flat();
  return {
    a,
    b,
    urls,
    promote,
    /** Streams bar `i` on both exchanges (their clock moves past its close first). */
    push(i: number): void {
      clock = Math.max(clock, T0 + (i + 1) * M);
      for (const [fake, symbol] of [[a, SYM], [b, ETH]] as const) {
        fake.ws.seek(symbol, "1m", T0 + i * M);
        fake.ws.nextBar(symbol, "1m");
      }
    },
    spawn(extra: readonly string[]): Deno.ChildProcess {
      return new Deno.Command(Deno.execPath(), {
        args: ["run", "-A", MAIN, "--account", "l2", ...extra],
        cwd: ROOT,
        env: { SENTINEL_DATA_DIR: dataDir, NO_COLOR: "1", SENTINEL_VAULT_PASSPHRASE: PASS },
        stdin: "null",
        stdout: "piped",
        stderr: "piped",
      }).spawn();
    },
    async close(): Promise<void> {
      await a.close();
      await b.close();
    },
  };
}

function l2Events(dataDir: string): { all: AuditEvent[]; ok: boolean } {
  using log = AuditLog.open({ dataDir, account: "l2", readOnly: true });
  return { all: log.query({ limit: 100_000 }), ok: log.verify().ok };
}

/** The last bar time the log holds for `symbol`. */
function lastBarOf(dataDir: string, symbol: string): number {
  let last = -1;
  for (const e of l2Events(dataDir).all) {
    if (e.kind === "bars") {
      for (const bar of e.payload.bars) if (bar.symbol === symbol) last = Math.max(last, e.payload.ts);
    }
  }
  return last;
}

Deno.test("live: one account on two exchanges (two keys): each order at its symbol's exchange, the log equal to both", async () => {
  await withTempDir("live-cli-", async (dataDir) => {
    const s = await setupTwo(dataDir);
    try {
      const child = s.spawn(["--key", "ka", "--key", "kb", "--arm=l2", ...s.urls]);
      await until(
        "the first reconciliation",
        () => l2Events(dataDir).all.some((e) => e.kind === "reconciliation"),
        30_000,
      );
      for (let i = 20; i < 34; i++) {
        s.push(i);
        const end = Date.now() + 15_000;
        let again = Date.now() + 1_000;
        while (lastBarOf(dataDir, SYM) < T0 + i * M || lastBarOf(dataDir, ETH) < T0 + i * M) {
          if (Date.now() > end) throw new Error(`bar ${i} never reached the log`);
          if (Date.now() > again) {
            s.push(i);
            again = Date.now() + 1_000;
          }
          await new Promise((r) => setTimeout(r, 20));
        }
      }
      await new Promise((r) => setTimeout(r, 300)); // the last fills
      const out = await stop(child);
      assert.equal(out.code, 0, out.stderr);
      assert.match(out.stderr, /ARMED/);
      assert.match(out.stderr, /binance BTC\/USDT; binanceus ETH\/USDT 1m/);
      assert.ok(s.a.orders.length >= 2 && s.b.orders.length >= 2, `${s.a.orders.length} / ${s.b.orders.length}`);
      assert.deepEqual([...new Set(s.a.orders.map((o) => o.symbol))], ["BTCUSDT"]);
      assert.deepEqual([...new Set(s.b.orders.map((o) => o.symbol))], ["ETHUSDT"]);
      const { all, ok } = l2Events(dataDir);
      assert.ok(ok);
      const fills = all.filter((e) => e.kind === "order_filled" || e.kind === "order_partially_filled");
      assert.equal(fills.length, s.a.fills.length + s.b.fills.length, "log fills == both fakes' fills");
      const rec = all.filter((e) => e.kind === "reconciliation");
      assert.ok(rec.every((e) => e.kind === "reconciliation" && e.payload.ok), JSON.stringify(rec));
      const base = all.find((e) => e.kind === "config_change" && e.payload.target === "exchange_balances");
      const start = base?.kind === "config_change" ? base.payload.after as Record<string, number> : {};
      assert.equal(start.USDT, 20_000, "the account's balances are both exchanges' summed");
      const view = logViewOf(all as LogEvent[], { start });
      const held = (f: FakeExchange, asset: string): number =>
        (f.balances[asset]?.free ?? 0) + (f.balances[asset]?.locked ?? 0);
      assert.ok(Math.abs((view.holdings.BTC ?? 0) - held(s.a, "BTC")) < 1e-8, "BTC equal");
      assert.ok(Math.abs((view.holdings.ETH ?? 0) - held(s.b, "ETH")) < 1e-8, "ETH equal");
      assert.ok(Math.abs((view.holdings.USDT ?? 0) - held(s.a, "USDT") - held(s.b, "USDT")) < 1e-6, "USDT equal");
      // Both keys were set on first use, in one config_change.
      assert.deepEqual(JSON.parse(Deno.readTextFileSync(`${dataDir}/_accounts/l2/account.json`)).key, ["ka", "kb"]);
      const text = JSON.stringify(all) + out.stderr;
      for (const secret of [KEY, SECRET, KEY_B, SECRET_B]) assert.ok(!text.includes(secret), "a secret leaked");
    } finally {
      await s.close();
    }
  });
});

Deno.test("live: a sleeve on an exchange without a key, or a key no sleeve trades on, is one line and exit 2", async () => {
  await withTempDir("live-cli-", async (dataDir) => {
    const s = await setupTwo(dataDir);
    try {
      const cases: [string[], RegExp][] = [
        [
          ["--key", "ka"],
          /sleeve sma_cross@ETH\/USDT of l2 trades on binanceus .* no vault key for binanceus .*deno task vault add NAME --exchange binanceus and pass --key NAME/,
        ],
        [["--key", "ka", "--key", "kb", "--api-url", s.a.url], /--api-url .* names no exchange .*--api-url ID=URL/],
        [
          ["--key", "ka", "--key", "kb", "--api-url", `okx=${s.a.url}`],
          /names okx, which the account does not trade on/,
        ],
      ];
      for (const [args, re] of cases) {
        const out = await s.spawn(args).output();
        const stderr = new TextDecoder().decode(out.stderr);
        assert.equal(out.code, 2, `${args.join(" ")}: ${stderr}`);
        assert.match(errorLine({ code: out.code, stdout: "", stderr }), re);
      }
      // A key whose exchange no sleeve trades: the ETH promotion moves to binance, kb (binanceus) trades nothing.
      await s.promote("binance:ETH/USDT:1m", ETH);
      const out = await s.spawn(["--key", "ka", "--key", "kb"]).output();
      const stderr = new TextDecoder().decode(out.stderr);
      assert.equal(out.code, 2, stderr);
      assert.match(
        errorLine({ code: out.code, stdout: "", stderr }),
        /vault key kb is for binanceus, where no strategy of l2 is promoted/,
      );
      assert.equal(s.a.requests.length + s.b.requests.length, 0, "refused before any request");
      assert.equal(JSON.parse(Deno.readTextFileSync(`${dataDir}/_accounts/l2/account.json`)).key, undefined);
    } finally {
      await s.close();
    }
  });
});
