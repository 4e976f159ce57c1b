import { ErrorCode, type GetPromptResult, McpError, type McpServer, type PromptMessage } from "../_sdk.ts";
import { redactor } from "../_redact.ts";
import type { McpPrompt, PromptAnswer, PromptContext } from "./_prompt.ts";
import { compareRunsPrompt } from "./compare_runs.ts";
import { explainDrawdownPrompt } from "./explain_drawdown.ts";
import { reviewStrategyPrompt } from "./review_strategy.ts";

/** Every prompt the server registers, in the order `prompts/list` shows them. */
export const ALL_PROMPTS: readonly McpPrompt[] = [reviewStrategyPrompt, compareRunsPrompt, explainDrawdownPrompt];

/** Options of {@link registerPrompts}. */
export interface RegisterPromptsOptions {
  /** The data dir the prompts read (store, runs registry), resolved. */
  dataDir: string;
  /** The prompts to register. Default: {@link ALL_PROMPTS}. */
  prompts?: readonly McpPrompt[];
}

/** A prompt's answer as MCP messages: the instructions, then a link to each resource worth reading. */
export function promptMessages(answer: PromptAnswer): GetPromptResult {
  const messages: PromptMessage[] = [
    { role: "user", content: { type: "text", text: answer.text } },
    ...answer.links.map((l): PromptMessage => ({ role: "user", content: { type: "resource_link", ...l } })),
  ];
  return { description: answer.description, messages };
}

/**
 * Registers each prompt on `server` with its zod arguments (the SDK rejects missing or malformed ones). A value the
 * data dir does not hold (an unknown series, strategy or run) comes back as an MCP "invalid params" error naming the
 * argument and the fix, never a stack.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { McpServer } from "../_sdk.ts";
 * import { ALL_PROMPTS, registerPrompts } from "./register_prompts.ts";
 * const server = new McpServer({ name: "t", version: "1" });
 * registerPrompts(server, { dataDir: "/nowhere" });
 * assert.deepEqual(ALL_PROMPTS.map((p) => p.name), ["review_strategy", "compare_runs", "explain_drawdown"]);
 * ```
 */
export function registerPrompts(server: McpServer, options: RegisterPromptsOptions): void {
  const redact = redactor(options.dataDir);
  for (const prompt of options.prompts ?? ALL_PROMPTS) {
    const argsSchema = prompt.args({ dataDir: options.dataDir, signal: new AbortController().signal });
    server.registerPrompt(
      prompt.name,
      { title: prompt.title, description: prompt.description, argsSchema },
      (async (args: Record<string, string | undefined>, extra: { signal: AbortSignal }) => {
        const ctx: PromptContext = { dataDir: options.dataDir, signal: extra.signal };
        try {
          return redact.json(promptMessages(await prompt.build(args, ctx)));
        } catch (e) {
          const message = redact.message(e);
          if (e instanceof RangeError) {
            throw new McpError(ErrorCode.InvalidParams, `Prompt ${prompt.name}: ${message}`);
          }
          // The message only: a stack names our files, not the client's mistake.
          throw new McpError(ErrorCode.InternalError, `Prompt ${prompt.name} failed: ${message}`);
        }
      }) as never,
    );
  }
}
