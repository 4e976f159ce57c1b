// HTML pages under /accounts: the list, one account's page (trading state, equity figure, runner panel, positions,
// orders, counters, limits, promotions, the last audit events with the chain status), one promotion's checklist,
// and the operator's pause / resume / kill forms.
import { Hono } from "hono";
import { deleteCookie, getCookie, setCookie } from "hono/cookie";
import { z } from "zod";
import { type AccountStatus, accountStatus } from "../accounts/mod.ts";
import type { TradingState } from "../types/mod.ts";
import type { EquitySeries } from "../audit/mod.ts";
import { drawdownFigure, equityFigure } from "../plots/mod.ts";
import {
  accountRows,
  accountsDataDir,
  accountTimeline,
  drawdownOf,
  eventSummary,
  knownAccount,
  lastEvents,
  type OperatorAction,
  ordered,
  promotionAt,
  type PromotionRow,
  type RunnerState,
  runOperator,
} from "./_accounts_api.ts";
import { fmtNum, fmtPct, fmtPrice, fmtTs, type Html, html, layout, raw, signClass } from "./_html.ts";
import type { Lab } from "./_lab.ts";
import { liveChecklistUrl } from "./_promotions_checklist.ts";
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

function equityHtml(name: string, e: EquitySeries): Html {
  if (e.ts.length < 2) {
    return html`<p class="muted" id="equity-empty">No equity curve yet: it has a point per batch of bars the runner
      logged (${e.ts.length} so far).</p>`;
  }
  // Two runs whose clocks disagree (a replay's bar times, then a paper run's wall clock) cannot share a time axis.
  if (!ordered(e.ts)) {
    return html`<p class="muted" id="equity-empty">The logged batch times are not in order (runs with different
      clocks), so no time axis fits them: <a href="/api/accounts/${name}/equity">the series as JSON</a>.</p>`;
  }
  const eq = equityFigure({ ts: e.ts, equity: e.equity, label: name, title: `Equity of ${name}` });
  const dd = drawdownFigure({ ts: e.ts, drawdown: drawdownOf(e.equity), height: 160 });
  return html`
    <div id="equity">${raw(eq.toHtml())}${raw(dd.toHtml())}</div>
    <p class="muted">${e.ts.length} batches of bars, marked at their closes. <a
          href="/api/accounts/${name}/equity">JSON</a></p>
  `;
}

function duration(ms: number): string {
  const m = Math.round(ms / 60_000);
  if (m < 120) return `${m} min`;
  const h = Math.round(m / 60);
  return h < 72 ? `${h} h` : `${Math.round(h / 24)} days`;
}

const CRASHED = "no run_stopped and no live process: the next start recovers from the log";

