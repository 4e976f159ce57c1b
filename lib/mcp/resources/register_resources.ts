import { ErrorCode, McpError, type McpServer, ResourceTemplate } from "../_sdk.ts";
import { redactor } from "../_redact.ts";
import type { McpResource, ResourceContext } from "./_resource.ts";
import { datasetCandlesResource } from "./dataset_candles_resource.ts";
import { datasetResource } from "./dataset_resource.ts";
import { runResource } from "./run_resource.ts";
import { runTradesResource } from "./run_trades_resource.ts";

/** Every resource template the server registers, in the order `resources/templates/list` shows them. */
export const ALL_RESOURCES: readonly McpResource[] = [
  datasetResource,
  datasetCandlesResource,
  runResource,
  runTradesResource,
];

/** Options of {@link registerResources}. */
export interface RegisterResourcesOptions {
  /** The data dir the resources read (store, runs registry), resolved. */
  dataDir: string;
  /** The templates to register. Default: {@link ALL_RESOURCES}. */
  resources?: readonly McpResource[];
}

/**
 * Registers each resource template on `server` with a `list` callback (so `resources/list` shows every stored series
 * and the newest runs), completion of its variable, and a read that percent-decodes the variable. Errors are MCP
 * errors naming the URI and the fix; a failure nobody planned for says the URI and the message, never a stack.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { McpServer } from "../_sdk.ts";
 * import { registerResources } from "./register_resources.ts";
 * const server = new McpServer({ name: "t", version: "1" });
 * registerResources(server, { dataDir: "/nowhere" });
 * assert.throws(() => registerResources(server, { dataDir: "/nowhere" }), /already registered/);
 * ```
 */
export function registerResources(server: McpServer, options: RegisterResourcesOptions): void {
  const resources = options.resources ?? ALL_RESOURCES;
  const redact = redactor(options.dataDir);
  for (const r of resources) {
    const ctxOf = (signal: AbortSignal): ResourceContext => ({ dataDir: options.dataDir, signal });
    const template = new ResourceTemplate(r.uriTemplate, {
      list: async (extra) => ({ resources: await r.list(ctxOf(extra.signal)) }),
      ...(r.complete
        ? {
          complete: {
            [r.variable]: (value: string) => r.complete!(value, ctxOf(new AbortController().signal)).catch(() => []),
          },
        }
        : {}),
    });
    server.registerResource(
      r.name,
      template,
      { title: r.title, description: r.description, mimeType: r.mimeType },
      async (uri, variables, extra) => {
        const href = uri.toString();
        const raw = variables[r.variable];
        if (typeof raw !== "string") {
          throw new McpError(
            ErrorCode.InvalidParams,
            `Resource ${href}: one ${r.variable} expected, as in ${r.uriTemplate}`,
          );
        }
        let value: string;
        try {
          value = decodeURIComponent(raw);
        } catch {
          throw new McpError(
            ErrorCode.InvalidParams,
            `Resource ${href}: ${JSON.stringify(raw)} is not valid percent-encoding; encode the ${r.variable} with ` +
              `encodeURIComponent, as in ${r.uri(r.variable === "series" ? "binance:BTC/USDT:1h" : "<id>")}`,
          );
        }
        try {
          const text = await r.read(value, href, ctxOf(extra.signal));
          return { contents: [{ uri: href, mimeType: r.mimeType, text: redact.text(text) }] };
        } catch (e) {
          if (e instanceof McpError) {
            const m = redact.text(e.message);
            if (m === e.message) throw e;
            // McpError prefixes its code to the message it is given: give it the message without the first prefix.
            throw new McpError(e.code, m.replace(/^MCP error -?\d+: /, ""), e.data);
          }
          // The message only: a stack names our files, not the client's mistake.
          throw new McpError(ErrorCode.InternalError, `Resource ${href} could not be read: ${redact.message(e)}`);
        }
      },
    );
  }
}
