// HTML pages under /agents: the personas, an agent run's cost and decision bars, one bar's debate with each
// decision's whole chain (facts, prompt, answer, validation, vote, the trades it led to), an account's decisions and
// the chain of one in its audit log (risk verdict, intents, orders, fills), and the learning reports. Read-only: the
// lab never calls a model; prompts and answers are read back from the LLM store by request hash.
import { Hono } from "hono";
import type { AuditEvent } from "../audit/mod.ts";
import type { LearningReport, Persona } from "../agents/mod.ts";
import { utcTime } from "../report/mod.ts";
import type { Trade } from "../types/mod.ts";
import { labPersonas, personaByName } from "./_agents_api.ts";
import {
  accountDecisions,
  accountLearning,
  type AgentRun,
  agentRun,
  barDetail,
  type BarFold,
  barTsParam,
  callsOf,
  decisionChain,
  type DecisionDetail,
  decisionDetail,
  type DecisionEvent,
  LearningQuerySchema,
  readCalls,
  runLearning,
  type StoredCall,
} from "./_agents_common.ts";
import { eventSummary } from "./_accounts_common.ts";
import { fmtNum, fmtPct, fmtPrice, fmtTs, type Html, html, layout, raw, signClass } from "./_html.ts";
import type { Lab } from "./_lab.ts";
import { zv } from "./_validate.ts";

const usd = (x: number): string => `$${fmtNum(x, 4)}`;
const PAGE_CSS = html`<style>
pre.prompt{white-space:pre-wrap;background:#f6f8fa;border:1px solid #d1d9e0;border-radius:4px;padding:.5rem .7rem;font-size:.82rem;max-height:32rem;overflow:auto}
.memory{font-weight:600}
td.act-buy{color:#1a7f37}td.act-sell{color:#b42318}td.act-abstain{color:#59636e;font-style:italic}
</style>`;

function page(title: string, body: Html): string {
  return layout({ title, head: PAGE_CSS }, body);
}

function actionCell(action: string | undefined): Html {
  return html`<td class="act-${action ?? ""}">${action ?? "—"}</td>`;
}

function factorsText(e: DecisionEvent): string {
  return e.payload.factors.map((f) => `${f.name} ${f.direction ?? ""} ${fmtNum(f.weight, 3)}`.replace(/\s+/g, " "))
    .join(", ");
}

// ---- personas -------------------------------------------------------------------------------------------------

function seesText(p: Persona): string {
  const s = p.sees;
  const parts: string[] = [];
  if (s.indicators.length) parts.push(`indicators ${s.indicators.join(", ")}`);
  if (s.returns.length) parts.push(`returns over ${s.returns.join(", ")} bars`);
  if (s.volatility !== undefined) parts.push(`volatility over ${s.volatility} bars`);
  if (s.regime) parts.push("regime");
  if (s.position) parts.push("position");
  if (s.recentCloses > 0) parts.push(`last ${s.recentCloses} closes`);
  return parts.join("; ") || "nothing";
}

async function personasPage(): Promise<string> {
  let personas: Persona[];
  try {
    personas = await labPersonas();
  } catch (e) {
    // A bad user persona file: the page says which and why instead of a bare 500.
    return page(
      "Agents",
      html`
        <h1>Agents</h1>
        <div class="errors">
          <p>The personas cannot be read: ${(e as Error).message}</p>
        </div>
      `,
    );
  }
  return page(
    "Agents",
    html`
      <h1>Agents</h1>
      <p class="lead">Personas of the LLM decision agents: the built-ins and this project's <code>personas/*.json</code>.
        A rule persona needs no model. Runs of <code>llm_persona</code> and <code>llm_debate</code> are listed on
        <a href="/runs?strategy=llm_debate">Runs</a>; each links to its agent page.</p>
      <table id="personas">
        <thead>
          <tr>
            <th>Name</th>
            <th>Kind</th>
            <th>Role</th>
            <th>Risk appetite</th>
            <th>Factors</th>
            <th>Sees</th>
            <th>Template</th>
            <th>JSON</th>
          </tr>
        </thead>
        <tbody>${personas.map((p) =>
          html`
            <tr id="persona-${p.name}">
              <td><strong>${p.name}</strong><br><span class="muted">${p.title}</span></td>
              <td>${p.kind}</td>
              <td>${p.role}</td>
              <td>${p.riskAppetite}</td>
              <td>${p.factors.map((f, i) => html`${i ? ", " : ""}<span title="${f.description}">${f.id}</span>`)}</td>
              <td>${seesText(p)}</td>
              <td>${p.template.version}</td>
              <td><a href="/api/agents/personas/${p.name}">${p.name}.json</a></td>
            </tr>
          `
        )}</tbody>
      </table>
    `,
  );
}

