import assert from "node:assert/strict";
import { openTaxLab } from "./_tax_test_helpers.ts";

const Q = "year=2025&method=fifo&tz=America%2FNew_York";

Deno.test("tax API: the report as JSON, the CSV downloads, and 400/404 with the issue named", async () => {
  const lab = await openTaxLab();
  try {
    const list = await (await lab.app.request("/api/tax/accounts")).json();
    assert.deepEqual(list.accounts.map((a: { name: string }) => a.name), ["paper-1"]);

    const res = await lab.app.request(`/api/tax/accounts/paper-1?${Q}`);
    assert.equal(res.status, 200);
    const r = await res.json();
    assert.equal(r.account, "paper-1");
    assert.equal(r.year, 2025);
    assert.equal(r.method, "fifo");
    assert.deepEqual(r.scheduleD.long, { proceeds: "149.85", costBasis: "100.10", gain: "49.75", rows: 1 });
    assert.deepEqual(r.scheduleD.short, { proceeds: "74.93", costBasis: "55.06", gain: "19.87", rows: 1 });
    assert.equal(r.scheduleD.total.gain, "69.62");
    assert.deepEqual(r.openLots.map((l: { qty: string }) => l.qty), ["1.5"]);
    assert.equal(r.files["form8949.csv"], `/api/tax/accounts/paper-1/form8949.csv?${Q}`);

    // LIFO sells the later lot first: 1.5 of the 2024-06-03 lot, all short-term.
    const lifo = await (await lab.app.request("/api/tax/accounts/paper-1?year=2025&method=lifo")).json();
    assert.equal(lifo.scheduleD.long.rows, 0);
    assert.equal(lifo.scheduleD.short.costBasis, "165.16", "1.5/2 of 220.22 = 165.165, half to even");

    const csv = await lab.app.request(`/api/tax/accounts/paper-1/form8949.csv?${Q}`);
    assert.equal(csv.status, 200);
    assert.equal(csv.headers.get("content-type"), "text/csv; charset=utf-8");
    assert.equal(csv.headers.get("content-disposition"), 'attachment; filename="paper-1-2025-fifo-form8949.csv"');
    const lines = (await csv.text()).trim().split(/\r?\n/);
    assert.equal(lines.length, 3);
    assert.match(lines[1]!, /2024-01-02.*2025-03-01.*149\.85.*100\.10.*49\.75/);
    for (const f of ["schedule_d.csv", "income.csv", "open_lots.csv", "trail.csv"]) {
      const x = await lab.app.request(`/api/tax/accounts/paper-1/${f}?${Q}`);
      assert.equal(x.status, 200, f);
      assert.ok((await x.text()).length > 0, f);
    }

    const bad = await lab.app.request("/api/tax/accounts/paper-1?method=fido&year=2025");
    assert.equal(bad.status, 400);
    const body = await bad.json();
    assert.equal(body.error, "invalid query");
    assert.deepEqual(body.issues.map((i: { path: string[] }) => i.path), [["query", "method"]]);
    assert.match(body.issues[0].message, /method "fido" is not a lot method: use one of fifo, lifo, hifo/);
    const tz = await (await lab.app.request("/api/tax/accounts/paper-1?tz=Nowhere")).json();
    assert.match(tz.issues[0].message, /tz "Nowhere" is not a time zone: use an IANA name such as America\/New_York/);
    const unknown = await lab.app.request(`/api/tax/accounts/nobody?${Q}`);
    assert.equal(unknown.status, 404);
    assert.match((await unknown.json()).error, /no account "nobody"; known accounts: paper-1/);
    const file = await lab.app.request(`/api/tax/accounts/paper-1/report.xlsx?${Q}`);
    assert.equal(file.status, 404);
    assert.match((await file.json()).error, /no file "report\.xlsx"; the CSV files are form8949\.csv/);
  } finally {
    await lab.close();
  }
});
