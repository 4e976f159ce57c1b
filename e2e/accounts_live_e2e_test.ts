// End to end: an account page in headless Chromium follows a paper replay live (EventSource, no reload), and a live
// session (an armed LiveRunner on the fake exchange) whose reconciliation hold is acknowledged with the page's button.
// Screenshots go to .ci/out/screenshots/ (git-ignored) for a look by eye.
import assert from "node:assert/strict";
import { chromium } from "playwright-core";
import { createAccount } from "../lib/accounts/mod.ts";
import { AuditLog, replay } from "../lib/audit/mod.ts";
import { noLimitsRiskConfig } from "../lib/risk/mod.ts";
import { PaperRunner, ReplayFeed } from "../lib/runner/mod.ts";
import { smaCross } from "../lib/strategies/mod.ts";
import { randomBars } from "../lib/testing/mod.ts";
import { liveSession } from "../lib/http/_live_test_helpers.ts";
import { openLab } from "../tests/_http_fixture.ts";

const SHOTS = new URL("../.ci/out/screenshots/", import.meta.url);
const FLAGS = [
  "--headless",
  "--no-sandbox",
  "--disable-gpu",
  "--disable-background-networking",
  "--disable-component-update",
  "--no-first-run",
  "--disable-sync",
  "--disable-quic",
];

Deno.test("account page in Chromium: the equity, positions and timeline move while a replay runs; the list too", async () => {
  await Deno.mkdir(SHOTS, { recursive: true });
  const lab = await openLab();
  const server = Deno.serve({ hostname: "127.0.0.1", port: 0, onListen: () => {} }, lab.app.fetch);
  const base = `http://127.0.0.1:${server.addr.port}`;
  const browser = await chromium.launch({ executablePath: "/usr/bin/chromium", args: FLAGS });
  try {
    createAccount({ dataDir: lab.dir, name: "e2e-live", kind: "paper", cash: 10_000 });
    const page = await browser.newPage({ viewport: { width: 1200, height: 900 } });
    await page.goto(`${base}/accounts/e2e-live`);
    await page.waitForSelector("#live-indicator.live-on");
    const equity = () => page.textContent('#live-figures [data-live="equity"]');
    assert.equal(await equity(), "10,000.00 USDT");

    const frame = randomBars({ n: 400, seed: 3, stepMs: 3_600_000, volatility: 0.03 });
    const runner = await PaperRunner.open({
      account: "e2e-live",
      dataDir: lab.dir,
      sleeves: [{
        id: "s",
        strategy: smaCross,
        params: { fast: 2, slow: 6 },
        symbol: "X/USDT",
        options: { fee: 0.001 },
      }],
      risk: noLimitsRiskConfig(),
      startingCash: 10_000,
      mode: "replay",
      timeframe: "1h",
    });
    // About 5 ms a batch: two seconds of replay, so the page sees it mid-run.
    const run = runner.run(new ReplayFeed({ frames: { "X/USDT": frame }, timeframe: "1h", speed: 720_000 }));
    await page.waitForFunction(
      () => {
        const e = document.querySelector('#live-figures [data-live="equity"]')?.textContent;
        return e !== undefined && e !== "10,000.00 USDT";
      },
      undefined,
      { timeout: 20_000 },
    );
    assert.ok(await page.locator("#events tbody tr").count() > 1, "the timeline grows");
    await page.screenshot({ path: new URL("10-account-live-mid.png", SHOTS).pathname, fullPage: true });
    await run;
    runner.close();

    using log = AuditLog.open({ dataDir: lab.dir, account: "e2e-live", readOnly: true });
    const s = replay(log.query({ limit: 1_000_000 }));
    const want = `${s.equity.toLocaleString("en-US", { minimumFractionDigits: 2, maximumFractionDigits: 2 })} USDT`;
    await page.waitForFunction(
      (w) => document.querySelector('#live-figures [data-live="equity"]')?.textContent === w,
      want,
      { timeout: 10_000 },
    );
    assert.equal(await page.textContent("#live-seq"), `seq ${s.lastSeq}`);
    assert.equal(await page.locator("#events tbody tr").count(), 50);
    assert.equal(await page.textContent("#events tbody tr:first-child td:first-child"), String(s.lastSeq));
    assert.equal(await page.locator("#live-bars tbody tr").count(), 1);
    await page.screenshot({ path: new URL("11-account-live-end.png", SHOTS).pathname, fullPage: true });

    // The operator's kill from the page's form: the badge turns halted through the stream.
    await page.fill('form[action="/accounts/e2e-live/kill"] input[name="reason"]', "e2e");
    await Promise.all([page.waitForURL(`${base}/accounts/e2e-live`), page.click('form[action$="/kill"] button')]);
    await page.waitForSelector("#live-indicator.live-on");
    assert.match(await page.textContent("#trading-state") ?? "", /halted/);

    await page.goto(`${base}/accounts`);
    await page.waitForSelector("#live-indicator.live-on");
    await page.waitForFunction(
      (w) => document.querySelector('tr[data-account="e2e-live"] [data-f="equity"]')?.textContent === w,
      want,
      { timeout: 10_000 },
    );
    await page.screenshot({ path: new URL("12-accounts-live.png", SHOTS).pathname, fullPage: true });
  } finally {
    await browser.close();
    await server.shutdown();
    await lab.close();
  }
});

