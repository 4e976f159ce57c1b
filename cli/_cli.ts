// Shared plumbing for the command-line entry points: argument parsing, one-line errors, exit codes.
import { parseArgs, type ParseArgsConfig } from "node:util";

/** A user-facing usage error: printed as one line, exit code 2. */
export class UsageError extends Error {
  override name = "UsageError";
}

/** Errors that are the user's to fix (bad flag, bad file, unknown series): one line, exit code 2. */
const USER_ERRORS = new Set([
  "UsageError",
  "RangeError",
  "TypeError",
  "DataError",
  "ConfigError",
  "ExchangeError",
  "TemporaryExchangeError",
  "StrategyError",
  "ZodError",
  "ParamError", // lib/strategies: a RangeError subclass with its own name
  "RunnerStateError", // lib/runner: another runner holds the account, or the log and the code disagree
  "LlmReplayMissError", // lib/agents: replay found no stored answer (record it first)
  "LlmConfigError", // lib/agents: no key, unknown model, bad option
  "AgentBudgetStop", // lib/agents: --llm-budget reached; the run stopped cleanly
  "LookAheadError", // lib/agents: a prompt would hold a fact from after the decision
]);

/**
 * Runs a CLI main function: a user error prints `error: <message>` on one line and exits 2; anything
 * else is a bug, printed with its stack, exit 1. Ctrl-C aborts the signal passed to `main` so long
 * work (downloads) can stop between pages and leave the store consistent.
 */
export async function runCli(main: (args: string[], signal: AbortSignal) => Promise<number | void>): Promise<never> {
  const abort = new AbortController();
  const onSigint = (): void => {
    if (abort.signal.aborted) Deno.exit(130);
    console.error("\ninterrupted: stopping after the current step (Ctrl-C again to quit now)");
    abort.abort(new DOMException("interrupted by Ctrl-C", "AbortError"));
  };
  Deno.addSignalListener("SIGINT", onSigint);
  let code = 0;
  try {
    code = (await main(Deno.args, abort.signal)) ?? 0;
  } catch (err) {
    const e = err as Error;
    const name = e?.name ?? "";
    if (name === "AbortError") {
      console.error(`error: ${e.message}; run the same command again to continue`);
      code = 130;
    } else if (USER_ERRORS.has(name) || (e as { code?: string })?.code?.startsWith("ERR_PARSE_ARGS")) {
      console.error(`error: ${oneLine(e.message)}`);
      code = 2;
    } else {
      console.error(e?.stack ?? String(e));
      code = 1;
    }
  } finally {
    Deno.removeSignalListener("SIGINT", onSigint);
  }
  Deno.exit(code);
}

function oneLine(s: string): string {
  return s.replace(/\s*\n\s*/g, "; ");
}

/** A command-line tool made of subcommands (`data import`, `audit verify`): each with its own `--help`. */
export interface SubcommandsOptions {
  /** Printed for `--help` and, with exit code 2, when no subcommand is given. */
  usage: string;
  /** The subcommands by name; each gets the arguments after its name. */
  commands: Record<string, (args: string[], signal: AbortSignal) => Promise<number | void>>;
  /** `--help` text per subcommand. */
  help: Record<string, string>;
}

/** Runs a subcommand tool through {@link runCli}: usage, unknown subcommands and `--help` handled one way. */
export function runSubcommands(options: SubcommandsOptions): Promise<never> {
  return runCli(async (args, signal) => {
    const [command, ...rest] = args;
    if (!command || command === "--help" || command === "-h" || command === "help") {
      console.log(options.usage);
      return command ? 0 : 2;
    }
    const run = options.commands[command];
    if (!run) {
      throw new UsageError(
        `unknown command ${JSON.stringify(command)}; commands are ${Object.keys(options.commands).join(", ")}`,
      );
    }
    if (rest.includes("--help") || rest.includes("-h")) {
      console.log(options.help[command]);
      return 0;
    }
    return await run(rest, signal);
  });
}

