// /strategies and /api/strategies: what can be backtested and with which params.
import { Hono } from "hono";
import { z } from "zod";
import { type AnyStrategy, isPortfolioStrategy, paramFields } from "../strategies/mod.ts";
import { HttpError } from "./_errors.ts";
import { html, layout } from "./_html.ts";
import type { Lab } from "./_lab.ts";

function requireStrategyParam(lab: Lab, name: string | undefined): AnyStrategy {
  const n = name ?? "";
  if (!lab.strategies.has(n)) {
    throw new HttpError(
      404,
      `no strategy ${JSON.stringify(n)}; strategies are ${lab.strategies.list().map((s) => s.name).join(", ")}`,
    );
  }
  return lab.strategies.get(n);
}

function strategyJson(s: AnyStrategy): Record<string, unknown> {
  let schema: unknown = null;
  try {
    schema = z.toJSONSchema(s.params as z.ZodType, { io: "input", unrepresentable: "any" });
  } catch {
    // A schema with refinements JSON Schema cannot express still has its fields listed in params.
  }
  return {
    name: s.name,
    title: s.title,
    description: s.description,
    kind: isPortfolioStrategy(s) ? "portfolio" : "single",
    params: paramFields(s),
    params_schema: schema,
  };
}

/** HTML page /strategies. */
export function strategiesPages(lab: Lab): Hono {
  const app = new Hono();
  app.get("/", (c) => {
    const body = html`
      <h1>Strategies</h1>
      <p
        class="lead">Each strategy is a pure, causal function from bars and typed parameters to signals. Parameters, defaults and ranges come from its schema.</p>
      ${lab.strategies.list().map((s) =>
        html`
          <h2 id="${s.name}">${s.title} <code>${s.name}</code></h2><p>${s.description}</p>
          <table>
            <thead>
              <tr>
                <th>Param</th>
                <th>Type</th>
                <th class="num">Default</th>
                <th>Range</th>
                <th>Meaning</th>
              </tr>
            </thead>
            <tbody>${paramFields(s).map((f) =>
              html`
                <tr>
                  <td><code>${f.name}</code></td>
                  <td>${f.type}${f.options
                    ? html`
                      (${f.options.join(", ")})
                    `
                    : ""}</td>
                  <td class="num">${String(f.default)}</td>
                  <td>${f.min ?? ""}${f.min !== undefined || f.max !== undefined ? " … " : ""}${f.max ?? ""}${f.pattern
                    ? html`<code>/${f.pattern}/</code>`
                    : ""}</td>
                  <td>${f.description}</td>
                </tr>
              `
            )}</tbody>
          </table>
          ${isPortfolioStrategy(s)
            ? html`<p class="muted">Portfolio strategy: run it over several series with <code>deno task backtest</code>.</p>`
            : html`<p><a href="/backtests/new?strategy=${s.name}">Backtest it</a> · <a href="/sweeps/new?strategy=${s.name}">Sweep it</a></p>`}
        `
      )}
    `;
    return c.html(layout({ title: "Strategies" }, body));
  });
  return app;
}

/** JSON under /api/strategies. */
export function strategiesApi(lab: Lab): Hono {
  const app = new Hono();
  app.get("/", (c) => c.json({ strategies: lab.strategies.list().map(strategyJson) }));
  app.get("/:name", (c) => c.json(strategyJson(requireStrategyParam(lab, c.req.param("name")))));
  return app;
}
