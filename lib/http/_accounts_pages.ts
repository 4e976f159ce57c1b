// HTML pages under /accounts: the list, one account's page (trading state, equity figure, runner panel, positions,
// orders, counters, limits, promotions, the last audit events with the chain status), one promotion's checklist,
// the operator's pause / resume / kill forms, and the reconciliation hold with its acknowledge form. The list and the account page follow their live streams
// (_accounts_live.ts) with a few lines of plain JS: EventSource, textContent only (nothing from a stream is parsed
// as HTML).
import { type Context, Hono } from "hono";
import { deleteCookie, getCookie, setCookie } from "hono/cookie";
import { z } from "zod";
import { type AccountStatus, accountStatus } from "../accounts/mod.ts";
import type { TradingState } from "../types/mod.ts";
import type { EquitySeries } from "../audit/mod.ts";
import { drawdownFigure, equityFigure } from "../plots/mod.ts";
import { accountRows, accountsDataDir, eventSummary, knownAccount, lastEvents } from "./_accounts_common.ts";
import {
  accountTimeline,
  AckFormSchema,
  drawdownOf,
  type OperatorAction,
  ordered,
  promotionAt,
  type PromotionRow,
  runAck,
  type RunnerState,
  runOperator,
} from "./_accounts_api.ts";
import { fmtNum, fmtPct, fmtPrice, fmtTs, type Html, html, layout, raw, signClass } from "./_html.ts";
import type { Lab } from "./_lab.ts";
import { liveChecklistUrl } from "./_promotions_checklist.ts";
import type { ReconciliationHold } from "./_reconciliation_hold.ts";
import { zv } from "./_validate.ts";

const STATE_COLOUR: Record<TradingState, string> = { active: "#1a7f37", reducing: "#b35900", halted: "#c0262d" };
const STATE_TEXT: Record<TradingState, string> = {
  active: "active: trading",
  reducing: "reducing (paused): exits only, no new entries",
  halted: "halted (killed): no new orders",
};

// A reducing account that no pause holds is held by a reconciliation report alone: "paused" would mislead.
const HELD_TEXT = "reducing (reconciliation hold): exits only, no new entries";

