// JSON under /api/agents: the personas, an agent run (cost summary and decision rows), one bar's debate with each
// decision's chain, an account's decision chain and the learning reports. Read-only: no model is ever called.
import { Hono } from "hono";
import { z } from "zod";
import { decisionRowsFromAudit, type LearningReport, loadPersonas, type Persona } from "../agents/mod.ts";
import {
  accountLearning,
  agentRun,
  type BarDetail,
  barDetail,
  barTsParam,
  decisionChain,
  LearningQuerySchema,
  runLearning,
} from "./_agents_common.ts";
import { HttpError } from "./_errors.ts";
import type { Lab } from "./_lab.ts";
import { zv } from "./_validate.ts";

const PERSONA_NAME = z.string().max(64).regex(/^[a-z][a-z0-9_]{0,63}$/, "a persona name is snake_case (see /agents)");

/** The personas the lab's project defines: built-ins plus its `personas/*.json`. */
export function labPersonas(): Promise<Persona[]> {
  return loadPersonas();
}

/** A persona by name, or 400/404 naming the rule or the known names. */
export async function personaByName(name: string | undefined): Promise<Persona> {
  const r = PERSONA_NAME.safeParse(name ?? "");
  if (!r.success) {
    throw new HttpError(
      400,
      "invalid persona name",
      r.error.issues.map((i) => ({ path: ["name"], message: i.message })),
    );
  }
  const all = await labPersonas();
  const p = all.find((x) => x.name === r.data);
  if (p === undefined) {
    throw new HttpError(404, `no persona ${r.data}; known: ${all.map((x) => x.name).join(", ")} (see /agents)`);
  }
  return p;
}

/** A bar's detail as JSON: the vote, each decision with its prompts, answers, validation and facts, the trades. */
export function barDetailJson(d: BarDetail): Record<string, unknown> {
  const id = d.run.view.record.id;
  return {
    run_id: id,
    barTs: d.bar.barTs,
    decisionTime: d.bar.decisionTime,
    symbol: d.bar.symbol,
    rounds: d.bar.rounds,
    vote: d.bar.vote?.payload ?? null,
    decisions: d.decisions.map((x) => ({
      seq: x.event.seq,
      payload: x.event.payload,
      facts: x.facts,
      calls: x.calls.map((c) => ({
        requestHash: c.requestHash,
        responseHash: c.responseHash,
        stored: c.stored !== undefined,
        ...(c.stored === undefined ? {} : {
          model: c.stored.model,
          templateVersion: c.stored.templateVersion,
          system: c.stored.system,
          messages: c.stored.messages,
          answer: c.stored.answerText,
          stopReason: c.stored.stopReason,
          usage: c.stored.usage,
          costUsd: c.stored.costUsd,
        }),
      })),
    })),
    trades: d.trades,
    url: `/agents/runs/${id}/bars/${d.bar.barTs}`,
  };
}

/** A learning report's data (its methods dropped), with the Markdown. */
export function learningJson(r: LearningReport): Record<string, unknown> {
  return {
    horizonBars: r.horizonBars,
    note: r.note ?? null,
    rows: r.rows,
    personas: r.personas,
    walkForward: r.walkForward,
    currentWeights: r.currentWeights,
    markdown: r.toMarkdown(),
  };
}

/** JSON under /api/agents. */
export function agentsApi(lab: Lab): Hono {
  const app = new Hono();

  app.get("/personas", async (c) => c.json({ personas: await labPersonas() }));

  app.get("/personas/:name", async (c) => c.json(await personaByName(c.req.param("name"))));

  app.get("/runs/:id", async (c) => {
    const run = await agentRun(lab, c.req.param("id"));
    const r = run.view.record;
    return c.json({
      id: r.id,
      strategy: r.strategy,
      series: r.series,
      params: r.params,
      summary: run.agents,
      bars: run.bars.map((b) => ({
        barTs: b.barTs,
        decisionTime: b.decisionTime,
        symbol: b.symbol,
        action: (b.vote ?? b.finals[0])?.payload.action ?? null,
        confidence: (b.vote ?? b.finals[0])?.payload.confidence ?? null,
        disagreement: b.vote?.payload.vote?.disagreement ?? null,
        dissent: b.vote?.payload.vote?.dissent ?? [],
        abstained: b.abstained,
        url: `/agents/runs/${r.id}/bars/${b.barTs}`,
      })),
      rows: decisionRowsFromAudit(run.events, { includeVote: true }),
      url: `/agents/runs/${r.id}`,
    });
  });

  app.get("/runs/:id/bars/:barTs", async (c) => {
    const run = await agentRun(lab, c.req.param("id"));
    return c.json(barDetailJson(barDetail(lab, run, barTsParam(c.req.param("barTs")))));
  });

  app.get("/runs/:id/learning", zv("query", LearningQuerySchema), async (c) => {
    const run = await agentRun(lab, c.req.param("id"));
    return c.json(learningJson(await runLearning(lab, run, c.req.valid("query").horizon ?? 1)));
  });

  app.get("/accounts/:name/decisions/:seq", (c) => {
    const d = decisionChain(lab, c.req.param("name"), c.req.param("seq"));
    return c.json({ account: d.account, decision: d.decision, chain: d.chain });
  });

  app.get("/accounts/:name/learning", zv("query", LearningQuerySchema), (c) => {
    return c.json(learningJson(accountLearning(lab, c.req.param("name"), c.req.valid("query").horizon ?? 1)));
  });

  return app;
}