// ---- a run ----------------------------------------------------------------------------------------------------

function memoryBox(run: AgentRun): Html {
  const m = run.agents.memory;
  if (m === undefined) {
    return html`
      <div class="warn memory"
        id="memory">Model memory: this run did not record its overlap with the model's training data; treat its results as possibly remembered.</div>
    `;
  }
  const lead = m.insideMemory === false ? "Model memory: clear." : "Model memory warning:";
  return html`<div class="warn memory" id="memory">${lead} ${m.label}</div>`;
}

function costSection(run: AgentRun): Html {
  const a = run.agents;
  const d = a.desk, g = a.gateway;
  const abst = Object.entries(d.abstentions).filter(([, n]) => n > 0);
  return html`
    <h2>Cost</h2>
    <div class="grid2">
      <table class="kv stats" id="cost">
        <tr>
          <th>Total (priced as if every call were made)</th>
          <td>${usd(d.costUsd)}</td>
        </tr>
        <tr>
          <th>Per decision</th>
          <td>${usd(a.costPerDecisionUsd)}</td>
        </tr>
        <tr>
          <th>Spent on the API by this run</th>
          <td>${usd(g.spentUsd)}</td>
        </tr>
        <tr>
          <th>Budget</th>
          <td>${a.budgetUsd == null ? "none" : usd(a.budgetUsd)}</td>
        </tr>
        <tr>
          <th>Tokens in</th>
          <td>${fmtNum(d.usage.inputTokens, 0)}</td>
        </tr>
        <tr>
          <th>Tokens out</th>
          <td>${fmtNum(d.usage.outputTokens, 0)}</td>
        </tr>
        <tr>
          <th>Cache read / write</th>
          <td>${fmtNum(d.usage.cacheReadTokens, 0)} / ${fmtNum(d.usage.cacheWriteTokens, 0)}</td>
        </tr>
        <tr>
          <th>Prompt cache hit rate</th>
          <td>${fmtPct(g.cacheHitRate).replace(/^\+/, "")}</td>
        </tr>
      </table>
      <table class="kv stats" id="calls">
        <tr>
          <th>Cache mode</th>
          <td>${a.cache}</td>
        </tr>
        <tr>
          <th>Model</th>
          <td>${a.model}</td>
        </tr>
        <tr>
          <th>Decisions (debates)</th>
          <td>${d.decisions} (${d.debates})</td>
        </tr>
        <tr>
          <th>Persona answers asked</th>
          <td>${d.asked}</td>
        </tr>
        <tr>
          <th>Model calls</th>
          <td>${d.calls}</td>
        </tr>
        <tr>
          <th>Store hits / API calls</th>
          <td>${g.storeHits} / ${g.apiCalls}</td>
        </tr>
        <tr>
          <th>Repaired answers</th>
          <td>${d.repaired}</td>
        </tr>
        <tr>
          <th>Abstentions</th>
          <td>${abst.length === 0 ? "none" : abst.map(([k, n]) => `${k} ${n}`).join(", ")}</td>
        </tr>
        <tr>
          <th>Journal head</th>
          <td class="mono" title="${a.journal.headHash}">${a.journal.headHash.slice(0, 16)}… (${a.journal
            .events} events)</td>
        </tr>
      </table>
    </div>
    ${d.byPersona === undefined ? "" : html`
      <table id="by-persona">
        <thead>
          <tr>
            <th>Persona</th>
            <th class="num">Asked</th>
            <th class="num">Abstained</th>
            <th class="num">Cost</th>
          </tr>
        </thead>
        <tbody>${Object.entries(d.byPersona).map(([name, p]) =>
          html`
            <tr>
              <td>${name}</td>
              <td class="num">${p.asked}</td>
              <td class="num">${p.abstained}</td>
              <td class="num">${usd(p.costUsd)}</td>
            </tr>
          `
        )}</tbody>
      </table>
    `}
  `;
}

