// The live promotion checklist: /strategies/:name/checklist (HTML) and /api/strategies/:name/checklist (JSON)
// evaluate the promotion gates of a strategy version for an account WITHOUT promoting, on the runs already recorded
// (no `data`: nothing is computed or recorded), so a trader sees which gate is missing before `deno task promote`.
import { Hono } from "hono";
import { z } from "zod";
import { listAccountConfigs } from "../accounts/mod.ts";
import { evaluateGates, type PromotionChecklist } from "../promotion/mod.ts";
import { type AnyStrategy, type ParamField, paramFields } from "../strategies/mod.ts";
import { accountsDataDir, knownAccount } from "./_accounts_common.ts";
import { HttpError } from "./_errors.ts";
import { type Html, html, layout } from "./_html.ts";
import type { Lab } from "./_lab.ts";
import { ParamNameSchema } from "./_params.ts";
import { zv } from "./_validate.ts";

/** What a checklist request names besides the strategy. */
export interface ChecklistRequest {
  account?: string;
  market?: string;
  /** Param text as typed (`param.fast=10`); lib/strategies coerces it as on the command line. */
  params: Record<string, string>;
}

const PARAM_PREFIX = "param.";

/**
 * `account`, optional `market` and `param.<name>` keys, each once: a repeated key or any other key is a 400 naming
 * it (a typo like `parm.fast` must not silently check the defaults).
 */
export const ChecklistQuerySchema: z.ZodType<ChecklistRequest, Record<string, unknown>> = z.record(
  z.string().max(100),
  z.unknown(),
).transform((q, ctx) => {
  const out: ChecklistRequest = { params: {} };
  for (const [k, v] of Object.entries(q)) {
    if (typeof v !== "string" || v.length > 200) {
      ctx.addIssue({
        code: "custom",
        path: [k],
        message: `${k} must be given once, as text of at most 200 characters`,
      });
      continue;
    }
    if (k === "account" || k === "market") {
      if (v.trim() !== "") out[k] = v.trim();
    } else if (k.startsWith(PARAM_PREFIX) && ParamNameSchema.safeParse(k.slice(PARAM_PREFIX.length)).success) {
      if (v.trim() !== "") out.params[k.slice(PARAM_PREFIX.length)] = v.trim();
    } else {
      ctx.addIssue({
        code: "custom",
        path: [k],
        message: `unknown query key ${JSON.stringify(k)}: use account, market and param.<name> (param.fast=10)`,
      });
    }
  }
  return out;
});

/** The live checklist page of a strategy version for an account. */
export function liveChecklistUrl(
  strategy: string,
  o: { account: string; params?: Record<string, unknown>; market?: string | null },
): string {
  const q = new URLSearchParams({ account: o.account });
  if (o.market) q.set("market", o.market);
  for (const [k, v] of Object.entries(o.params ?? {})) q.set(`${PARAM_PREFIX}${k}`, String(v));
  return `/strategies/${encodeURIComponent(strategy)}/checklist?${q}`;
}

function strategyParam(lab: Lab, name: string): AnyStrategy {
  if (!lab.strategies.has(name)) {
    throw new HttpError(
      404,
      `no strategy ${JSON.stringify(name)}; strategies are ${lab.strategies.list().map((s) => s.name).join(", ")}`,
    );
  }
  return lab.strategies.get(name);
}

/** Evaluates the gates read-only: the lab's store and runs, no data (so no evidence is computed or recorded). */
async function check(lab: Lab, strategy: AnyStrategy, r: ChecklistRequest, signal: AbortSignal) {
  const account = knownAccount(lab, r.account ?? "");
  return await evaluateGates({
    strategy: strategy as Parameters<typeof evaluateGates>[0]["strategy"],
    params: r.params,
    account,
    ...(r.market ? { market: r.market } : {}),
    dataDir: accountsDataDir(lab),
    runsDir: lab.runs.dir,
    signal,
  });
}

function requireAccount(r: ChecklistRequest): void {
  if (r.account === undefined) {
    throw new HttpError(400, "name the account to check the promotion for: ?account=NAME", [{
      path: ["query", "account"],
      message: "required: the paper or live account",
    }]);
  }
}

