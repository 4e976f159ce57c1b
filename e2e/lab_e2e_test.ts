// End to end: the lab in headless Chromium (Debian's /usr/bin/chromium through playwright-core).
// Screenshots go to .ci/out/screenshots/ (git-ignored) for a look by eye.
import assert from "node:assert/strict";
import { chromium } from "playwright-core";
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

Deno.test("lab in Chromium: dataset, backtest from the form, sweep with live progress to 100 % and its heatmap", async () => {
  await Deno.mkdir(SHOTS, { recursive: true });
  const lab = await openLab({ sweepWorkers: 2 });
  const server = Deno.serve({ hostname: "127.0.0.1", port: 0, onListen: () => {} }, lab.app.fetch);
  const base = `http://127.0.0.1:${server.addr.port}`;
  const browser = await chromium.launch({ executablePath: "/usr/bin/chromium", args: FLAGS });
  try {
    const page = await browser.newPage({ viewport: { width: 1200, height: 900 } });
    const shot = (name: string) => page.screenshot({ path: new URL(`${name}.png`, SHOTS).pathname, fullPage: true });

    await page.goto(`${base}/`);
    assert.match(await page.textContent("h1") ?? "", /Sentinel lab/);
    await shot("01-overview");

    await page.goto(`${base}/datasets`);
    await page.click("text=samples:SPX:1d");
    await page.waitForSelector("figure.sentinel-figure svg");
    assert.equal(await page.locator("figure.sentinel-figure").count(), 2);
    await shot("02-dataset");

    await page.goto(`${base}/backtests/new?series=${encodeURIComponent("samples:SPX:1d")}&strategy=sma_cross`);
    await page.fill('input[name="p.fast"]', "10");
    await page.fill('input[name="p.slow"]', "50");
    await page.fill('input[name="fee"]', "0.001");
    await shot("03-backtest-form");
    await Promise.all([page.waitForURL(/\/runs\/[A-Za-z0-9_-]+$/), page.click("#run")]);
    await page.waitForSelector("table.stats");
    // The shared report renderer's figures: equity, drawdown, rolling Sharpe and beta, exposure, price, monthly, histogram.
    assert.equal(await page.locator("figure.sentinel-figure").count(), 8);
    assert.match(await page.textContent("table.stats") ?? "", /Sharpe/);
    assert.ok(await page.locator("#trades-table tbody tr").count() > 0);
    await shot("04-run");
    await page.screenshot({ path: new URL("04-run-top.png", SHOTS).pathname });

    await page.goto(`${base}/sweeps/new?series=${encodeURIComponent("samples:SPX:1d")}&strategy=sma_cross`);
    await page.fill('input[name="g.fast"]', "2..40:4");
    await page.fill('input[name="g.slow"]', "20..200:20");
    await Promise.all([page.waitForURL(/\/sweeps\/job-/), page.click("#start-sweep")]);
    await page.waitForSelector("#sweep-result", { timeout: 60_000 });
    // 10 fast values (2, 6, ..., 38) x 10 slow values (20, 40, ..., 200) = 100, minus the 5 with fast >= slow
    // (22, 26, 30, 34 and 38 against slow 20).
    assert.match(await page.textContent("#progress-text") ?? "", /done · 95 of 95 combinations · 100\.0 %/);
    assert.equal(await page.locator("#progress").evaluate((el) => (el as HTMLProgressElement).value), 100);
    assert.ok(await page.locator("#sweep-result svg").count() > 0, "heatmap");
    assert.ok(await page.locator("#top-combos tbody tr").count() > 0);
    await shot("05-sweep");

    await page.goto(`${base}/runs`);
    assert.equal(await page.locator("#runs-table tbody tr").count(), 2);
    await Promise.all([page.waitForURL(/\/runs\/compare/), page.click("text=Compare A and B")]);
    await page.waitForSelector("#compare-table");
    await shot("06-compare");
  } finally {
    await browser.close();
    await server.shutdown();
    await lab.close();
  }
});