function barsTable(run: AgentRun): Html {
  const id = run.view.record.id;
  if (run.bars.length === 0) return html`<p class="note">No decisions.</p>`;
  return html`
    <table id="decisions">
      <thead>
        <tr>
          <th data-sort="text">Bar (UTC)</th>
          <th data-sort="text">Action</th>
          <th class="num" data-sort="num">Confidence</th>
          <th class="num" data-sort="num">Disagreement</th>
          <th>Dissent</th>
          <th>Abstentions</th>
          <th class="num">Rounds</th>
        </tr>
      </thead>
      <tbody>${run.bars.map((b) => {
        const head = b.vote ?? b.finals[0];
        const v = b.vote?.payload.vote;
        return html`<tr>
          <td><a href="/agents/runs/${id}/bars/${b.barTs}">${fmtTs(b.barTs)}</a></td>
          ${actionCell(head?.payload.action)}
          <td class="num" data-v="${head?.payload.confidence ?? ""}">${
          head ? fmtNum(head.payload.confidence, 3) : "—"
        }</td>
          <td class="num" data-v="${v?.disagreement ?? ""}">${v ? fmtNum(v.disagreement, 3) : "—"}</td>
          <td>${v?.dissent.join(", ") || "—"}</td>
          <td>${b.abstained.map((a) => `${a.persona} (${a.reason})`).join(", ") || "—"}</td>
          <td class="num">${b.rounds}</td></tr>`;
      })}</tbody>
    </table>
  `;
}

function runPage(run: AgentRun): string {
  const r = run.view.record;
  return page(
    `Agent run ${r.id}`,
    html`
      <h1>Agent run <span class="mono">${r.id}</span></h1>
      <p
        class="lead">${r.strategy} on ${r.series.join(", ")} · ${Object.entries(r.params).map(([k, v]) =>
          `${k}=${typeof v === "string" ? v : JSON.stringify(v)}`
        ).join(" ")} · <a href="/runs/${r.id}">backtest report</a> · <a href="/agents/runs/${r
          .id}/learning">learning report</a>
        · <a href="/api/agents/runs/${r.id}">JSON</a></p>
      ${memoryBox(run)}
      ${costSection(run)}
      <h2>Decisions</h2>
      <p class="muted">${run.bars.length} decision bars. The action is the vote's (a debate) or the persona's.</p>
      ${barsTable(run)}
    `,
  );
}

// ---- a bar ----------------------------------------------------------------------------------------------------

function roundsSection(bar: BarFold): Html {
  const rounds = new Map<number, DecisionEvent[]>();
  for (const e of bar.events) {
    if (e.payload.agent === "vote") continue;
    const r = e.payload.round ?? 0;
    let list = rounds.get(r);
    if (list === undefined) rounds.set(r, list = []);
    list.push(e);
  }
  return html`${
    [...rounds.entries()].sort((a, b) => a[0] - b[0]).map(([r, list]) =>
      html`
        <h3>Round ${r}${r === 0 ? " (independent)" : " (rebuttal)"}</h3>
        <table class="round" id="round-${r}">
          <thead>
            <tr>
              <th>Persona</th>
              <th>Action</th>
              <th class="num">Confidence</th>
              <th>Factors (direction, weight)</th>
              <th>Validation</th>
              <th>Abstain reason</th>
            </tr>
          </thead>
          <tbody>${list.map((e) =>
            html`<tr><td><a href="#decision-${e.seq}">${e.payload.agent}</a>${e.payload.final ? " ✓" : ""}</td>
        ${actionCell(e.payload.action)}<td class="num">${fmtNum(e.payload.confidence, 3)}</td>
        <td>${factorsText(e) || "—"}</td><td>${e.payload.validation ?? "—"}</td>
        <td>${e.payload.abstainReason ?? ""}</td></tr>`
          )}</tbody>
        </table>
      `
    )
  }<p class="muted">✓ the persona's final round: the position the vote counted.</p>`;
}