function runnerHtml(name: string, r: RunnerState): Html {
  const state = r.state === "running"
    ? html`<strong class="runner-state pos">running</strong>`
    : r.state === "stopped"
    ? html`<strong class="runner-state">stopped</strong>`
    : r.state === "crashed"
    ? html`<strong class="runner-state neg">crashed</strong> <span class="muted">(${CRASHED})</span>`
    : html`<strong class="runner-state muted">never ran</strong>`;
  return html`
    <div id="runner" class="runner-${r
      .state}" style="border:1px solid var(--line);border-radius:6px;padding:.6rem 1rem">
      <p>${state}${r.stale
        ? html`
          <span class="neg" id="runner-stale">— stale: no event for ${duration(r.lastEventAgeMs ?? 0)} (more
                  than 3 bars of ${r.timeframe}); is the runner still alive?</span>
        `
        : ""}</p>
      ${r.runId === null ? html`<p class="muted">No run_started in the log: start a paper run on ${name}.</p>` : html`
        <table class="stats">
          <tr><th>Mode</th><td id="runner-mode">${r.mode}</td></tr>
          <tr><th>Run id</th><td><code id="runner-run-id">${r.runId}</code></td></tr>
          ${r.strategy
            ? html`
              <tr>
                <th>Strategy</th>
                <td>${r.strategy}</td>
              </tr>
            `
            : ""}
          <tr><th>Started</th><td>${fmtTs(r.startedAt)}</td></tr>
          ${r.stoppedAt !== null
            ? html`
              <tr>
                <th>${r.state === "running" ? "Previous stop" : "Stopped"}</th>
                <td>${fmtTs(r.stoppedAt)} (${r.stopReason})</td>
              </tr>
            `
            : ""}
          <tr><th>Last event</th><td>${fmtTs(r.lastEventTs)} <span class="muted">seq ${r.lastEventSeq}</span></td></tr>
        </table>
      `}
      ${r.lastError !== null
        ? html`<p class="neg" id="runner-error">Last error (run_stopped at ${
          fmtTs(r.stoppedAt)
        }): <code>${r.lastError}</code></p>`
        : ""}
      ${r.lastBars.length === 0 ? "" : html`
        <table id="last-bars">
          <thead>
            <tr>
              <th>Symbol</th>
              <th>Timeframe</th>
              <th>Last bar (UTC)</th>
              <th class="num">Close</th>
              <th>Seen at</th>
            </tr>
          </thead>
          <tbody>${r.lastBars.map((b) =>
            html`
              <tr>
                <td>${b.symbol}</td>
                <td>${b.timeframe}</td>
                <td>${fmtTs(b.ts)}</td>
                <td class="num">${fmtPrice(b.close)}</td>
                <td>${fmtTs(b.seenAt)}</td>
              </tr>
            `
          )}</tbody>
        </table>
      `}
    </div>
    <p class="muted"><a href="/api/accounts/${name}/runner">JSON</a></p>
  `;
}

function paramsText(params: Record<string, unknown>): string {
  const parts = Object.entries(params).map(([k, v]) => `${k}=${String(v)}`);
  return parts.length ? parts.join(", ") : "defaults";
}

function runLinks(ids: readonly string[]): Html {
  if (ids.length === 0) return html`<span class="muted">none</span>`;
  return html`${ids.map((id, i) => html`${i ? ", " : ""}<a href="/runs/${encodeURIComponent(id)}">${id}</a>`)}`;
}

function promotionsHtml(name: string, rows: PromotionRow[]): Html {
  if (rows.length === 0) {
    return html`<p class="muted" id="promotions-empty">No promotion yet: <code>deno task promote --strategy NAME
      --account ${name}</code>.</p>`;
  }
  return html`
    <table id="promotions">
      <thead>
        <tr>
          <th class="num">Seq</th>
          <th>Time (UTC)</th>
          <th>Strategy</th>
          <th>Code hash</th>
          <th>Params</th>
          <th>Market</th>
          <th>Evidence runs</th>
          <th>Checklist</th>
        </tr>
      </thead>
      <tbody>${[...rows].reverse().map((p) =>
        html`
          <tr>
            <td class="num">${p.seq}</td>
            <td>${fmtTs(p.ts)}</td>
            <td>${p.strategy}</td>
            <td><code title="${p.codeHash}">${p.codeHash.slice(0, 12)}</code></td>
            <td><code>${paramsText(p.params)}</code></td>
            <td>${p.market ?? "—"}</td>
            <td>${runLinks(p.evidenceRunIds)}</td>
            <td><a href="${p.url}">${p.gates
              ? `${p.gates.filter((g) => g.ok).length}/${p.gates.length} gates`
              : "details"}</a></td>
          </tr>
        `
      )}</tbody>
    </table>
    <p class="muted"><a href="/api/accounts/${name}/promotions">JSON</a></p>
  `;
}

