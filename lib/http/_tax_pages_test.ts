import assert from "node:assert/strict";
import { AuditLog } from "../audit/mod.ts";
import { createAccount } from "../accounts/mod.ts";
import { openTaxLab } from "./_tax_test_helpers.ts";

const Q = "year=2025&method=fifo&tz=America%2FNew_York";

Deno.test("tax pages: the accounts with a form, a report page with the figure, Schedule D, rows, lots and trail", async (t) => {
  const lab = await openTaxLab();
  try {
    await t.step("/tax lists the accounts and the form; the nav links it", async () => {
      const res = await lab.app.request("/tax");
      assert.equal(res.status, 200);
      const text = await res.text();
      assert.match(text, /href="\/tax">Tax<\/a>/);
      assert.match(text, /<form class="panel" method="get" action="\/tax\/report" id="tax-form">/);
      assert.match(text, /<option value="paper-1">paper-1<\/option>/);
      for (const m of ["fifo", "lifo", "hifo", "lofo", "specific", "average"]) {
        assert.match(text, new RegExp(`<option value="${m}"`));
      }
      assert.match(text, /id="tax-accounts"/);
      assert.match(text, /href="\/tax\/accounts\/paper-1\?year=\d{4}&amp;method=fifo&amp;tz=America%2FNew_York"/);
    });

    await t.step("the form's GET redirects to the account's report", async () => {
      const res = await lab.app.request(`/tax/report?account=paper-1&${Q}&oversell=zero-basis`);
      assert.equal(res.status, 303);
      assert.equal(
        res.headers.get("location"),
        "/tax/accounts/paper-1?year=2025&method=fifo&tz=America%2FNew_York&oversell=zero-basis",
      );
      assert.equal((await lab.app.request(`/tax/report?account=nobody&${Q}`)).status, 404);
    });

    await t.step("the report page", async () => {
      const res = await lab.app.request(`/tax/accounts/paper-1?${Q}`);
      assert.equal(res.status, 200);
      const text = await res.text();
      assert.match(text, /<h1>Tax report 2025 of <a href="\/accounts\/paper-1">paper-1<\/a><\/h1>/);
      // Schedule D, worked in _tax_test_helpers.ts.
      assert.match(
        text,
        /<tr\s+id="sd-long"><th>Long-term \(Part II\)<\/th><td class="num">149\.85<\/td><td class="num">100\.10<\/td><td class="num pos">49\.75<\/td><td class="num">1<\/td><\/tr>/,
      );
      assert.match(text, /<tr\s+id="sd-short">.*<td class="num">55\.06<\/td><td class="num pos">19\.87<\/td>/);
      // The figure: an inline SVG of realized gains by month.
      assert.match(text, /<figure class="sentinel-figure"[^>]*>\s*<svg xmlns="http:\/\/www\.w3\.org\/2000\/svg"/);
      assert.match(text, /Realized gains by month, 2025/);
      assert.match(text, /Short-term \+19\.87 · long-term \+49\.75 · net \+69\.62 USD/);
      // 8949 rows, open lots, the trail with each lot's reason.
      assert.match(text, /id="form8949"/);
      assert.match(text, /<td>2024-01-02<\/td>\s*<td>2025-03-01<\/td>/);
      assert.match(text, /id="open-lots"/);
      assert.match(text, /id="trail"/);
      assert.match(text, /FIFO/);
      assert.match(text, /No income in 2025\./);
      for (const f of ["form8949.csv", "schedule_d.csv", "income.csv", "open_lots.csv", "trail.csv"]) {
        assert.ok(text.includes(`href="/api/tax/accounts/paper-1/${f}?${Q.replaceAll("&", "&amp;")}"`), f);
      }
    });

    await t.step("bad queries are 400s naming the value and the fix; an unknown account a 404", async () => {
      const cases: [string, number, RegExp][] = [
        [
          `/tax/accounts/paper-1?year=2025&method=fido`,
          400,
          /method &quot;fido&quot; is not a lot method: use one of fifo, lifo/,
        ],
        [`/tax/accounts/paper-1?year=20x`, 400, /year &quot;20x&quot; is not a tax year: use four digits/],
        [`/tax/accounts/paper-1?tz=Mars%2FOlympus`, 400, /tz &quot;Mars\/Olympus&quot; is not a time zone/],
        [`/tax/accounts/paper-1?oversell=maybe`, 400, /oversell &quot;maybe&quot; is not a policy/],
        [`/tax/accounts/paper-1?colour=red`, 400, /Unrecognized key/],
        [`/tax/accounts/nobody?${Q}`, 404, /no account &quot;nobody&quot;; known accounts: paper-1/],
        [`/tax/accounts/Bad..Name?${Q}`, 400, /invalid account name/],
        // Specific identification needs lot picks: the account's sell names none.
        [`/tax/accounts/paper-1?year=2025&method=specific`, 400, /sell .*paper-1/],
      ];
      for (const [path, status, re] of cases) {
        const res = await lab.app.request(path);
        const text = await res.text();
        assert.equal(res.status, status, `${path}: ${text.slice(0, 300)}`);
        assert.match(text, re, path);
      }
    });
  } finally {
    await lab.close();
  }
});

Deno.test("tax pages: long tables are capped with a note pointing at the CSV file", async () => {
  const lab = await openTaxLab();
  try {
    // 520 buys and 520 sells of 1 ETH, each sell using one lot (FIFO): 520 Form 8949 rows and trail steps.
    createAccount({ dataDir: lab.dir, name: "busy", kind: "paper", cash: 1e6, now: Date.UTC(2025, 0, 1) });
    {
      using log = AuditLog.open({ dataDir: lab.dir, account: "busy" });
      const t0 = Date.UTC(2025, 0, 2, 15);
      log.appendMany(Array.from({ length: 1040 }, (_, i) => {
        const side = i < 520 ? "buy" as const : "sell" as const;
        const ts = t0 + i * 3_600_000;
        return {
          kind: "order_filled" as const,
          runId: "r1",
          ts,
          payload: { clientOrderId: `o${i}`, symbol: "ETH/USDT", side, qty: 1, price: 100 + (i % 7), fee: 0, ts },
        };
      }));
    }
    const res = await lab.app.request("/tax/accounts/busy?year=2025&method=fifo");
    assert.equal(res.status, 200);
    const text = await res.text();
    assert.match(text, /The first 500 of 520; all are in <a href="[^"]*form8949\.csv[^"]*">form8949\.csv<\/a>/);
    assert.match(text, /The first 200 of 520; all are in <a href="[^"]*trail\.csv[^"]*">trail\.csv<\/a>/);
    const json = await (await lab.app.request("/api/tax/accounts/busy?year=2025&method=fifo")).json();
    assert.equal(json.form8949.length, 520, "the JSON has every row");
  } finally {
    await lab.close();
  }
});
