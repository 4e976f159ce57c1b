// End to end: an account page in headless Chromium follows a paper replay live (EventSource, no reload).
// Screenshots go to .ci/out/screenshots/ (git-ignored) for a look by eye.
import assert from "node:assert/strict";
import { chromium } from "playwright-core";
import { createAccount } from "../lib/accounts/mod.ts";
import { AuditLog, replay } from "../lib/audit/mod.ts";
import { noLimitsRiskConfig } from "../lib/risk/mod.ts";
import { PaperRunner, ReplayFeed } from "../lib/runner/mod.ts";
import { smaCross } from "../lib/strategies/mod.ts";
import { randomBars } from "../lib/testing/mod.ts";
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