/** `parseArgs` with strict checking; unknown flags become a UsageError that names the flag and `--help`. */
export function parseFlags<T extends ParseArgsConfig["options"]>(
  args: string[],
  options: T,
  command: string,
): { values: Record<string, string | boolean | string[] | undefined>; positionals: string[] } {
  try {
    const { values, positionals } = parseArgs({ args, options, allowPositionals: true, strict: true });
    return { values: values as Record<string, string | boolean | string[] | undefined>, positionals };
  } catch (err) {
    throw new UsageError(`${(err as Error).message} (see \`${command} --help\`)`);
  }
}

/**
 * The flags of a command that takes no positional argument (`backtest`, `promote`, `parity`): prints `help` and
 * returns null for `--help`; a positional argument is a UsageError naming it.
 */
export function commandFlags<T extends ParseArgsConfig["options"]>(
  args: string[],
  options: T,
  command: string,
  help: string,
): Record<string, string | boolean | string[] | undefined> | null {
  const { values, positionals } = parseFlags(args, options, command);
  if (values.help) {
    console.log(help);
    return null;
  }
  if (positionals.length > 0) {
    throw new UsageError(
      `unexpected argument ${JSON.stringify(positionals[0])}: every input is a flag (see \`${command} --help\`)`,
    );
  }
  return values;
}

/** Parses a date flag: ISO date or date-time (UTC when no offset), or epoch milliseconds. */
export function parseDateFlag(name: string, value: string): number {
  if (/^\d{11,}$/.test(value)) return Number(value);
  const iso = /^\d{4}-\d{2}-\d{2}$/.test(value) ? `${value}T00:00:00Z` : value;
  const withZone = /[zZ]|[+-]\d{2}:?\d{2}$/.test(iso) ? iso : `${iso}Z`;
  const t = Date.parse(withZone);
  if (!Number.isFinite(t)) {
    throw new UsageError(
      `--${name} ${JSON.stringify(value)} is not a date: use 2024-01-01, 2024-01-01T12:00 or epoch ms`,
    );
  }
  return t;
}

/** Parses a number flag, naming the flag and value when it is not a finite number. */
export function parseNumberFlag(name: string, value: string, check?: (x: number) => boolean, hint = ""): number {
  const x = Number(value);
  if (value.trim() === "" || !Number.isFinite(x) || (check && !check(x))) {
    throw new UsageError(`--${name} ${JSON.stringify(value)} is not valid${hint ? `: ${hint}` : ""}`);
  }
  return x;
}

/** Writes a JSON document to stdout (machine output); human output goes elsewhere. */
export function printJson(value: unknown): void {
  console.log(JSON.stringify(value, null, 2));
}

/** A plain text table for terminals. */
export function textTable(header: string[], rows: (string | number)[][]): string {
  const cells = [header, ...rows.map((r) => r.map(String))];
  const widths = header.map((_, c) => Math.max(...cells.map((r) => (r[c] ?? "").length)));
  // Numbers align right (so digits line up), text left.
  const numeric = header.map((_, c) => rows.length > 0 && rows.every((r) => typeof r[c] === "number"));
  return cells.map((r, i) => {
    const line = r.map((v, c) => (numeric[c] ? v.padStart(widths[c]!) : v.padEnd(widths[c]!))).join("  ").trimEnd();
    return i === 0 ? `${line}\n${widths.map((w) => "-".repeat(w)).join("  ")}` : line;
  }).join("\n");
}

/** ISO text of an epoch-ms time, or "-" when missing. */
export function isoTime(ts: number | null | undefined): string {
  return ts === undefined || ts === null || !Number.isFinite(ts)
    ? "-"
    : new Date(ts).toISOString().replace(".000Z", "Z");
}

/**
 * Imports the module at `specifier` (resolved against `base`, a module's `import.meta.url`) when called. Deno loads
 * every module a literal `import("./x.ts")` names with the program's module graph, before any code runs; a computed
 * specifier is loaded only when this runs. Type it with `typeof import("./x.ts")`, which loads nothing.
 */
export function importOnUse<T>(specifier: string, base: string): Promise<T> {
  return import(new URL(specifier, base).href);
}