function voteSection(bar: BarFold): Html {
  const v = bar.vote;
  if (v === undefined) return html`<p class="muted">One persona, no vote.</p>`;
  const p = v.payload, vote = p.vote;
  if (vote === undefined) return html`<p>Vote: ${p.action} (${fmtNum(p.confidence, 3)})</p>`;
  const finals = new Map(bar.finals.map((e) => [e.payload.agent, e]));
  return html`
    <table class="kv stats" id="vote">
      <tr>
        <th>Decision</th>
        <td><strong>${p.action}</strong></td>
      </tr>
      <tr>
        <th>Confidence</th>
        <td>${fmtNum(p.confidence, 3)}</td>
      </tr>
      <tr>
        <th>Rule</th>
        <td>${vote.rule}</td>
      </tr>
      <tr>
        <th>Scores</th>
        <td>${p.reasoning}</td>
      </tr>
      <tr>
        <th>Net (buy − sell)</th>
        <td class="${signClass(vote.net)}">${fmtNum(vote.net, 4)}</td>
      </tr>
      <tr>
        <th>Disagreement</th>
        <td>${fmtNum(vote.disagreement, 3)}</td>
      </tr>
      <tr>
        <th>Abstained</th>
        <td>${vote.abstained.join(", ") || "none"}</td>
      </tr>
    </table>
    <table id="weights">
      <thead>
        <tr>
          <th>Persona</th>
          <th class="num">Weight</th>
          <th>Final action</th>
          <th class="num">Confidence</th>
          <th>Dissent</th>
        </tr>
      </thead>
      <tbody>${Object.entries(vote.weights).map(([name, w]) => {
        const f = finals.get(name);
        return html`<tr><td>${name}</td><td class="num">${fmtNum(w, 4)}</td>${actionCell(f?.payload.action)}
        <td class="num">${f ? fmtNum(f.payload.confidence, 3) : "—"}</td>
        <td>${vote.dissent.includes(name) ? html`<strong class="neg">dissent</strong>` : ""}</td></tr>`;
      })}</tbody>
    </table>
  `;
}

function callHtml(c: { requestHash: string; responseHash: string; stored: StoredCall | undefined }, i: number): Html {
  const s = c.stored;
  const head = html`<p class="mono muted">call ${i + 1}: request ${c.requestHash.slice(0, 16)}… → response ${
    c.responseHash.slice(0, 16)
  }…</p>`;
  if (s === undefined) {
    return html`
      ${head}<p
        class="warn">Not in this lab's LLM store (<code>agents/llm_store.sqlite</code> of the data dir): the prompt and answer cannot be shown.</p>
    `;
  }
  return html`
    ${head}
        <p
      class="muted">${s.model} · template ${s.templateVersion} · stop ${s.stopReason} · in ${s.usage
        .inputTokens} / out ${s.usage.outputTokens} / cache read ${s.usage.cacheReadTokens} tokens · ${usd(
          s.costUsd,
        )}</p>
        <details>
      <summary>Prompt: system</summary>
      <pre class="prompt">${s.system}</pre>
    </details>
        ${s.messages.map((m, k) =>
          html`
            <details ${k === 0 ? "open" : ""}>
              <summary>Prompt: ${m.role} message ${k + 1}</summary>
              <pre class="prompt">${m.content}</pre>
            </details>
          `
        )}
        <details open>
      <summary>Answer</summary>
      <pre class="prompt answer">${prettyJson(s.answerText)}</pre>
    </details>
  `;
}

