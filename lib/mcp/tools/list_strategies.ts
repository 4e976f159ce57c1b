import { z } from "zod";
import { isPortfolioStrategy } from "../../strategies/is_portfolio_strategy.ts";
import { paramFields } from "../../strategies/param_fields.ts";
import { registry } from "../../strategies/registry.ts";
import { defineTool, ProvenanceSchema, toolInput } from "../mcp_tool.ts";

const ParamSchema = z.strictObject({
  name: z.string(),
  type: z.enum(["int", "float", "bool", "enum", "string"]),
  default: z.union([z.number(), z.boolean(), z.string()]),
  min: z.number().optional(),
  max: z.number().optional(),
  minExclusive: z.boolean().optional(),
  maxExclusive: z.boolean().optional(),
  step: z.number().optional().describe("step hint for grids"),
  options: z.array(z.string()).optional().describe("allowed values of an enum"),
  pattern: z.string().optional().describe(
    "a string param's regex (ECMAScript, no flags), matched anywhere unless anchored",
  ),
  minLength: z.number().int().optional().describe("a string param's shortest length"),
  maxLength: z.number().int().optional().describe("a string param's longest length"),
  description: z.string(),
});

/**
 * `list_strategies`: every registered strategy with its title, rule in words, kind and parameters (type, default,
 * range, step hint).
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { listStrategies } from "./list_strategies.ts";
 * const ctx = { dataDir: ".", signal: new AbortController().signal, progress: async () => {} };
 * const res = await listStrategies.run({}, ctx);
 * assert.ok(res.structured.strategies.some((s) => s.name === "sma_cross"));
 * ```
 */
export const listStrategies = defineTool({
  name: "list_strategies",
  title: "List strategies",
  description: "Lists the registered strategies a backtest can run: name (the key to pass), title, the rule in " +
    "words, kind (single-asset or portfolio), warm-up at the defaults, and each parameter with its type, " +
    "default, range (min/max, exclusive or not), step hint, pattern and lengths of a text param, and meaning. Strategies are code in the lab; this " +
    "server never accepts code, only a name and parameters.",
  input: toolInput({
    name: z.string().optional().describe("only this strategy (default: all)"),
  }),
  output: z.strictObject({
    strategies: z.array(z.strictObject({
      name: z.string(),
      title: z.string(),
      description: z.string(),
      kind: z.enum(["single", "portfolio"]),
      warmupBars: z.number().int().nullable().describe("bars before the first possible signal, at the defaults"),
      params: z.array(ParamSchema),
    })),
    provenance: ProvenanceSchema,
  }),
  run(args) {
    const all = registry.list();
    const picked = args.name === undefined ? all : all.filter((s) => s.name === args.name);
    if (picked.length === 0) {
      throw new RangeError(
        `name: no strategy ${JSON.stringify(args.name)}; registered: ${all.map((s) => s.name).join(", ")}`,
      );
    }
    const strategies = picked.map((s) => {
      let warmupBars: number | null = null;
      try {
        warmupBars = s.warmup(s.params.parse({}));
      } catch {
        // A strategy whose defaults alone do not parse has no warm-up to show; the params still do.
      }
      return {
        name: s.name,
        title: s.title,
        description: s.description,
        kind: isPortfolioStrategy(s) ? "portfolio" as const : "single" as const,
        warmupBars,
        params: paramFields(s).map((f) => ({ ...f, options: f.options ? [...f.options] : undefined })),
      };
    });
    return Promise.resolve({
      structured: { strategies, provenance: { note: "the lab's strategy registry (lib/strategies)" } },
      text: `${strategies.length} strategies: ` +
        strategies.map((s) =>
          `${s.name} (${s.params.map((p) => `${p.name}=${p.default}`).join(", ") || "no params"}): ${s.description}`
        ).join(" ") + "",
    });
  },
});
