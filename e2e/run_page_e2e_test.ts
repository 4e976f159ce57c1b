// The run page in headless Chromium: zoom by dragging across the equity figure, pan, log scale,
// hover read-out. Screenshots go to .ci/out/screenshots/ (git-ignored) for a look by eye.
import assert from "node:assert/strict";
import { chromium } from "playwright-core";
import { openLab, postJson } from "../tests/_http_fixture.ts";

const SHOTS = new URL("../.ci/out/screenshots/", import.meta.url);
const FLAGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking", "--no-first-run"];

Deno.test("run page in Chromium: drag to zoom the equity figure, pan, log scale, hover values", async () => {
  await Deno.mkdir(SHOTS, { recursive: true });
  const lab = await openLab();
  const server = Deno.serve({ hostname: "127.0.0.1", port: 0, onListen: () => {} }, lab.app.fetch);
  const base = `http://127.0.0.1:${server.addr.port}`;
  const browser = await chromium.launch({ executablePath: "/usr/bin/chromium", args: FLAGS });
  try {
    const res = await postJson(lab.app, "/api/backtests", {
      series: "samples:SPX:1d",
      strategy: "sma_cross",
      params: { fast: 10, slow: 50 },
      options: { fee: 0.001 },
    });
    const id = (await res.json()).run_id;
    const page = await browser.newPage({ viewport: { width: 1200, height: 900 } });
    const shot = (name: string, fullPage = true) =>
      page.screenshot({ path: new URL(`${name}.png`, SHOTS).pathname, fullPage });
    await page.goto(`${base}/runs/${id}`);
    await page.waitForSelector("#equity-zoom svg");
    await shot("10-run-page");
    // Before any hover the read-out and the drag band are not drawn (a CSS display rule once overrode `hidden`).
    assert.equal(await page.locator("#equity-zoom .zoom-tip").isVisible(), false);
    assert.equal(await page.locator("#equity-zoom .zoom-band").isVisible(), false);
    const zoom = page.locator("#equity-zoom");
    const full = Number(await zoom.getAttribute("data-to")) - Number(await zoom.getAttribute("data-from"));

    // Hover: a read-out of the nearest point (time in UTC, equity, drawdown).
    const svg = page.locator("#equity-zoom .zoom-figures svg").first();
    const box = (await svg.boundingBox())!;
    await page.waitForFunction(() => true);
    await page.mouse.move(box.x + box.width * 0.5, box.y + box.height * 0.6);
    await page.waitForSelector("#equity-zoom .zoom-tip:not([hidden])");
    assert.match(
      await page.textContent("#equity-zoom .zoom-tip") ?? "",
      /\d{4}-\d\d-\d\d( \d\d:\d\d)? UTC · equity [\d,.]+ · drawdown/,
    );

    // Drag from 30 % to 50 % of the width: the figure is re-rendered for that range.
    const y = box.y + box.height * 0.6;
    await page.mouse.move(box.x + box.width * 0.3, y);
    await page.mouse.down();
    await page.mouse.move(box.x + box.width * 0.5, y, { steps: 5 });
    await page.mouse.up();
    await page.waitForFunction((f) => {
      const el = document.getElementById("equity-zoom")!;
      return Number(el.dataset.to) - Number(el.dataset.from) < f * 0.5 && !el.classList.contains("loading");
    }, full);
    const zoomed = Number(await zoom.getAttribute("data-to")) - Number(await zoom.getAttribute("data-from"));
    assert.ok(zoomed < full * 0.3, `zoomed to ${zoomed / full} of the run`);
    await zoom.scrollIntoViewIfNeeded();
    await page.screenshot({ path: new URL("11-run-zoomed.png", SHOTS).pathname });

    // Pan right, then log scale, then the full run again.
    const from0 = Number(await zoom.getAttribute("data-from"));
    await page.click('#equity-zoom [data-zoom="right"]');
    await page.waitForFunction((f) => Number(document.getElementById("equity-zoom")!.dataset.from) > f, from0);
    await page.check('#equity-zoom [data-zoom="log"]');
    await page.waitForSelector("#equity-zoom svg[aria-label='Equity (log scale)']");
    await page.click('#equity-zoom [data-zoom="reset"]');
    await page.waitForFunction((f) => {
      const el = document.getElementById("equity-zoom")!;
      return Number(el.dataset.to) - Number(el.dataset.from) === f;
    }, full);
    await zoom.scrollIntoViewIfNeeded();
    await page.screenshot({ path: new URL("12-run-log-full.png", SHOTS).pathname });
  } finally {
    await browser.close();
    await server.shutdown();
    await lab.close();
  }
});