Deno.test("live account page in Chromium: orders and fills of an armed session; a reconciliation hold acknowledged with the button", async () => {
  await Deno.mkdir(SHOTS, { recursive: true });
  const s = await liveSession({ account: "e2e-armed" });
  const browser = await chromium.launch({ executablePath: "/usr/bin/chromium", args: FLAGS });
  try {
    const page = await browser.newPage({ viewport: { width: 1200, height: 1000 } });
    await page.goto(`${s.base}/accounts/e2e-armed`);
    await page.waitForSelector("#live-indicator.live-on");
    assert.equal(await page.isVisible("#reconciliation-hold"), false, "no hold: no acknowledge control");

    // Down, down, up: the entry, half filled at once (fillParts 2), shows as an open order.
    for (const close of [100, 98, 96, 99]) s.feed.push(close);
    await page.waitForFunction(
      () => document.querySelector("#open-orders tbody tr td:last-child")?.textContent === "partially_filled",
      undefined,
      { timeout: 10_000 },
    );
    assert.equal(await page.textContent("#open-orders tbody tr td:nth-child(3)"), "buy");
    assert.equal(await page.locator("#positions tbody tr").count(), 1);
    s.feed.push(103);
    await page.waitForSelector("#open-orders", { state: "hidden", timeout: 10_000 });
    await page.waitForFunction(
      () => document.querySelector("#live-bars tbody tr td:nth-child(4)")?.textContent === "103.00",
      undefined,
      { timeout: 10_000 },
    );
    assert.match(await page.textContent("#live-bars tbody tr td:nth-child(5)") ?? "", /min|s$/);

    // An order the log does not know, found after a reconnect: the page shows the hold and its button.
    await (await s.otherBroker()).submit({
      clientOrderId: "stray-e2e",
      symbol: "BTC/USDT",
      side: "buy",
      type: "limit",
      qty: 0.2,
      price: 50,
    });
    s.runner.requestReconcile("reconnect");
    s.feed.push(104);
    await page.waitForSelector("#reconciliation-hold", { state: "visible", timeout: 10_000 });
    assert.match(await page.textContent("#trading-state") ?? "", /reducing/);
    assert.match(await page.textContent("#hold-messages") ?? "", /stray-e2e|not in the log|open order/);
    await page.screenshot({ path: new URL("13-account-reconciliation-hold.png", SHOTS).pathname, fullPage: true });

    await page.fill('#ack-form input[name="reason"]', "stray-e2e was a manual test order");
    await Promise.all([page.waitForURL(`${s.base}/accounts/e2e-armed`), page.click("#ack-button")]);
    await page.waitForSelector("#live-indicator.live-on");
    assert.match(await page.textContent("#outcome") ?? "", /acknowledged reconciliation \d+: stray-e2e was a manual/);
    assert.equal(await page.isVisible("#reconciliation-hold"), false);
    assert.match(await page.textContent("#trading-state") ?? "", /active/);
    assert.match(await page.textContent("#events tbody") ?? "", /operator_ack/);
    const acks = s.events().filter((e) => e.kind === "operator_ack");
    assert.equal(acks.length, 1);
    assert.equal(acks[0]?.kind === "operator_ack" && acks[0].payload.note, "stray-e2e was a manual test order");
    await page.screenshot({ path: new URL("14-account-hold-acknowledged.png", SHOTS).pathname, fullPage: true });
  } finally {
    await browser.close();
    await s.close();
  }
});
