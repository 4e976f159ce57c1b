// HTML pages under /accounts: the list, one account's page (trading state, positions, orders, counters, limits,
// the last audit events with the chain status) and the operator's pause / resume / kill forms.
import { Hono } from "hono";
import { deleteCookie, getCookie, setCookie } from "hono/cookie";
import { z } from "zod";
import { type AccountStatus, accountStatus } from "../accounts/mod.ts";
import type { TradingState } from "../types/mod.ts";
import {
  accountRows,
  accountsDataDir,
  eventSummary,
  knownAccount,
  lastEvents,
  type OperatorAction,
  runOperator,
} from "./_accounts_api.ts";
import { fmtNum, fmtPct, fmtPrice, fmtTs, type Html, html, layout, signClass } from "./_html.ts";
import type { Lab } from "./_lab.ts";
import { zv } from "./_validate.ts";

const STATE_COLOUR: Record<TradingState, string> = { active: "#1a7f37", reducing: "#b35900", halted: "#c0262d" };
const STATE_TEXT: Record<TradingState, string> = {
  active: "active: trading",
  reducing: "reducing (paused): exits only, no new entries",
  halted: "halted (killed): no new orders",
};

function stateBadge(s: TradingState, big = false): Html {
  return html`<span class="trading-state state-${s}" style="color:${STATE_COLOUR[s]};font-weight:700;${
    big ? "font-size:1.8rem" : ""
  }">${big ? STATE_TEXT[s] : s}</span>`;
}

function chainText(a: AccountStatus["audit"]): Html {
  return a.ok
    ? html`<span class="chain-ok pos">intact</span> <span class="muted">(${a.events} events, head ${a.headSeq})</span>`
    : html`<span class="chain-bad neg"><strong>broken at seq ${a.firstBadSeq}</strong>: ${a.reason}</span>`;
}

const FormSchema = z.strictObject({
  reason: z.string().trim().max(500).optional(),
  confirmAccount: z.string().max(100).optional(),
  flatten: z.literal("on").optional(),
});

// The outcome of a form post, shown once on the page it redirects to. A cookie (set by this origin only, SameSite
// Strict) rather than a query string: a crafted link must not be able to put words on the operator's risk page.
const FLASH_COOKIE = "sentinel_account_outcome";
const FlashSchema = z.strictObject({ ok: z.boolean(), message: z.string().max(1000) });
type Flash = z.output<typeof FlashSchema>;

function readFlash(value: string | undefined): Flash | null {
  if (value === undefined) return null;
  try {
    const r = FlashSchema.safeParse(JSON.parse(value));
    return r.success ? r.data : null;
  } catch {
    return null;
  }
}

function money(x: number, quote: string | null): string {
  return `${fmtNum(x, 2)}${quote ? ` ${quote}` : ""}`;
}

