// HTML pages under /tax: the accounts with a form (account, year, lot method, time zone, oversell policy), and an
// account's tax report: Schedule D totals, income, realized gains by month, the Form 8949 rows, the lots held at
// year end and the lot-matching trail (each disposal with the lots it used and why). Read-only.
import { Hono } from "hono";
import { z } from "zod";
import { listAccountConfigs } from "../accounts/mod.ts";
import { realizedGainsFigure } from "../plots/mod.ts";
import { LOT_METHODS, type LotMethod, type TaxReport, type TermTotals, type TrailStep } from "../tax/mod.ts";
import { accountsDataDir, knownAccount } from "./_accounts_common.ts";
import { type Html, html, layout, raw } from "./_html.ts";
import type { Lab } from "./_lab.ts";
import {
  accountTaxReport,
  amountClass,
  fmtAmount,
  TAX_CSV_FILES,
  type TaxParams,
  taxParams,
  TaxQuerySchema,
  taxQueryString,
} from "./_tax_common.ts";
import { zv } from "./_validate.ts";

/** Rows shown per table; the CSV files and the JSON hold them all. */
const ROWS_CAP = 500;
/** Trail steps shown (each has its lots). */
const TRAIL_CAP = 200;

const METHOD_NAMES: Record<LotMethod, string> = {
  fifo: "FIFO (first in, first out)",
  lifo: "LIFO (last in, first out)",
  hifo: "HIFO (highest cost first)",
  lofo: "LOFO (lowest cost first)",
  specific: "Specific identification",
  average: "Average cost",
};

const ZONES = [
  "America/New_York",
  "America/Chicago",
  "America/Denver",
  "America/Los_Angeles",
  "America/Anchorage",
  "Pacific/Honolulu",
  "UTC",
  "Europe/London",
  "Europe/Berlin",
  "Asia/Tokyo",
];

const PAGE_CSS = html`<style>
table.trail-lots{margin:.2rem 0 .8rem 1.2rem;font-size:.9rem}
.trail-step{margin:.8rem 0 0}
.trail-step .src{font-size:.85rem}
td.zero{color:var(--bad);font-weight:600}
td.mono{white-space:nowrap}
</style>`;

function page(title: string, body: Html): string {
  return layout({ title, head: PAGE_CSS }, body);
}

function paramsForm(action: string, p: TaxParams, accounts?: readonly string[]): Html {
  return html`
    <form class="panel" method="get" action="${action}" id="tax-form">
      ${accounts === undefined ? "" : html`
        <label>account<select name="account" required>${accounts.map((a) =>
          html`<option value="${a}">${a}</option>`
        )}</select></label>
      `}
      <label>year<input name="year" value="${String(p.year)}" inputmode="numeric" pattern="\\d{4}" required></label>
      <label>method<select name="method">${LOT_METHODS.map((m) =>
        html`<option value="${m}" ${m === p.method ? "selected" : ""}>${METHOD_NAMES[m]}</option>`
      )}</select></label>
      <label>time zone<input name="tz" value="${p.tz}" list="tax-zones" required></label>
      <datalist id="tax-zones">${ZONES.map((z) => html`<option value="${z}"></option>`)}</datalist>
      <label>oversell<select name="oversell">
        <option value="error" ${p.oversell === "error" ? "selected" : ""}>error</option>
        <option value="zero-basis" ${p.oversell === "zero-basis" ? "selected" : ""}>zero basis, flagged</option>
      </select></label>
      <button type="submit">${accounts === undefined ? "Update" : "Report"}</button>
    </form>
  `;
}

