import { z } from "zod";

/** What a tool gets besides its arguments. */
export interface ToolContext {
  /** The data dir (store, runs registry, accounts), opened read-only by the tools. */
  dataDir: string;
  /** Sends an MCP progress notification if the client asked for progress (a no-op otherwise). */
  progress(done: number, total?: number, message?: string): Promise<void>;
  /** Fires when the client cancels the call. */
  signal: AbortSignal;
}

/** A tool's answer: structured content matching its output schema, a short text for the model, optional images. */
export interface ToolResult<O> {
  structured: O;
  /** One paragraph a model reads first (what was computed, on what, what was capped). */
  text: string;
  /** PNG images (base64), e.g. from `plot`. */
  images?: { data: string; mimeType: "image/png" }[];
  /** Resources embedded in the answer (e.g. the SVG behind a `plot` PNG), each with a `sentinel://` URI. */
  resources?: { uri: string; mimeType: string; text: string }[];
}

/**
 * One read-only MCP tool: zod input and output schemas (`z.strictObject`), a description a model can act on, and a
 * `run` that never writes. The server registers each with `readOnlyHint: true`; a thrown error becomes an MCP tool
 * error (`isError: true`) with the message only (never a stack), so messages name the field and the fix.
 */
export interface McpTool<I extends z.ZodObject = z.ZodObject, O extends z.ZodObject = z.ZodObject> {
  name: string;
  title: string;
  description: string;
  input: I;
  output: O;
  run(args: z.output<I>, ctx: ToolContext): Promise<ToolResult<z.output<O>>>;
}

/** Identity with inference: `defineTool({ name, ..., input: z.strictObject({...}), output, run })`. */
export function defineTool<I extends z.ZodObject, O extends z.ZodObject>(tool: McpTool<I, O>): McpTool<I, O> {
  return tool;
}

/**
 * A tool's input schema: a `z.strictObject` whose unknown-argument error lists the arguments the tool takes (zod's own
 * says only `Unrecognized key: "x"`, which names the mistake but not the fix).
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { z } from "zod";
 * import { toolInput } from "./mcp_tool.ts";
 * const input = toolInput({ limit: z.number().optional() });
 * assert.equal(input.safeParse({ limt: 5 }).error?.issues[0]?.message, 'unknown argument "limt"; this tool takes limit');
 * ```
 */
export function toolInput<S extends z.core.$ZodLooseShape>(shape: S): z.ZodObject<S, z.core.$strict> {
  const takes = Object.keys(shape).join(", ") || "no arguments (pass {})";
  return z.strictObject(shape, {
    error: (iss) =>
      iss.code === "unrecognized_keys"
        ? `unknown argument${iss.keys.length > 1 ? "s" : ""} ${
          iss.keys.map((k) => JSON.stringify(k)).join(", ")
        }; this tool takes ${takes}`
        : undefined,
  });
}

/**
 * Where every number of an answer came from. Each tool fills what applies: the series and its range and quality,
 * the simulation conventions, the engine version, the run and manifest hash, and what was capped.
 */
export const ProvenanceSchema = z.strictObject({
  series: z.string().optional().describe("exchange:SYMBOL:timeframe"),
  from: z.string().optional().describe("first bar, ISO UTC"),
  to: z.string().optional().describe("last bar, ISO UTC"),
  bars: z.number().int().optional(),
  quality: z.string().optional().describe("one line: gaps, duplicates, bad bars"),
  fill: z.string().optional().describe("fill timing: next_open or close"),
  costs: z.string().optional().describe("fees, spread, slippage"),
  annualization: z.string().optional().describe("periods per year and where it came from"),
  engineVersion: z.string().optional(),
  runId: z.string().optional(),
  manifestHash: z.string().optional(),
  capped: z.string().optional().describe("what was capped or paged, and how to get the rest"),
  note: z.string().optional(),
});
export type Provenance = z.output<typeof ProvenanceSchema>;
