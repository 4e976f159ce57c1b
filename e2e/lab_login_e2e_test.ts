// End to end: a lab with a token in headless Chromium: a form post without a session gets the
// token page, logging in sets the session cookie (HttpOnly, SameSite=Strict, never the token),
// the form then works, a hostile `next` stays on the lab, and logging out ends the session.
import assert from "node:assert/strict";
import { chromium } from "playwright-core";
import { openLab } from "../tests/_http_fixture.ts";

const FLAGS = ["--headless", "--no-sandbox", "--disable-gpu", "--no-first-run", "--disable-background-networking"];
const TOKEN = "e2e-lab-token-0123456789abcdef";

Deno.test("lab login in Chromium: token page, session cookie, same-origin next, logout", async () => {
  const lab = await openLab({ token: TOKEN });
  const server = Deno.serve({ hostname: "127.0.0.1", port: 0, onListen: () => {} }, lab.app.fetch);
  const base = `http://127.0.0.1:${server.addr.port}`;
  const browser = await chromium.launch({ executablePath: "/usr/bin/chromium", args: FLAGS });
  try {
    const context = await browser.newContext();
    const page = await context.newPage();
    await page.goto(`${base}/backtests/new?series=${encodeURIComponent("samples:SPX:1d")}&strategy=sma_cross`);
    await page.click("#run");
    await page.waitForSelector("text=Enter the lab token");
    assert.match(await page.textContent("h1") ?? "", /Token required/);

    // A hostile next (a tab makes /\t/evil.example mean //evil.example to a browser) stays on the lab.
    await page.goto(`${base}/login?next=${encodeURIComponent("/\t/evil.example/phish")}`);
    await page.fill('input[name="token"]', TOKEN);
    await Promise.all([page.waitForURL(`${base}/`), page.click('button[type="submit"]')]);
    const cookies = await context.cookies(base);
    const session = cookies.find((c) => c.name === "sentinel_session");
    assert.ok(session, "session cookie set");
    assert.match(session.value, /^[0-9a-f]{64}$/);
    assert.ok(!session.value.includes(TOKEN));
    assert.equal(session.httpOnly, true);
    assert.equal(session.sameSite, "Strict");
    assert.ok(session.expires > Date.now() / 1000 + 11 * 3600, "expires in about 12 h");

    await page.goto(`${base}/backtests/new?series=${encodeURIComponent("samples:SPX:1d")}&strategy=sma_cross`);
    await Promise.all([page.waitForURL(/\/runs\/[A-Za-z0-9_-]+$/), page.click("#run")]);

    await page.goto(`${base}/login`);
    await Promise.all([page.waitForURL(`${base}/`), page.click("#logout")]);
    assert.equal((await context.cookies(base)).find((c) => c.name === "sentinel_session"), undefined);
    await page.goto(`${base}/backtests/new?series=${encodeURIComponent("samples:SPX:1d")}&strategy=sma_cross`);
    await page.click("#run");
    await page.waitForSelector("text=Enter the lab token");
  } finally {
    await browser.close();
    await server.shutdown();
    await lab.close();
  }
});
