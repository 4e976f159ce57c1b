// `deno task audit <command>`: verify, show and export an account's audit log (read-only: never blocks a runner).
import {
  AUDIT_KINDS,
  type AuditEvent,
  type AuditKind,
  AuditLog,
  exportAuditParquet,
  listAccounts,
} from "../lib/audit/mod.ts";
import { isoTime, parseDateFlag, parseFlags, printJson, runSubcommands, textTable, UsageError } from "./_cli.ts";

const USAGE = `Usage: deno task audit <command> --account NAME [options]

The tamper-evident audit log of a paper or live account (<data dir>/_accounts/NAME/audit.sqlite).

Commands:
  verify   check the hash chain and the head anchor; exit 0 when intact, 1 when not (naming the first bad seq)
  show     list events as a table (or --json), filtered by kind and time
  tail     follow new events live (one line each, JSON lines with --json) until Ctrl-C
  export   write the events to a Parquet file for DuckDB

Every command takes --account NAME, --data-dir DIR (default: $SENTINEL_DATA_DIR or data/store) and --help.
The log is opened read-only, so a running runner is never blocked.`;

const HELP: Record<string, string> = {
  verify: `Usage: deno task audit verify --account NAME [--hmac-key-file FILE] [--json]

Recomputes every event's hash, checks seqs are 1, 2, 3, ... with no gap and that each event links to the previous
one, and that the chain reaches the head anchor (audit.head). Exit 0: intact. Exit 1: not intact; the first bad seq
and the reason are printed. Detects edited, inserted, deleted and reordered events and a truncated tail. It cannot
detect a chain rewritten together with its anchor: keep a copy of the head elsewhere (the --json output has it).
With --hmac-key-file (the key the runner signs the anchor with, kept outside the data dir) a rewritten anchor is
refused too.`,
  show: `Usage: deno task audit show --account NAME [options]

Options:
  --kind K            only events of kind K (repeat for several): ${AUDIT_KINDS.join(", ")}
  --from DATE         events at or after DATE (2024-01-01, 2024-01-01T12:00 UTC, or epoch ms)
  --to DATE           events before DATE (exclusive)
  --after-seq N       events after seq N (paging)
  --correlation-id C  the events of one decision
  --symbol SYM        events whose payload has this symbol
  --limit N           at most N events (default 100)
  --json              print the events as a JSON array`,
  tail: `Usage: deno task audit tail --account NAME [--after-seq N] [--kind K] [--json]

Prints the events after seq N (default: from the current head, so only new ones), then each new event as it is
committed, until Ctrl-C. One line per event: seq, time, run, kind, correlation id, payload; with --json one JSON
object per line. Restart it with --after-seq LAST to resume where it stopped: nothing is missed or repeated.`,
  export: `Usage: deno task audit export --account NAME --out FILE.parquet [--json]

Writes every event to Parquet (atomically): seq, ts, account, run_id, kind, correlation_id, payload (JSON text),
prev_hash, hash. Query it with DuckDB: SELECT kind, count(*) FROM 'FILE.parquet' GROUP BY kind.`,
};

const COMMON = {
  account: { type: "string" },
  "data-dir": { type: "string" },
  help: { type: "boolean", short: "h" },
  json: { type: "boolean" },
} as const;

type Flags = Record<string, string | boolean | string[] | undefined>;
type Command = (args: string[], signal: AbortSignal) => Promise<number>;

/** The key file's text without its trailing newline; never printed. */
function readKeyFile(path: string | undefined): string | undefined {
  if (path === undefined) return undefined;
  try {
    return Deno.readTextFileSync(path).trim();
  } catch (e) {
    throw new UsageError(
      `--hmac-key-file ${JSON.stringify(path)} cannot be read (${(e as Error).name}): check the path`,
    );
  }
}

function openLog(values: Flags, command: string, hmacKey?: string): AuditLog {
  const account = values.account as string | undefined;
  const dataDir = values["data-dir"] as string | undefined;
  if (!account) {
    const known = listAccounts(dataDir);
    throw new UsageError(
      `${command} needs --account NAME (${
        known.length ? `known accounts: ${known.join(", ")}` : "there are no accounts yet"
      })`,
    );
  }
  try {
    return AuditLog.open({ dataDir, account, readOnly: true, hmacKey });
  } catch (e) {
    if (e instanceof RangeError || e instanceof TypeError) throw new UsageError(`--account: ${e.message}`);
    throw e;
  }
}