function indexPage(lab: Lab): string {
  const accounts = listAccountConfigs({ dataDir: accountsDataDir(lab) });
  const p = taxParams({});
  const names = accounts.filter((a) => a.error === undefined).map((a) => a.name);
  return page(
    "Tax",
    html`
      <h1>Tax reports</h1>
      <p class="lead">Capital gains of an account's fills, matched to tax lots: Schedule D totals, Form 8949 rows,
        income, the lots held at year end and each disposal's lots. US rules: long-term when held more than one year,
        counted by calendar date in the time zone. Reports of exchange exports and several sources combined:
        <code>deno task tax report --trades FILE</code>.</p>
      ${names.length === 0
        ? html`
          <p class="muted"
            id="no-accounts">No accounts yet (create one with <code>deno task account create --name NAME</code>).</p>
        `
        : paramsForm("/tax/report", p, names)}
      <h2>Accounts</h2>
      ${accounts.length === 0 ? html`<p class="muted">None.</p>` : html`
        <table id="tax-accounts">
          <thead>
            <tr>
              <th>Account</th>
              <th>Kind</th>
              <th>Quote</th>
              <th>Report ${String(p.year)}</th>
              <th>JSON</th>
            </tr>
          </thead>
          <tbody>${accounts.map((a) =>
            html`
              <tr>
                <td><a href="/accounts/${a.name}">${a.name}</a></td>
                <td>${a.kind ?? "—"}</td>
                <td>${a.quote ?? "—"}</td>
                <td>${a.error === undefined
                  ? html`<a href="/tax/accounts/${a.name}?${taxQueryString(p)}">FIFO, ${p.tz}</a>`
                  : html`<span class="neg">${a.error}</span>`}</td>
                <td><a href="/api/tax/accounts/${a.name}?${taxQueryString(p)}">report.json</a></td>
              </tr>
            `
          )}</tbody>
        </table>
      `}
    `,
  );
}

function amountCell(s: string): Html {
  return html`<td class="num ${amountClass(s)}">${fmtAmount(s)}</td>`;
}

function termRow(label: string, t: TermTotals, id: string): Html {
  return html`
    <tr
      id="${id}"><th>${label}</th><td class="num">${fmtAmount(t.proceeds)}</td><td class="num">${fmtAmount(
        t.costBasis,
      )}</td>${amountCell(t.gain)}<td class="num">${t.rows}</td></tr>
  `;
}

function scheduleD(r: TaxReport): Html {
  const d = r.scheduleD;
  return html`
    <table id="schedule-d">
      <thead>
        <tr>
          <th></th>
          <th class="num">Proceeds</th>
          <th class="num">Cost basis</th>
          <th class="num">Gain or loss</th>
          <th class="num">Rows</th>
        </tr>
      </thead>
      <tbody>
        ${termRow("Short-term (Part I)", d.short, "sd-short")} ${termRow("Long-term (Part II)", d.long, "sd-long")}
        ${termRow("Total", d.total, "sd-total")}
      </tbody>
    </table>
  `;
}

function capNote(shown: number, total: number, file: string, href: string): Html | string {
  return shown < total
    ? html`<p class="note muted">The first ${shown} of ${total}; all are in <a href="${href}">${file}</a>.</p>`
    : "";
}

function incomeSection(r: TaxReport, csv: (f: string) => string): Html {
  const inc = r.income;
  if (inc.rows.length === 0) return html`<p class="muted" id="income">No income in ${String(r.year)}.</p>`;
  const rows = inc.rows.slice(0, ROWS_CAP);
  return html`
    <table class="kv stats" id="income">
      ${Object.entries(inc.byType).map(([k, v]) =>
        html`
          <tr>
            <th>${k}</th>
            <td>${fmtAmount(v!)}</td>
          </tr>
        `
      )}
      <tr>
        <th><strong>Total</strong></th>
        <td><strong>${fmtAmount(inc.total)}</strong> ${r.currency}</td>
      </tr>
    </table>
    <details>
      <summary>${inc.rows.length} receipt${inc.rows.length === 1 ? "" : "s"}</summary>
      <table id="income-rows">
        <thead>
          <tr>
            <th>Date</th>
            <th>Type</th>
            <th>Asset</th>
            <th class="num">Qty</th>
            <th class="num">Value</th>
            <th>Event</th>
          </tr>
        </thead>
        <tbody>${rows.map((x) =>
          html`
            <tr>
              <td>${x.date}</td>
              <td>${x.incomeType}</td>
              <td>${x.asset}</td>
              <td class="num">${x.qty}</td>
              <td class="num">${fmtAmount(x.value)}</td>
              <td class="mono">${x.eventId}</td>
            </tr>
          `
        )}</tbody>
      </table>
      ${capNote(rows.length, inc.rows.length, "income.csv", csv("income.csv"))}
    </details>
  `;
}