function prettyJson(text: string): string {
  try {
    return JSON.stringify(JSON.parse(text), null, 2);
  } catch {
    return text;
  }
}

function validationHtml(e: DecisionEvent): Html {
  const p = e.payload;
  if (p.action === "abstain") {
    return html`<p><strong class="neg">abstained: ${p.abstainReason ?? p.validation ?? "unknown"}</strong>${
      p.detail
        ? html`
          · ${p.detail}
        `
        : ""
    }</p>`;
  }
  if (p.validation === "repaired") {
    return html`<p><strong>repaired</strong>: the first answer failed (${
      p.detail ?? "issues not recorded"
    }); the repair passed.</p>`;
  }
  return html`<p><strong class="pos">${p.validation ?? "ok"}</strong></p>`;
}

function decisionHtml(d: DecisionDetail): Html {
  const p = d.event.payload;
  return html`
    <section class="decision" id="decision-${d.event.seq}">
      <h3>${p.agent}, round ${p.round ?? 0}${p.final ? " (final)" : ""}: ${p.action} ${fmtNum(p.confidence, 3)}</h3>
      <h4>Validation</h4>${validationHtml(d.event)}
      ${p.reasoning ? html`<p><strong>Reasoning</strong>: ${p.reasoning}</p>` : ""}
      ${p.riskAssessment ? html`<p><strong>Risk</strong>: ${p.riskAssessment}</p>` : ""}
      ${p.invalidationLevel != null
        ? html`<p><strong>Invalidation level</strong>: ${fmtPrice(p.invalidationLevel)}</p>`
        : ""}
      <h4>Facts</h4>
      ${d.facts.length === 0
        ? html`<p class="muted">None recorded (a rule persona, or the prompt is not in the store).</p>`
        : html`
          <ul class="facts mono">${d.facts.map((f) => html`<li>${f}</li>`)}</ul>
        `}
      ${d.calls.length === 0 ? html`<p class="muted">No model call (rule persona).</p>` : d.calls.map(callHtml)}
    </section>
  `;
}

function tradesHtml(trades: readonly Trade[]): Html {
  if (trades.length === 0) return html`<p class="muted" id="orders">No order filled before the next decision.</p>`;
  return html`
    <table id="orders">
      <thead>
        <tr>
          <th>Entry (UTC)</th>
          <th>Exit (UTC)</th>
          <th>Side</th>
          <th class="num">Entry price</th>
          <th class="num">Exit price</th>
          <th class="num">Size</th>
          <th class="num">P&L</th>
        </tr>
      </thead>
      <tbody>${trades.map((t) =>
        html`
          <tr>
            <td>${fmtTs(t.entryTs)}</td>
            <td>${t.exitIndex < 0 ? "open" : fmtTs(t.exitTs)}</td>
            <td>${t.direction}</td>
            <td class="num">${fmtPrice(t.entryPrice)}</td>
            <td class="num">${fmtPrice(t.exitPrice)}</td>
            <td class="num">${fmtNum(t.size, 6)}</td>
            <td class="num ${signClass(t.pnl)}">${fmtNum(t.pnl, 2)}</td>
          </tr>
        `
      )}</tbody>
    </table>
  `;
}