function stateBadge(s: TradingState, big = false, held = false): Html {
  return html`<span class="trading-state state-${s}" style="color:${STATE_COLOUR[s]};font-weight:700;${
    big ? "font-size:1.8rem" : ""
  }">${big ? (held && s === "reducing" ? HELD_TEXT : STATE_TEXT[s]) : s}</span>`;
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

/** A 303 back to the account page, carrying the form's outcome in the flash cookie. */
function backWith(c: Context, name: string, flash: Flash): Response {
  const back = `/accounts/${name}`;
  setCookie(c, FLASH_COOKIE, JSON.stringify(flash), {
    path: back,
    httpOnly: true,
    sameSite: "Strict",
    maxAge: 60,
    secure: new URL(c.req.url).protocol === "https:",
  });
  return c.redirect(back, 303);
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

/** The live strip: the figures the stream moves, its indicator, and the last bar per symbol with the feed lag. */
function liveHtml(s: AccountStatus): Html {
  const dd = s.counters.drawdown;
  return html`
    <div id="live" data-account="${s.account}" data-quote="${s.quote ?? ""}" class="panel"
      style="border:1px solid var(--line);border-radius:6px;padding:.6rem 1rem;margin:1rem 0">
      <p style="margin:0 0 .4rem"><strong id="live-indicator" class="live-off muted">○ connecting</strong>
        <span class="muted" id="live-seq">seq ${s.lastSeq}</span></p>
      <table class="stats" id="live-figures">
        <tr>
          <th>Equity</th>
          <td class="num" data-live="equity">${money(s.equity, s.quote)}</td>
          <th>P&L today</th>
          <td class="num ${signClass(s.counters.dailyPnl)}" data-live="dailyPnl">${fmtNum(s.counters.dailyPnl, 2)}</td>
        </tr>
        <tr>
          <th>Cash</th>
          <td class="num" data-live="cash">${money(s.cash, s.quote)}</td>
          <th>Drawdown</th>
          <td class="num" data-live="drawdown">${fmtPct(dd)}</td>
        </tr>
        <tr>
          <th>Open orders</th>
          <td class="num" data-live="openOrders">${s.openOrders.length}</td>
          <th>Order latency</th>
          <td class="num" data-live="latency">—</td>
        </tr>
        <tr>
          <th>Chain</th>
          <td data-live="chain">${s.audit.ok ? "intact" : `broken at seq ${s.audit.firstBadSeq}`}</td>
          <th>Last event</th>
          <td data-live="ts">${fmtTs(s.lastTs || null)}</td>
        </tr>
      </table>
      <table id="live-bars" hidden>
        <thead>
          <tr>
            <th>Symbol</th>
            <th>Timeframe</th>
            <th>Last bar (UTC)</th>
            <th class="num">Close</th>
            <th class="num">Feed lag</th>
          </tr>
        </thead>
        <tbody></tbody>
      </table>
    </div>
  `;
}

/**
 * The reconciliation hold: what the latest waiting report found and the acknowledge form. Always rendered, hidden
 * while no report waits, so the stream can show it (and hide it again after an ack) without a reload.
 */
function holdHtml(name: string, h: ReconciliationHold | null): Html {
  return html`
    <div id="reconciliation-hold" class="panel"
      style="border:2px solid #b35900;border-radius:6px;padding:.6rem 1rem;margin:1rem 0"
      ${raw(h ? "" : " hidden")}>
      <h2 style="margin-top:0">Reconciliation hold</h2>
      <p>The live runner's reconciliation at seq <strong id="hold-seq">${h?.seq ?? ""}</strong> (<span
          id="hold-trigger">${h?.trigger ?? ""}</span>, <span id="hold-ts">${h ? fmtTs(h.ts) : ""}</span>) found what
        the audit log cannot explain. The account stays <strong>reducing</strong> (exits only) until an operator who
        has looked at the report acknowledges it: a resume does not lift it. Reports waiting: <span
          id="hold-waiting">${h ? h.waiting.join(", ") : ""}</span> (<a
          href="/api/accounts/${name}/events?kind=reconciliation">the reports as JSON</a>). Acknowledged, it returns
        to <strong id="hold-after">${h?.after ?? ""}</strong>.</p>
      <ul id="hold-messages">${(h?.messages ?? []).map((m) => html`<li>${m}</li>`)}</ul>
      <form method="post" action="/accounts/${name}/ack" id="ack-form">
        <input type="hidden" name="reconciliationSeq" value="${h ? String(h.seq) : ""}">
        <label>reason: what you checked or did (recorded)<input name="reason" maxlength="500" required
          autocomplete="off"></label>
        <label>operator (optional: your name or handle)<input name="operator" maxlength="128"
          autocomplete="off"></label>
        <button type="submit" id="ack-button">Acknowledge reconciliation</button>
      </form>
      <p class="muted">Or on the command line: <code>deno task risk ack --account ${name} --reason TEXT</code>.</p>
    </div>
  `;
}

// Plain JS for the account page: one EventSource; figures by data-live attribute; rows built with textContent.
const ACCOUNT_JS = `(() => {
  const root = document.getElementById("live");
  if (!root || !window.EventSource) return;
  const name = root.dataset.account, quote = root.dataset.quote;
  const ind = document.getElementById("live-indicator");
  // The page's verdict is a full verify (the head anchor too); the stream checks links and hashes only, so it may
  // turn "intact" into "broken" but never the other way.
  const verifiedBad = document.querySelector("#chain-status .chain-bad") !== null;
  const STATE = { active: ["active: trading", "#1a7f37"], reducing: ["reducing (paused): exits only, no new entries", "#b35900"],
    halted: ["halted (killed): no new orders", "#c0262d"] };
  const num = (x, d) => x == null ? "\u2014" : x.toLocaleString("en-US", { minimumFractionDigits: d, maximumFractionDigits: d });
  const px = (x) => num(x, Math.abs(x) >= 100 ? 2 : 6);
  const ts = (t) => t == null ? "\u2014" : new Date(t).toISOString().slice(0, 16).replace("T", " ") + " UTC";
  const dur = (ms) => ms == null ? "\u2014" : Math.abs(ms) < 120000 ? (ms / 1000).toFixed(1) + " s" : Math.round(ms / 60000) + " min";
  const set = (k, text, cls) => document.querySelectorAll('[data-live="' + k + '"]').forEach((el) => {
    el.textContent = text;
    if (cls !== undefined) { el.classList.remove("pos", "neg"); if (cls) el.classList.add(cls); }
  });
  const row = (cells) => { const tr = document.createElement("tr");
    for (const [v, n] of cells) { const td = document.createElement("td"); td.textContent = v; if (n) td.className = "num"; tr.append(td); }
    return tr; };
  const table = (id, items, cells) => { const t = document.getElementById(id); if (!t) return;
    t.tBodies[0].replaceChildren(...items.map((it) => row(cells(it)))); t.hidden = items.length === 0;
    const empty = document.getElementById(id + "-empty"); if (empty) empty.hidden = items.length > 0; };
  function figures(f) {
    set("equity", num(f.equity, 2) + (quote ? " " + quote : ""));
    set("cash", num(f.cash, 2) + (quote ? " " + quote : ""));
    set("dailyPnl", num(f.dailyPnl, 2), f.dailyPnl > 0 ? "pos" : f.dailyPnl < 0 ? "neg" : "");
    set("drawdown", (f.drawdown * 100).toFixed(2) + " %");
    set("openOrders", String(f.openOrders.length));
    set("latency", f.orderLatency ? dur(f.orderLatency.lastMs) + " (mean " + dur(f.orderLatency.meanMs) + ")" : "\u2014");
    if (!verifiedBad || !f.chain.ok) set("chain", f.chain.ok ? "intact (checked as streamed)" : "broken at seq " + f.chain.firstBadSeq, f.chain.ok ? "" : "neg");
    set("ts", ts(f.ts));
    const cs = document.getElementById("chain-status");
    if (cs && (!verifiedBad || !f.chain.ok)) { cs.textContent = "Chain: " + (f.chain.ok ? "intact (each event checked as streamed; head " + f.seq + ")"
      : "broken at seq " + f.chain.firstBadSeq); cs.className = f.chain.ok ? "" : "neg"; }
    document.getElementById("live-seq").textContent = "seq " + f.seq;
    const st = document.querySelector("#trading-state .trading-state");
    const held = f.tradingState === "reducing" && f.reconciliationHold && f.reconciliationHold.after === "active";
    if (st) { st.textContent = held ? ${
  JSON.stringify(HELD_TEXT)
} : STATE[f.tradingState][0]; st.style.color = STATE[f.tradingState][1];
      st.className = "trading-state state-" + f.tradingState; }
    table("positions", f.positions, (p) => [[p.symbol], [num(p.qty, 8), 1], [px(p.avgPrice), 1]]);
    table("open-orders", f.openOrders, (o) => [[o.clientOrderId], [o.symbol], [o.side], [num(o.qty, 8), 1],
      [num(o.filledQty, 8), 1], [px(o.price), 1], [o.status]]);
    table("live-bars", f.lastBars, (b) => [[b.symbol], [b.timeframe], [ts(b.ts)], [px(b.close), 1], [dur(b.lagMs), 1]]);
    hold(f.reconciliationHold);
  }
  // Shown while a reconciliation waits; the form acknowledges the report it shows (and the earlier ones).
  function hold(h) {
    const el = document.getElementById("reconciliation-hold"); if (!el) return;
    el.hidden = !h; if (!h) return;
    document.getElementById("hold-seq").textContent = String(h.seq);
    document.getElementById("hold-trigger").textContent = h.trigger;
    document.getElementById("hold-ts").textContent = ts(h.ts);
    document.getElementById("hold-waiting").textContent = h.waiting.join(", ");
    document.getElementById("hold-after").textContent = h.after;
    const ul = document.getElementById("hold-messages");
    ul.replaceChildren(...h.messages.map((m) => { const li = document.createElement("li"); li.textContent = m; return li; }));
    el.querySelector('input[name="reconciliationSeq"]').value = String(h.seq);
  }
  function timeline(events, replace) {
    const t = document.getElementById("events"); if (!t) return;
    const body = t.tBodies[0];
    if (replace) body.replaceChildren();
    for (const e of events) { const tr = row([[String(e.seq), 1], [ts(e.ts)], [e.kind], [e.summary]]);
      tr.dataset.seq = e.seq; body.prepend(tr); }
    while (body.rows.length > 50) body.deleteRow(-1);
  }
  const es = new EventSource("/api/accounts/" + encodeURIComponent(name) + "/stream");
  es.onopen = () => { ind.textContent = "\u25cf live"; ind.className = "live-on pos"; };
  es.onerror = () => { ind.textContent = "\u25cb reconnecting"; ind.className = "live-off neg"; };
  es.addEventListener("snapshot", (m) => { const d = JSON.parse(m.data); figures(d.figures);
    if (d.resumedFrom == null) timeline(d.events, true); });
  es.addEventListener("update", (m) => { const d = JSON.parse(m.data); figures(d.figures); timeline(d.events, false); });
})();`;

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
    <p id="trading-state">${stateBadge(s.tradingState, true, t.hold?.after === "active")}${s.reason &&
        t.hold?.after !== "active"
      ? html`
        <span>— ${s.reason}</span>
      `
      : ""}</p>
    ${s.configError ? html`<p class="neg">account.json cannot be loaded: ${s.configError}</p>` : ""}
    ${holdHtml(name, t.hold)}
    ${liveHtml(s)}
    <h2>Equity</h2>
    ${equityHtml(name, t.equity)}
    <h2>Runner</h2>
    ${runnerHtml(name, t.runner)}
    <h2>Money</h2>
    <table class="stats">
      <tr>
        <th>Equity</th>
        <td class="num" data-live="equity">${money(s.equity, s.quote)}</td>
      </tr>
      <tr>
        <th>Cash</th>
        <td class="num" data-live="cash">${money(s.cash, s.quote)}</td>
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
        <td class="num ${signClass(c.dailyPnl)}" data-live="dailyPnl">${fmtNum(c.dailyPnl, 2)}</td>
      </tr>
      <tr>
        <th>Equity peak</th>
        <td class="num">${fmtNum(c.equityPeak, 2)}</td>
      </tr>
      <tr>
        <th>Drawdown</th>
        <td class="num" data-live="drawdown">${fmtPct(c.drawdown)}</td>
      </tr>
      <tr>
        <th>Consecutive losses</th>
        <td class="num">${c.consecutiveLosses}</td>
      </tr>
    </table>
    <h2>Positions</h2>
    <p class="muted" id="positions-empty" ${raw(s.positions.length ? " hidden" : "")}>No positions.</p>
    <table id="positions" ${raw(s.positions.length ? "" : " hidden")}>
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
    <h2>Open orders</h2>
    <p class="muted" id="open-orders-empty" ${raw(s.openOrders.length ? " hidden" : "")}>No open orders.</p>
    ${html`
      <table id="open-orders" ${raw(s.openOrders.length ? "" : " hidden")}>
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
        .length} events, newest first (new ones appear as they are logged). <a href="/api/accounts/${name}/events">All
        (JSON)</a></p>
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
    <script>${raw(ACCOUNT_JS)}</script>
  `;
}

// Plain JS for the accounts list: one EventSource for every account (a browser allows six connections per origin).
const LIST_JS = `(() => {
  if (!window.EventSource) return;
  const ind = document.getElementById("live-indicator");
  const COLOUR = { active: "#1a7f37", reducing: "#b35900", halted: "#c0262d" };
  const num = (x) => x.toLocaleString("en-US", { minimumFractionDigits: 2, maximumFractionDigits: 2 });
  const es = new EventSource("/api/accounts/_stream");
  es.onopen = () => { ind.textContent = "\u25cf live"; ind.className = "live-on pos"; };
  es.onerror = () => { ind.textContent = "\u25cb reconnecting"; ind.className = "live-off neg"; };
  es.addEventListener("accounts", (m) => {
    for (const a of JSON.parse(m.data).accounts) {
      const tr = document.querySelector('tr[data-account="' + a.account + '"]');
      if (!tr) continue;
      const q = tr.dataset.quote ? " " + tr.dataset.quote : "";
      const cell = (f) => tr.querySelector('[data-f="' + f + '"]');
      const st = document.createElement("span");
      st.className = "trading-state state-" + a.tradingState; st.style.color = COLOUR[a.tradingState]; st.style.fontWeight = "700";
      st.textContent = a.tradingState; cell("state").replaceChildren(st);
      cell("equity").textContent = num(a.equity) + q;
      cell("cash").textContent = num(a.cash) + q;
      const pnl = cell("dailyPnl"); pnl.textContent = num(a.dailyPnl);
      pnl.className = "num" + (a.dailyPnl > 0 ? " pos" : a.dailyPnl < 0 ? " neg" : "");
      cell("openOrders").textContent = String(a.openOrders);
      const ch = cell("chain"); ch.textContent = a.chainOk ? "intact" : "broken"; ch.className = a.chainOk ? "" : "neg";
    }
  });
})();`;

/** HTML pages under /accounts. */
export function accountsPages(lab: Lab): Hono {
  const app = new Hono();

  app.get("/", (c) => {
    const rows = accountRows(lab);
    const body = html`
      <h1>Accounts</h1>
      <p class="lead">Paper and live accounts as their audit logs and account.json show them. <strong
        id="live-indicator" class="live-off muted">○ connecting</strong></p>
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
                <th class="num">P&L today</th>
                <th class="num">Open orders</th>
                <th>Chain</th>
              </tr>
            </thead>
            <tbody>${rows.map((r) => {
              const s = r.status;
              return html`
                <tr data-account="${r.summary.name}" data-quote="${s?.quote ?? ""}">
                  <td><a href="/accounts/${r.summary.name}">${r.summary.name}</a></td>
                  <td>${r.summary.kind ?? "—"}</td>
                  <td data-f="state">${s
                    ? stateBadge(s.tradingState)
                    : html`<span class="neg">${r.error ?? ""}</span>`}</td>
                  <td class="num" data-f="equity">${s ? money(s.equity, s.quote) : "—"}</td>
                  <td class="num" data-f="cash">${s ? money(s.cash, s.quote) : "—"}</td>
                  <td class="num ${s ? signClass(s.counters.dailyPnl) : ""}" data-f="dailyPnl">${s
                    ? fmtNum(s.counters.dailyPnl, 2)
                    : "—"}</td>
                  <td class="num" data-f="openOrders">${s ? s.openOrders.length : "—"}</td>
                  <td data-f="chain">${s
                    ? (s.audit.ok ? "intact" : html`<span class="neg">broken at seq ${s.audit.firstBadSeq}</span>`)
                    : "—"}</td>
                </tr>
              `;
            })}</tbody>
          </table>
        `}
      <script>${raw(LIST_JS)}</script>
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
      const answer = (flash: Flash): Response => backWith(c, name, flash);
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

  // Unlike the three above, a refusal is an error answer (400 / 409 naming the fix), not a message on the page: the
  // form is shown only while a hold is in force, so a refusal means the page was stale or the request was not ours.
  app.post("/:name/ack", zv("form", AckFormSchema), (c) => {
    const name = knownAccount(lab, c.req.param("name"));
    const f = c.req.valid("form");
    const r = runAck(lab, name, {
      reason: f.reason,
      ...(f.reconciliationSeq ? { reconciliationSeq: Number(f.reconciliationSeq) } : {}),
      ...(f.operator ? { operator: f.operator } : {}),
    });
    return backWith(c, name, { ok: true, message: r.message.slice(0, 1000) });
  });
  return app;
}