function fieldInput(f: ParamField, r: ChecklistRequest): Html {
  const v = r.params[f.name];
  return html`<label>${f.name}<input name="${PARAM_PREFIX}${f.name}" value="${v ?? ""}" placeholder="${
    String(f.default)
  }" maxlength="200"></label>`;
}

function checklistHtml(c: PromotionChecklist): Html {
  return html`
    <p id="checklist-verdict" class="${c.ok ? "pos" : "neg"}"><strong>${c.ok
      ? "Every gate passes: this version can be promoted."
      : `${c.gates.filter((g) => !g.ok).length} of ${c.gates.length} gates fail: not promotable yet.`}</strong></p>
    <p class="muted">Code hash <code>${c
      .codeHash}</code> · params <code>${Object.entries(c.params).map(([k, v]) => `${k}=${String(v)}`).join(", ") ||
      "defaults"}</code>${c.market
      ? html`
        · market ${c.market}
      `
      : ""}</p>
    <table id="gates">
      <thead>
        <tr>
          <th>Gate</th>
          <th>Outcome</th>
          <th>Evidence</th>
          <th>Runs</th>
        </tr>
      </thead>
      <tbody>${c.gates.map((g) =>
        html`
          <tr class="gate-${g.ok ? "ok" : "fail"}">
            <td>${g.name}</td>
            <td class="${g.ok ? "pos" : "neg"}">${g.ok ? "ok" : "fail"}</td>
            <td style="white-space:pre-wrap">${g.evidence}</td>
            <td>${(g.runIds ?? []).map((id, i) =>
              html`${i ? ", " : ""}<a href="/runs/${encodeURIComponent(id)}">${id}</a>`
            )}</td>
          </tr>
        `
      )}</tbody>
    </table>
  `;
}

/** HTML under /strategies: the live checklist page. */
export function checklistPages(lab: Lab): Hono {
  const app = new Hono();
  app.get("/:name/checklist", zv("query", ChecklistQuerySchema), async (c) => {
    const strategy = strategyParam(lab, c.req.param("name"));
    const r = c.req.valid("query");
    const accounts = listAccountConfigs({ dataDir: accountsDataDir(lab) }).map((a) => a.name);
    const result = r.account === undefined ? null : await check(lab, strategy, r, c.req.raw.signal);
    const body = html`
      <h1>Promotion checklist: ${strategy.name}</h1>
      <p class="lead">Checks the promotion gates against the runs already recorded and the account as it is now.
        Read-only: nothing is computed, recorded or promoted. Missing evidence is recorded by <code>deno task promote
        ... --data SERIES</code>.</p>
      <form class="panel" method="get" action="/strategies/${encodeURIComponent(strategy.name)}/checklist">
        <label>account<select name="account">${accounts.map((a) =>
          html`
            <option value="${a}" ${a === r.account ? " selected" : ""}>${a}</option>
          `
        )}</select></label>
        <label>market (exchange:SYMBOL:timeframe)<input name="market" value="${r.market ?? ""}" maxlength="200"
          placeholder="from the evidence"></label>
        ${paramFields(strategy).map((f) => fieldInput(f, r))}
        <button type="submit">Check</button>
      </form>
      ${accounts.length === 0
        ? html`<p class="muted">No accounts yet: <code>deno task account create --name NAME</code>.</p>`
        : ""}
      ${result === null ? "" : html`<h2>Gates for ${r.account}</h2>${checklistHtml(result)}`}
    `;
    return c.html(layout({ title: `Checklist ${strategy.name}` }, body));
  });
  return app;
}

/** JSON under /api/strategies: the live checklist. */
export function checklistApi(lab: Lab): Hono {
  const app = new Hono();
  app.get("/:name/checklist", zv("query", ChecklistQuerySchema), async (c) => {
    const strategy = strategyParam(lab, c.req.param("name"));
    const r = c.req.valid("query");
    requireAccount(r);
    return c.json(await check(lab, strategy, r, c.req.raw.signal));
  });
  return app;
}