const COMMANDS: Record<string, Command> = {
  verify(args) {
    const { values } = parseFlags(args, { ...COMMON, "hmac-key-file": { type: "string" } }, "deno task audit verify");
    using log = openLog(values, "verify", readKeyFile(values["hmac-key-file"] as string | undefined));
    const r = log.verify();
    for (const w of r.warnings) console.error(`warning: ${w}`);
    if (values.json) printJson({ account: log.account, ...r });
    else if (r.ok) {
      console.log(`${log.account}: intact, ${r.events} events, head seq ${r.head.seq} ${r.head.hash}`);
    } else {
      console.log(`${log.account}: NOT intact: first bad seq ${r.firstBadSeq}: ${r.reason}`);
    }
    return Promise.resolve(r.ok ? 0 : 1);
  },

  show(args) {
    const { values } = parseFlags(args, {
      ...COMMON,
      kind: { type: "string", multiple: true },
      from: { type: "string" },
      to: { type: "string" },
      "after-seq": { type: "string" },
      "correlation-id": { type: "string" },
      symbol: { type: "string" },
      limit: { type: "string" },
    }, "deno task audit show");
    const kinds = kindFlags(values);
    const from = values.from === undefined ? undefined : parseDateFlag("from", values.from as string);
    const to = values.to === undefined ? undefined : parseDateFlag("to", values.to as string);
    const limit = values.limit === undefined ? 100 : intFlag("limit", values.limit as string, 1, 1_000_000);
    const afterSeq = values["after-seq"] === undefined
      ? 0
      : intFlag("after-seq", values["after-seq"] as string, 0, Number.MAX_SAFE_INTEGER);
    using log = openLog(values, "show");
    const events = log.query({
      kinds,
      from,
      to,
      afterSeq,
      limit,
      correlationId: values["correlation-id"] as string | undefined,
      symbol: values.symbol as string | undefined,
    });
    if (values.json) printJson(events);
    else if (events.length === 0) console.log(`${log.account}: no events match`);
    else {
      console.log(textTable(
        ["seq", "time", "run", "kind", "correlation", "payload"],
        events.map((e) => [e.seq, isoTime(e.ts), e.runId, e.kind, e.correlationId ?? "-", summary(e)]),
      ));
      if (events.length === limit) console.log(`(first ${limit}; next page: --after-seq ${events.at(-1)!.seq})`);
    }
    return Promise.resolve(0);
  },

  async tail(args, signal) {
    const { values } = parseFlags(args, {
      ...COMMON,
      kind: { type: "string", multiple: true },
      "after-seq": { type: "string" },
      "poll-ms": { type: "string" },
    }, "deno task audit tail");
    const kinds = kindFlags(values);
    const pollMs = values["poll-ms"] === undefined ? 100 : intFlag("poll-ms", values["poll-ms"] as string, 10, 60_000);
    using log = openLog(values, "tail");
    const afterSeq = values["after-seq"] === undefined
      ? log.head().seq
      : intFlag("after-seq", values["after-seq"] as string, 0, Number.MAX_SAFE_INTEGER);
    const enc = new TextEncoder();
    for await (const e of log.tail({ afterSeq, signal, pollMs })) {
      if (kinds.length && !kinds.includes(e.kind)) continue;
      const line = values.json
        ? JSON.stringify(e)
        : [e.seq, isoTime(e.ts), e.runId, e.kind, e.correlationId ?? "-", summary(e)].join("  ");
      // Written at once, so a consumer piping the output sees each event as it is committed.
      await Deno.stdout.write(enc.encode(line + "\n"));
    }
    return 0;
  },

  async export(args) {
    const { values } = parseFlags(args, { ...COMMON, out: { type: "string" } }, "deno task audit export");
    const out = values.out as string | undefined;
    if (!out) throw new UsageError("export needs --out FILE.parquet (see `deno task audit export --help`)");
    using log = openLog(values, "export");
    const rows = await exportAuditParquet(log, out);
    if (values.json) printJson({ account: log.account, out, rows });
    else console.log(`${log.account}: wrote ${rows} event${rows === 1 ? "" : "s"} to ${out}`);
    return 0;
  },
};

/** The payload on one line, cut to 100 characters. */
function summary(e: AuditEvent): string {
  const s = JSON.stringify(e.payload);
  return s.length > 100 ? `${s.slice(0, 99)}…` : s;
}

function kindFlags(values: Flags): AuditKind[] {
  return ((values.kind as string[] | undefined) ?? []).map((k) => {
    if (!AUDIT_KINDS.includes(k as AuditKind)) {
      throw new UsageError(`--kind ${JSON.stringify(k)} is not an event kind: use one of ${AUDIT_KINDS.join(", ")}`);
    }
    return k as AuditKind;
  });
}

function intFlag(name: string, v: string, min: number, max: number): number {
  const x = Number(v);
  if (!/^\d+$/.test(v) || !Number.isSafeInteger(x) || x < min || x > max) {
    throw new UsageError(`--${name} ${JSON.stringify(v)} is not valid: use a whole number from ${min} to ${max}`);
  }
  return x;
}

if (import.meta.main) {
  await runSubcommands({ usage: USAGE, commands: COMMANDS, help: HELP });
}
