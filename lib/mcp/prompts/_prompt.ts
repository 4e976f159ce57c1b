// The contract of one research prompt: string arguments (MCP prompt arguments are strings), and a build that reads the
// data dir read-only to fill in facts and returns the text plus the exact tool calls it names, so tests can run them.

import type { z } from "zod";

/** What a prompt's build gets besides its arguments. */
export interface PromptContext {
  /** The data dir, read through the tools' read-only store and runs registry. */
  dataDir: string;
  signal: AbortSignal;
}

/** One tool call a prompt asks for, with its arguments exactly as the tool takes them. */
export interface PlannedCall {
  tool: string;
  arguments: Record<string, unknown>;
}

/** A resource a prompt points at (sent as an MCP `resource_link`). */
export interface PromptLink {
  uri: string;
  name: string;
  mimeType: string;
  description?: string;
}

/** What a prompt's build returns. */
export interface PromptAnswer {
  /** One line: what this instance of the prompt is about. */
  description: string;
  /** The user message: the steps, each tool call with its arguments as JSON, and what to report. */
  text: string;
  /** Every call named in `text`, in order. */
  calls: PlannedCall[];
  /** Resources worth reading alongside. */
  links: PromptLink[];
}

/**
 * One research prompt. `args` builds the zod shape of its string arguments (given the data dir, for completion of
 * series and run ids); `build` throws a RangeError naming the argument and the fix when a value is unknown.
 */
export interface McpPrompt {
  name: string;
  title: string;
  description: string;
  args(ctx: PromptContext): z.ZodRawShape;
  build(args: Record<string, string | undefined>, ctx: PromptContext): Promise<PromptAnswer>;
}

/** `tool` with `{"arg": ...}` as one inline code span each, the form every step uses. */
export function callText(call: PlannedCall): string {
  return `\`${call.tool}\` with \`${JSON.stringify(call.arguments)}\``;
}

/**
 * Collects the calls of a prompt while its text is written: `c(tool, args)` records the call and returns its text.
 */
export function callRecorder(): { calls: PlannedCall[]; c: (tool: string, args: Record<string, unknown>) => string } {
  const calls: PlannedCall[] = [];
  return {
    calls,
    c: (tool, args) => {
      const call = { tool, arguments: args };
      calls.push(call);
      return callText(call);
    },
  };
}

/** A run id that the runs registry does not know, as a RangeError naming the argument and the fix. */
export function unknownRun(field: string, id: string): RangeError {
  return new RangeError(
    `${field}: no recorded run has the id ${JSON.stringify(id)}; list_runs or resources/list (sentinel://runs/...) ` +
      `shows the ids`,
  );
}

/** Epoch ms as an ISO UTC date (`2021-03-01`) when the time is midnight, else the full ISO time. */
export function isoDay(ms: number): string {
  const s = new Date(ms).toISOString();
  return s.endsWith("T00:00:00.000Z") ? s.slice(0, 10) : s;
}