function promotionPage(name: string, p: PromotionRow, live: string | null): Html {
  const o = p.payload;
  return html`
    <h1>Promotion of ${p.strategy} to ${name}</h1>
    <p class="lead">Audit event seq ${p.seq} at ${fmtTs(p.ts)}, run <code>${p.runId}</code>. <a
      href="/accounts/${name}">Back to ${name}</a></p>
    <table class="stats" id="promotion">
      <tr><th>Strategy</th><td>${p.strategy}</td></tr>
      <tr><th>Code hash</th><td><code>${p.codeHash}</code></td></tr>
      <tr><th>Params</th><td><code>${paramsText(p.params)}</code></td></tr>
      <tr><th>Market</th><td>${p.market ?? "—"}</td></tr>
      ${p.symbol
        ? html`
          <tr>
            <th>Symbol</th>
            <td>${p.symbol}</td>
          </tr>
        `
        : ""}
      ${p.timeframe
        ? html`
          <tr>
            <th>Timeframe</th>
            <td>${p.timeframe}</td>
          </tr>
        `
        : ""}
      ${o.options
        ? html`
          <tr>
            <th>Backtest options</th>
            <td><code>${JSON.stringify(o.options)}</code></td>
          </tr>
        `
        : ""}
      ${o.cash !== undefined
        ? html`
          <tr>
            <th>Cash allocation</th>
            <td class="num">${fmtNum(o.cash, 2)}</td>
          </tr>
        `
        : ""}
      ${o.source
        ? html`
          <tr>
            <th>Source</th>
            <td><code>${o.source.path}</code> <span class="muted">sha256 ${o.source.sha256.slice(0, 12)}</span></td>
          </tr>
        `
        : ""}
      <tr><th>Evidence runs</th><td id="evidence-runs">${runLinks(p.evidenceRunIds)}</td></tr>
    </table>
    <h2>Checklist recorded with the promotion</h2>
    ${p.gates === null
      ? html`<p class="muted" id="no-gates">This event records no checklist (it predates recorded checklists).</p>`
      : html`
        <table id="gates">
          <thead>
            <tr><th>Gate</th><th>Outcome</th>${p.gates.some((g) => g.evidence) ? html`<th>Evidence</th>` : ""}</tr>
          </thead>
          <tbody>${p.gates.map((g) =>
            html`<tr class="gate-${g.ok ? "ok" : "fail"}"><td>${g.name}</td><td class="${g.ok ? "pos" : "neg"}">${
              g.ok ? "ok" : "fail"
            }</td>${
              p.gates!.some((x) => x.evidence) ? html`<td style="white-space:pre-wrap">${g.evidence ?? ""}</td>` : ""
            }</tr>`
          )}</tbody>
        </table>
      `}
    ${live
      ? html`<p><a class="button" id="live-checklist" href="${live}">Check the gates now</a> <span class="muted">(read-only:
        evaluates them again on today's runs and account, promotes nothing)</span></p>`
      : ""}
  `;
}

function accountPage(
  s: AccountStatus,
  events: ReturnType<typeof lastEvents>,
  flash: Flash | null,
  t: ReturnType<typeof accountTimeline>,
) {
  const name = s.account;
  const c = s.counters;
  const rules = s.risk ? Object.entries(s.risk.rules) : [];
  return html`
    <h1>Account ${name}</h1>
    <p class="muted">${s.kind ?? "unknown kind"} · quote ${s.quote ?? "?"} · the state the audit log and account.json
      show; the runner as its events show it</p>
    ${flash?.ok ? html`<p class="panel outcome" id="outcome">${flash.message}</p>` : ""}
    ${flash && !flash.ok ? html`<p class="outcome errors" id="outcome">Refused: ${flash.message}</p>` : ""}
    <p id="trading-state">${stateBadge(s.tradingState, true)}${s.reason
      ? html`
        <span>— ${s.reason}</span>
      `
      : ""}</p>
    ${s.configError ? html`<p class="neg">account.json cannot be loaded: ${s.configError}</p>` : ""}
    <h2>Equity</h2>
    ${equityHtml(name, t.equity)}
    <h2>Runner</h2>
    ${runnerHtml(name, t.runner)}
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
    <h2>Promotions</h2>
    ${promotionsHtml(name, t.promotions)}
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
    const page = accountPage(s, lastEvents(lab, name, 50), flash, accountTimeline(lab, name));
    return c.html(layout({ title: `Account ${name}` }, page));
  });

  app.get("/:name/promotions/:seq", (c) => {
    const name = knownAccount(lab, c.req.param("name"));
    const p = promotionAt(lab, name, c.req.param("seq"));
    const live = lab.strategies.has(p.strategy)
      ? liveChecklistUrl(p.strategy, { account: name, params: p.params, market: p.market })
      : null;
    return c.html(layout({ title: `Promotion ${p.seq} of ${name}` }, promotionPage(name, p, live)));
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
