// The contract of one read-only resource template and what the four templates share: the URI of a value, errors
// that name the URI and the fix, and CSV cells.

import { ErrorCode, McpError } from "../_sdk.ts";

/** The JSON-RPC code MCP gives "resource not found" (the SDK's ErrorCode enum has no member for it). */
export const RESOURCE_NOT_FOUND = -32002;

/** What a resource read or list gets. */
export interface ResourceContext {
  /** The data dir, read through the tools' read-only store and runs registry. */
  dataDir: string;
  /** Fires when the client cancels. */
  signal: AbortSignal;
}

/** One entry of `resources/list`. */
export interface ListedResource {
  uri: string;
  name: string;
  title?: string;
  description?: string;
  mimeType: string;
}

/**
 * One read-only resource template with one variable (`sentinel://runs/{id}`). The variable is percent-encoded in the
 * URI as RFC 6570 simple expansion does (`encodeURIComponent`), so `binance:BTC/USDT:1h` becomes
 * `binance%3ABTC%2FUSDT%3A1h`; `read` gets it decoded.
 */
export interface McpResource {
  /** The template's name in `resources/templates/list`. */
  name: string;
  title: string;
  description: string;
  uriTemplate: string;
  /** The template's one variable. */
  variable: string;
  mimeType: string;
  /** The URI of one value. */
  uri(value: string): string;
  /** Every resource of this template (capped where the template says so). */
  list(ctx: ResourceContext): Promise<ListedResource[]>;
  /** The text of one resource; throws a {@link McpError} naming the URI and the fix when the value is unknown. */
  read(value: string, uri: string, ctx: ResourceContext): Promise<string>;
  /** Values starting with `prefix`, for `completion/complete`. */
  complete?(prefix: string, ctx: ResourceContext): Promise<string[]>;
}

/** A resource definition without `uri` (derived from the template). */
export type ResourceDefinition = Omit<McpResource, "uri">;

/** Fills in `uri` from the template and checks the template holds exactly `{variable}`. */
export function defineResource(def: ResourceDefinition): McpResource {
  const slot = `{${def.variable}}`;
  if (def.uriTemplate.split(slot).length !== 2) {
    throw new Error(`Resource ${def.name}: template ${def.uriTemplate} must hold ${slot} exactly once`);
  }
  return { ...def, uri: (value) => def.uriTemplate.replace(slot, encodeURIComponent(value)) };
}

/** A "resource not found" MCP error: the URI, why, and how to find one that exists. */
export function notFound(uri: string, why: string, fix: string): McpError {
  return new McpError(RESOURCE_NOT_FOUND, `Resource ${uri} not found: ${why}; ${fix}`);
}

/** An "invalid params" MCP error naming the URI. */
export function badUri(uri: string, why: string): McpError {
  return new McpError(ErrorCode.InvalidParams, `Resource ${uri}: ${why}`);
}

/** A number as a CSV cell: empty for NaN or ±Infinity. */
export function numCell(x: number): string {
  return Number.isFinite(x) ? String(x) : "";
}

/** A text as a CSV cell, quoted when it holds a comma, a quote or a line break (RFC 4180). */
export function textCell(s: string): string {
  return /[",\r\n]/.test(s) ? `"${s.replaceAll('"', '""')}"` : s;
}

/** The CSV note line said before the header when rows were capped; readers skip it with `comment="#"`. */
export function capLine(text: string): string {
  return `# capped: ${text}\n`;
}