function form8949(r: TaxReport, csv: (f: string) => string): Html {
  if (r.form8949.length === 0) return html`<p class="muted" id="form8949">No disposals in ${String(r.year)}.</p>`;
  const rows = r.form8949.slice(0, ROWS_CAP);
  return html`
    <table id="form8949">
      <thead>
        <tr>
          <th data-sort="text">Description</th>
          <th data-sort="text">Acquired</th>
          <th data-sort="text">Sold</th>
          <th class="num" data-sort="num">Proceeds</th>
          <th class="num" data-sort="num">Cost basis</th>
          <th class="num" data-sort="num">Gain or loss</th>
          <th data-sort="text">Term</th>
          <th>Lot</th>
          <th>Event</th>
        </tr>
      </thead>
      <tbody>${rows.map((x) =>
        html`
          <tr>
            <td>${x.description}${x.kind === "fee"
              ? html`
                <span class="muted">(fee)</span>
              `
              : ""}</td>
            <td>${x.dateAcquired}</td>
            <td>${x.dateSold}</td>
            <td class="num" data-v="${x.proceeds}">${fmtAmount(x.proceeds)}</td>
            <td class="num" data-v="${x.costBasis}">${fmtAmount(x.costBasis)}</td>
            <td class="num ${amountClass(x.gain)}" data-v="${x.gain}">${fmtAmount(x.gain)}</td>
            <td>${x.term}</td>
            <td class="mono ${x.zeroBasis ? "zero" : ""}">${x.lotId}</td>
            <td class="mono">${x.eventId}</td>
          </tr>
        `
      )}</tbody>
    </table>
    ${capNote(rows.length, r.form8949.length, "form8949.csv", csv("form8949.csv"))}
  `;
}

function openLots(r: TaxReport, csv: (f: string) => string): Html {
  if (r.openLots.length === 0) {
    return html`<p class="muted" id="open-lots">No lots held at the end of ${String(r.year)}.</p>`;
  }
  const rows = r.openLots.slice(0, ROWS_CAP);
  return html`
    <table id="open-lots">
      <thead>
        <tr>
          <th data-sort="text">Lot</th>
          <th data-sort="text">Asset</th>
          <th data-sort="text">Acquired</th>
          <th class="num" data-sort="num">Qty</th>
          <th class="num" data-sort="num">Cost basis</th>
          <th class="num" data-sort="num">Unit cost</th>
          <th>Origin</th>
        </tr>
      </thead>
      <tbody>${rows.map((l) =>
        html`
          <tr>
            <td class="mono">${l.lotId}</td>
            <td>${l.asset}</td>
            <td>${l.dateAcquired}</td>
            <td class="num" data-v="${l.qty}">${l.qty}</td>
            <td class="num" data-v="${l.costBasis}">${fmtAmount(l.costBasis)}</td>
            <td class="num" data-v="${l.unitCost}">${fmtAmount(l.unitCost)}</td>
            <td>${l.origin}</td>
          </tr>
        `
      )}</tbody>
    </table>
    ${capNote(rows.length, r.openLots.length, "open_lots.csv", csv("open_lots.csv"))}
  `;
}

function trailStep(s: TrailStep): Html {
  return html`
    <div class="trail-step" id="step-${s.eventId}">
      <strong>${s.date}</strong> ${s.text} <span class="muted src">· ${s.eventId} · ${s.source}</span>
    </div>
    ${s.matches.length === 0 ? "" : html`
      <table class="trail-lots">
        <thead>
          <tr>
            <th>Lot</th>
            <th class="num">Qty</th>
            <th class="num">Cost basis</th>
            <th class="num">Proceeds</th>
            <th>Term</th>
            <th>Why this lot</th>
            <th>Holding</th>
          </tr>
        </thead>
        <tbody>${s.matches.map((m) =>
          html`
            <tr>
              <td class="mono ${m.zeroBasis ? "zero" : ""}">${m.lotId}</td>
              <td class="num">${m.qty}</td>
              <td class="num">${fmtAmount(m.costBasis)}</td>
              <td class="num">${fmtAmount(m.proceeds)}</td>
              <td>${m.term}</td>
              <td>${m.reason}</td>
              <td class="muted">${m.holding}</td>
            </tr>
          `
        )}</tbody>
      </table>
    `}
  `;
}