function accountPage(s: AccountStatus, events: ReturnType<typeof lastEvents>, flash: Flash | null) {
  const name = s.account;
  const c = s.counters;
  const rules = s.risk ? Object.entries(s.risk.rules) : [];
  return html`
    <h1>Account ${name}</h1>
    <p class="muted">${s.kind ?? "unknown kind"} · quote ${s.quote ?? "?"} · the state the audit log and account.json
      show (no live runner state)</p>
    ${flash?.ok ? html`<p class="panel outcome" id="outcome">${flash.message}</p>` : ""}
    ${flash && !flash.ok ? html`<p class="outcome errors" id="outcome">Refused: ${flash.message}</p>` : ""}
    <p id="trading-state">${stateBadge(s.tradingState, true)}${s.reason
      ? html`
        <span>— ${s.reason}</span>
      `
      : ""}</p>
    ${s.configError ? html`<p class="neg">account.json cannot be loaded: ${s.configError}</p>` : ""}
    <h2>Money</h2>
    <table class="stats">
      <tr>
        <th>Equity</th>
        <td class="num">${money(s.equity, s.quote)}</td>
      </tr>
      <tr>
        <th>Cash</th>
        <td class="num">${money(s.cash, s.quote)}</td>
      </tr>
      <tr>
        <th>Starting cash</th>
        <td class="num">${money(s.startingCash, s.quote)}</td>
      </tr>
      <tr>
        <th>Realized P&L</th>
        <td class="num ${signClass(s.realizedPnl)}">${fmtNum(s.realizedPnl, 2)}</td>
      </tr>
      <tr>
        <th>Unrealized P&L</th>
        <td class="num ${signClass(s.unrealizedPnl)}">${fmtNum(s.unrealizedPnl, 2)}</td>
      </tr>
      <tr>
        <th>Fees</th>
        <td class="num">${fmtNum(s.fees, 2)}</td>
      </tr>
    </table>
    <h2>Counters <span class="muted">(UTC day ${c.day ?? "—"})</span></h2>
    <table class="stats">
      <tr>
        <th>Orders today</th>
        <td class="num">${c.ordersToday}</td>
      </tr>
      <tr>
        <th>Daily P&L</th>
        <td class="num ${signClass(c.dailyPnl)}">${fmtNum(c.dailyPnl, 2)}</td>
      </tr>
      <tr>
        <th>Equity peak</th>
        <td class="num">${fmtNum(c.equityPeak, 2)}</td>
      </tr>
      <tr>
        <th>Drawdown</th>
        <td class="num">${fmtPct(c.drawdown)}</td>
      </tr>
      <tr>
        <th>Consecutive losses</th>
        <td class="num">${c.consecutiveLosses}</td>
      </tr>
    </table>
    <h2>Positions</h2>
    ${s.positions.length === 0 ? html`<p class="muted">No positions.</p>` : html`
      <table id="positions">
        <thead>
          <tr>
            <th>Symbol</th>
            <th class="num">Qty</th>
            <th class="num">Avg price</th>
          </tr>
        </thead>
        <tbody>${s.positions.map((p) =>
          html`
            <tr>
              <td>${p.symbol}</td>
              <td class="num">${fmtNum(p.qty, 8)}</td>
              <td class="num">${fmtPrice(p.avgPrice)}</td>
            </tr>
          `
        )}</tbody>
      </table>
    `}
    <h2>Open orders</h2>
    ${s.openOrders.length === 0 ? html`<p class="muted">No open orders.</p>` : html`
      <table id="open-orders">
        <thead>
          <tr>
            <th>Client order id</th>
            <th>Symbol</th>
            <th>Side</th>
            <th class="num">Qty</th>
            <th class="num">Filled</th>
            <th class="num">Price</th>
            <th>Status</th>
          </tr>
        </thead>
        <tbody>${s.openOrders.map((o) =>
          html`
            <tr>
              <td>${o.clientOrderId}</td>
              <td>${o.symbol}</td>
              <td>${o.side}</td>
              <td class="num">${fmtNum(o.qty, 8)}</td>
              <td class="num">${fmtNum(o.filledQty, 8)}</td>
              <td class="num">${fmtPrice(o.price)}</td>
              <td>${o.status}</td>
            </tr>
          `
        )}</tbody>
      </table>
    `}
    <h2>Risk limits in force</h2>
    ${s.risk
      ? html`
        <p>Config hash <code id="config-hash">${s.risk.configHash}</code> · flatten on kill: ${s.risk.flattenOnKill
          ? "yes"
          : "no"}</p>
        <table id="risk-rules">
          <thead>
            <tr>
              <th>Rule</th>
              <th>Setting</th>
            </tr>
          </thead>
          <tbody>${rules.map(([k, v]) =>
            html`
              <tr>
                <td>${k}</td>
                <td><code>${JSON.stringify(v)}</code></td>
              </tr>
            `
          )}</tbody>
        </table>
      `
      : html`<p class="neg">No limits loaded (account.json cannot be read).</p>`}
    <h2>Operator</h2>
    <div class="grid2">
      <form class="panel" method="post" action="/accounts/${name}/pause">
        <h3>Pause</h3>
        <p class="muted">Exits only, no new entries.</p>
        <label>reason<input name="reason" maxlength="500"></label>
        <button type="submit">Pause</button>
      </form>
      <form class="panel" method="post" action="/accounts/${name}/resume">
        <h3>Resume</h3>
        <label>reason<input name="reason" maxlength="500"></label>
        <label>after a kill, type the account name (${name})<input name="confirmAccount" maxlength="100"
          autocomplete="off"></label>
        <button type="submit">Resume</button>
      </form>
      <form class="panel" method="post" action="/accounts/${name}/kill">
        <h3>Kill</h3>
        <p class="muted">Halts every new order, exits included.</p>
        <label>reason<input name="reason" maxlength="500"></label>
        <label><input type="checkbox" name="flatten"${s.risk?.flattenOnKill ? " checked" : ""}> flatten (close every
          position)</label>
        <button type="submit">Kill</button>
      </form>
    </div>
    <h2>Audit log</h2>
    <p id="chain-status">Chain: ${chainText(s.audit)}</p>
    ${s.audit.warnings.length ? html`<ul>${s.audit.warnings.map((w) => html`<li class="muted">${w}</li>`)}</ul>` : ""}
    <p
      class="muted">The last ${events
        .length} events, newest first. <a href="/api/accounts/${name}/events">All (JSON)</a></p>
    <table id="events">
      <thead>
        <tr>
          <th class="num">Seq</th>
          <th>Time (UTC)</th>
          <th>Kind</th>
          <th>Summary</th>
        </tr>
      </thead>
      <tbody>${[...events].reverse().map((e) =>
        html`
          <tr>
            <td class="num">${e.seq}</td>
            <td>${fmtTs(e.ts)}</td>
            <td>${e.kind}</td>
            <td>${eventSummary(e)}</td>
          </tr>
        `
      )}</tbody>
    </table>
  `;
}

