import { z } from "zod";
import type { Persona } from "../../agents/mod.ts";
// The function's own file, not lib/agents/mod.ts: that one brings the Anthropic SDK, which reading personas does not need.
import { loadPersonas } from "../../agents/load_personas.ts";
import { ENGINE_VERSION } from "../../backtest/engine_version.ts";
import { defineTool, type McpTool, ProvenanceSchema, toolInput } from "../mcp_tool.ts";

const input = toolInput({
  name: z.string().min(1).max(64).optional().describe("One persona by name (default: all of them)"),
});

const FactorSchema = z.strictObject({
  id: z.string(),
  description: z.string(),
  fact: z.string().nullable().describe("rule personas: the fact the factor reads"),
  pivot: z.number().nullable(),
  invert: z.boolean(),
  weight: z.number().nullable(),
});

const PersonaRowSchema = z.strictObject({
  name: z.string(),
  source: z.enum(["built-in", "user"]).describe("lib/agents/personas, or the project's personas/ folder"),
  kind: z.enum(["llm", "rule"]).describe("llm: asked through a model; rule: the sign of its weighted factors"),
  title: z.string(),
  role: z.string(),
  style: z.string(),
  riskAppetite: z.string(),
  factors: z.array(FactorSchema),
  sees: z.record(z.string(), z.unknown()).describe("the facts it is shown: indicators, returns, volatility, regime"),
  model: z.strictObject({
    id: z.string().nullable().describe("null: the agents config's default model"),
    maxTokens: z.number().nullable(),
    temperature: z.number().nullable(),
  }).nullable().describe("llm personas only"),
  threshold: z.number().nullable().describe("rule personas: the score past which it buys or sells"),
  templateVersion: z.string().describe("part of every request hash: a new wording never replays an old answer"),
});

const output = z.strictObject({
  personas: z.array(PersonaRowSchema),
  provenance: ProvenanceSchema,
});

type Input = typeof input;
type Output = typeof output;

/**
 * `list_personas`: the personas the lab knows, built-in and the project's `personas/*.json`, each with its kind,
 * model, factors and what it sees, read with `lib/agents`' `loadPersonas` (the lab's `/api/agents/personas` reads the
 * same). The prompt templates are left out: they are long, and `templateVersion` names them.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { listPersonasTool } from "./list_personas.ts";
 * const r = await listPersonasTool.run({ name: "rule_trend" }, {
 *   dataDir: "/nowhere", signal: new AbortController().signal, progress: () => Promise.resolve(),
 * });
 * assert.equal(r.structured.personas[0]!.kind, "rule");
 * assert.equal(r.structured.personas[0]!.source, "built-in");
 * ```
 */
export const listPersonasTool: McpTool<Input, Output> = defineTool({
  name: "list_personas",
  title: "List agent personas",
  description: "The LLM-agent personas the lab knows (built-in and the project's personas/ folder): name, kind " +
    "(llm: asked through a model; rule: a weighted-factor score, no model), title, role, style, risk appetite, the " +
    "factors it weighs, the facts it sees, its model and sampling, and its prompt template's version. Pass name for " +
    "one. Use with get_agent_run to read what a recorded agent run decided.",
  input,
  output,
  async run(args) {
    const [all, builtins] = await Promise.all([loadPersonas(), loadPersonas({ dirs: [] })]);
    const builtin = new Set(builtins.map((p) => p.name));
    let chosen = all;
    if (args.name !== undefined) {
      chosen = all.filter((p) => p.name === args.name);
      if (chosen.length === 0) {
        throw new RangeError(
          `name: no persona ${JSON.stringify(args.name)}; use one of ${all.map((p) => p.name).join(", ")}`,
        );
      }
    }
    const personas = chosen.map((p) => personaRow(p, builtin.has(p.name)));
    const users = all.length - builtins.length;
    return {
      structured: {
        personas,
        provenance: {
          engineVersion: ENGINE_VERSION,
          note: `${builtins.length} built-in personas (lib/agents/personas) and ${users} from the project's ` +
            "personas/ folder, as the lab and deno task agents read them; prompt templates left out (see " +
            "templateVersion)",
        },
      },
      text: `${personas.length} persona(s): ${
        personas.map((p) => `${p.name} (${p.kind}${p.model?.id ? `, ${p.model.id}` : ""}, ${p.source})`).join("; ")
      }.`,
    };
  },
});

function personaRow(p: Persona, builtin: boolean): z.output<typeof PersonaRowSchema> {
  return {
    name: p.name,
    source: builtin ? "built-in" : "user",
    kind: p.kind,
    title: p.title,
    role: p.role,
    style: p.style,
    riskAppetite: p.riskAppetite,
    factors: p.factors.map((f) => ({
      id: f.id,
      description: f.description,
      fact: f.fact ?? null,
      pivot: f.pivot ?? null,
      invert: f.invert ?? false,
      weight: f.weight ?? null,
    })),
    sees: { ...p.sees },
    model: p.kind === "llm"
      ? { id: p.model?.id ?? null, maxTokens: p.model?.maxTokens ?? null, temperature: p.model?.temperature ?? null }
      : null,
    threshold: p.kind === "rule" ? p.threshold ?? 0.2 : null,
    templateVersion: p.template.version,
  };
}