function trail(r: TaxReport, csv: (f: string) => string): Html {
  if (r.trail.length === 0) {
    return html`<p class="muted" id="trail">No disposals or transfers in ${String(r.year)}.</p>`;
  }
  const steps = r.trail.slice(0, TRAIL_CAP);
  return html`<div id="trail">${steps.map(trailStep)}</div>${
    capNote(steps.length, r.trail.length, "trail.csv", csv("trail.csv"))
  }`;
}

function reportPage(name: string, p: TaxParams, r: TaxReport): string {
  const q = taxQueryString(p);
  const csv = (f: string): string => `/api/tax/accounts/${name}/${f}?${q}`;
  const figure = realizedGainsFigure({ months: r.gainsByMonth, year: r.year, currency: r.currency });
  const span = r.inputs.from === null ? "no events" : `${r.inputs.from} to ${r.inputs.to}`;
  return page(
    `Tax ${r.year} of ${name}`,
    html`
      <h1>Tax report ${String(r.year)} of <a href="/accounts/${name}">${name}</a></h1>
      <p class="lead">${METHOD_NAMES[r.method]} · ${r.timeZone} · oversell ${r.oversell} · amounts in ${r.currency},
        rounded to cents per event · ${String(
          r.inputs.events,
        )} events (${span}) · <a href="/api/tax/accounts/${name}?${q}">JSON</a>
        · CSV: ${TAX_CSV_FILES.map((f, i) => html`${i ? ", " : ""}<a href="${csv(f)}" download>${f}</a>`)}</p>
      ${paramsForm(`/tax/accounts/${name}`, p)}
      ${r.warnings.length === 0 ? "" : html`
        <div id="warnings">${r.warnings.slice(0, 50).map((w) =>
          html`<div class="warn">${w}</div>`
        )}${r.warnings.length > 50
          ? html`<p class="muted">and ${r.warnings.length - 50} more (report.json has them all)</p>`
          : ""}</div>
      `}
      <h2>Schedule D</h2>
      ${scheduleD(r)}
      <h2>Realized gains by month</h2>
      ${raw(figure.toHtml())}
      <h2>Income</h2>
      ${incomeSection(r, csv)}
      <h2>Form 8949</h2>
      <p class="muted">Each disposal's part matched to one lot, in one term.</p>
      ${form8949(r, csv)}
      <h2>Lots held at the end of ${String(r.year)}</h2>
      ${openLots(r, csv)}
      <h2>Lot-matching trail</h2>
      <p class="muted">Every disposal and transfer of the year, with the lots it used and why.</p>
      ${trail(r, csv)}
    `,
  );
}

const ReportFormSchema = TaxQuerySchema.extend({ account: z.string().max(64) });

/** HTML pages under /tax. */
export function taxPages(lab: Lab): Hono {
  const app = new Hono();

  app.get("/", (c) => c.html(indexPage(lab)));

  // The index's form is a GET with the account as a field; its report lives under the account's path.
  app.get("/report", zv("query", ReportFormSchema), (c) => {
    const { account, ...q } = c.req.valid("query");
    const name = knownAccount(lab, account);
    return c.redirect(`/tax/accounts/${name}?${taxQueryString(taxParams(q))}`, 303);
  });

  app.get("/accounts/:name", zv("query", TaxQuerySchema), async (c) => {
    const name = c.req.param("name");
    const p = taxParams(c.req.valid("query"));
    return c.html(reportPage(name, p, await accountTaxReport(lab, name, p)));
  });

  return app;
}