function barPage(lab: Lab, run: AgentRun, barTs: number): string {
  const d = barDetail(lab, run, barTs);
  const id = run.view.record.id;
  const i = run.bars.indexOf(d.bar);
  const prev = run.bars[i - 1], next = run.bars[i + 1];
  return page(
    `Bar ${fmtTs(barTs)} of ${id}`,
    html`
      <h1>Decision at ${fmtTs(d.bar.barTs)}</h1>
      <p
        class="lead"><a href="/agents/runs/${id}">run ${id}</a> · ${d.bar
          .symbol} · decided at the bar's close (${utcTime(d.bar.decisionTime)}) · ${prev
          ? html`<a href="/agents/runs/${id}/bars/${prev.barTs}">← previous</a>`
          : ""} ${next
          ? html`<a href="/agents/runs/${id}/bars/${next.barTs}">next →</a>`
          : ""} · <a href="/api/agents/runs/${id}/bars/${d.bar.barTs}">JSON</a></p>
      ${memoryBox(run)}
      <h2>Vote</h2>${voteSection(d.bar)}
      <h2>Debate</h2>${roundsSection(d.bar)}
      <h2>Orders</h2>
      <p
        class="muted">Round trips entered or exited after this bar and up to the next decision (${Number.isFinite(
            d.nextBarTs,
          )
          ? fmtTs(d.nextBarTs)
          : "the end of the run"}): fills come at the next bar's open.</p>
      ${tradesHtml(d.trades)}
      <h2>Each decision's chain</h2>
      ${d.decisions.map(decisionHtml)}
    `,
  );
}

// ---- learning -------------------------------------------------------------------------------------------------

/** The report's Markdown as HTML: headings, quotes (warnings), pipe tables and paragraphs, all text escaped. */
export function markdownHtml(md: string): Html {
  const lines = md.split("\n");
  const out: Html[] = [];
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i]!;
    if (line.trim() === "") continue;
    const h = /^(#{1,4}) (.*)$/.exec(line);
    if (h) {
      const level = Math.min(4, h[1]!.length + 1);
      out.push(html`${raw(`<h${level}>`)}${h[2]!}${raw(`</h${level}>`)}`);
    } else if (line.startsWith(">")) {
      out.push(html`<div class="warn memory">${line.replace(/^>\s?/, "")}</div>`);
    } else if (line.startsWith("|")) {
      const rows: string[][] = [];
      for (; i < lines.length && lines[i]!.startsWith("|"); i++) {
        const cells = lines[i]!.trim().replace(/^\||\|$/g, "").split("|").map((c) => c.trim());
        if (!cells.every((c) => /^:?-{2,}:?$/.test(c))) rows.push(cells);
      }
      i--;
      const [head, ...body] = rows;
      out.push(html`
        <table>
          <thead>
            <tr>${(head ?? []).map((c) => html`<th>${c}</th>`)}</tr>
          </thead>
          <tbody>${body.map((r) => html`<tr>${r.map((c) => html`<td>${c}</td>`)}</tr>`)}</tbody>
        </table>
      `);
    } else {
      out.push(html`<p>${line}</p>`);
    }
  }
  return html`${out}`;
}

function learningPage(title: string, back: Html, report: LearningReport, horizon: number): string {
  return page(
    title,
    html`
      <h1>${title}</h1>
      <p class="lead">${back} · outcome horizon ${horizon} bar${horizon === 1
        ? ""
        : "s"} (<code>?horizon=N</code>). Weights learn
        only from outcomes closed before each decision.</p>
      <div class="learning">${markdownHtml(report.toMarkdown())}</div>
      <h2>Reliability</h2>
      ${raw(report.figure().toHtml())}
    `,
  );
}

// ---- an account -----------------------------------------------------------------------------------------------

function chainTable(events: readonly AuditEvent[]): Html {
  if (events.length === 0) {
    return html`<p class="muted" id="chain">No event shares this decision's correlation id (no order followed it).</p>`;
  }
  return html`
    <table id="chain">
      <thead>
        <tr>
          <th class="num">Seq</th>
          <th>Time (UTC)</th>
          <th>Kind</th>
          <th>What</th>
        </tr>
      </thead>
      <tbody>${events.map((e) =>
        html`
          <tr class="kind-${e.kind}">
            <td class="num">${e.seq}</td>
            <td>${fmtTs(e.ts)}</td>
            <td>${e.kind}</td>
            <td>${eventSummary(e)}${e.kind === "risk_verdict" && (e.payload as { detail?: string }).detail
              ? ` · ${(e.payload as { detail: string }).detail}`
              : ""}</td>
          </tr>
        `
      )}</tbody>
    </table>
  `;
}