/** HTML pages under /accounts. */
export function accountsPages(lab: Lab): Hono {
  const app = new Hono();

  app.get("/", (c) => {
    const rows = accountRows(lab);
    const body = html`
      <h1>Accounts</h1>
      <p class="lead">Paper and live accounts as their audit logs and account.json show them.</p>
      ${rows.length === 0
        ? html`<p class="muted">No accounts yet: <code>deno task account create --name NAME</code>.</p>`
        : html`
          <table id="accounts">
            <thead>
              <tr>
                <th>Name</th>
                <th>Kind</th>
                <th>Trading state</th>
                <th class="num">Equity</th>
                <th class="num">Cash</th>
                <th>Chain</th>
              </tr>
            </thead>
            <tbody>${rows.map((r) => {
              const s = r.status;
              return html`
                <tr>
                  <td><a href="/accounts/${r.summary.name}">${r.summary.name}</a></td>
                  <td>${r.summary.kind ?? "—"}</td>
                  <td>${s ? stateBadge(s.tradingState) : html`<span class="neg">${r.error ?? ""}</span>`}</td>
                  <td class="num">${s ? money(s.equity, s.quote) : "—"}</td>
                  <td class="num">${s ? money(s.cash, s.quote) : "—"}</td>
                  <td>${s
                    ? (s.audit.ok ? "intact" : html`<span class="neg">broken at seq ${s.audit.firstBadSeq}</span>`)
                    : "—"}</td>
                </tr>
              `;
            })}</tbody>
          </table>
        `}
    `;
    return c.html(layout({ title: "Accounts" }, body));
  });

  app.get("/:name", (c) => {
    const name = knownAccount(lab, c.req.param("name"));
    const s = accountStatus({ dataDir: accountsDataDir(lab), name });
    const flash = readFlash(getCookie(c, FLASH_COOKIE));
    if (flash) deleteCookie(c, FLASH_COOKIE, { path: `/accounts/${name}` });
    return c.html(layout({ title: `Account ${name}` }, accountPage(s, lastEvents(lab, name, 50), flash)));
  });

  for (const action of ["pause", "resume", "kill"] as OperatorAction[]) {
    app.post(`/:name/${action}`, zv("form", FormSchema), (c) => {
      const name = knownAccount(lab, c.req.param("name"));
      const f = c.req.valid("form");
      const back = `/accounts/${name}`;
      const answer = (flash: Flash): Response => {
        setCookie(c, FLASH_COOKIE, JSON.stringify(flash), {
          path: back,
          httpOnly: true,
          sameSite: "Strict",
          maxAge: 60,
          secure: new URL(c.req.url).protocol === "https:",
        });
        return c.redirect(back, 303);
      };
      try {
        const r = runOperator(lab, name, action, {
          reason: f.reason,
          confirmAccount: f.confirmAccount,
          ...(action === "kill" ? { flatten: f.flatten === "on" } : {}),
        });
        return answer({ ok: true, message: r.message.slice(0, 1000) });
      } catch (e) {
        // A refusal (resume without the confirmation) is shown on the page; nothing was logged.
        if (!(e instanceof RangeError)) throw e;
        return answer({ ok: false, message: e.message.slice(0, 1000) });
      }
    });
  }
  return app;
}