function accountDecisionPage(lab: Lab, name: string, seq: string | undefined): string {
  const d = decisionChain(lab, name, seq);
  const e = d.decision;
  const detail = decisionDetail(e, readCalls(lab, callsOf(e).map((c) => c.requestHash)));
  return page(
    `Decision ${e.seq} of ${d.account}`,
    html`
      <h1>Decision ${e.seq} of <a href="/accounts/${d.account}">${d.account}</a></h1>
      <p class="lead">${e.payload.agent}: ${e.payload.action} ${fmtNum(e.payload.confidence, 3)} at ${fmtTs(
        e.ts,
      )} · run ${e.runId}
        · correlation ${e.correlationId ?? "none"} · <a href="/agents/accounts/${d.account}">all decisions</a></p>
      <h2>Risk, orders and fills</h2>
      ${chainTable(d.chain)}
      <h2>The decision</h2>
      ${decisionHtml(detail)}
    `,
  );
}

function accountPage(lab: Lab, name: string): string {
  const list = accountDecisions(lab, name, 500);
  return page(
    `Decisions of ${name}`,
    html`
      <h1>Decisions of <a href="/accounts/${name}">${name}</a></h1>
      <p class="lead">The last ${list.length} decision events of the account's audit log, newest first ·
        <a href="/agents/accounts/${name}/learning">learning report</a></p>
      ${list.length === 0 ? html`<p class="muted">No decisions yet.</p>` : html`
        <table id="account-decisions">
          <thead>
            <tr>
              <th class="num">Seq</th>
              <th>Time (UTC)</th>
              <th>Agent</th>
              <th>Action</th>
              <th class="num">Confidence</th>
              <th>Validation</th>
            </tr>
          </thead>
          <tbody>${list.map((e) =>
            html`<tr><td class="num"><a href="/agents/accounts/${name}/decisions/${e.seq}">${e.seq}</a></td><td>${
              fmtTs(e.ts)
            }</td>
        <td>${e.payload.agent}</td>${actionCell(e.payload.action)}<td class="num">${
              fmtNum(e.payload.confidence, 3)
            }</td>
        <td>${e.payload.validation ?? "—"}</td></tr>`
          )}</tbody>
        </table>
      `}
    `,
  );
}

/** HTML pages under /agents. */
export function agentsPages(lab: Lab): Hono {
  const app = new Hono();

  app.get("/", async (c) => c.html(await personasPage()));

  app.get("/personas/:name", async (c) => {
    const p = await personaByName(c.req.param("name"));
    return c.redirect(`/agents#persona-${p.name}`, 302);
  });

  app.get("/runs/:id", async (c) => c.html(runPage(await agentRun(lab, c.req.param("id")))));

  app.get("/runs/:id/bars/:barTs", async (c) => {
    const run = await agentRun(lab, c.req.param("id"));
    return c.html(barPage(lab, run, barTsParam(c.req.param("barTs"))));
  });

  app.get("/runs/:id/learning", zv("query", LearningQuerySchema), async (c) => {
    const run = await agentRun(lab, c.req.param("id"));
    const horizon = c.req.valid("query").horizon ?? 1;
    const id = run.view.record.id;
    return c.html(
      learningPage(
        `Learning report of run ${id}`,
        html`<a href="/agents/runs/${id}">run ${id}</a>`,
        await runLearning(lab, run, horizon),
        horizon,
      ),
    );
  });

  app.get("/accounts/:name", (c) => c.html(accountPage(lab, c.req.param("name"))));

  app.get("/accounts/:name/decisions/:seq", (c) => {
    return c.html(accountDecisionPage(lab, c.req.param("name"), c.req.param("seq")));
  });

  app.get("/accounts/:name/learning", zv("query", LearningQuerySchema), (c) => {
    const name = c.req.param("name");
    const horizon = c.req.valid("query").horizon ?? 1;
    const report = accountLearning(lab, name, horizon);
    return c.html(
      learningPage(`Learning report of ${name}`, html`<a href="/agents/accounts/${name}">${name}</a>`, report, horizon),
    );
  });

  return app;
}
