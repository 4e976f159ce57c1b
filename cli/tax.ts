// `deno task tax <command>`: capital-gains reports and open tax lots from accounts' fills and exchange exports.
import { join } from "node:path";
import { listAccounts } from "../lib/audit/mod.ts";
import { resolveDataDir, writeFileAtomic } from "../lib/fs/mod.ts";
import {
  applyLotPicks,
  buildTaxReport,
  type ColumnMapping,
  DEFAULT_PAR,
  type LedgerEvent,
  LocalCalendar,
  LOT_METHODS,
  type LotMethod,
  type OpenLot,
  openLotsAt,
  type OversellPolicy,
  parseColumnMapping,
  readAccountLedger,
  readCcxtTrades,
  readTradesCsv,
  storePriceSource,
  type TaxReport,
  taxReportCsv,
} from "../lib/tax/mod.ts";
import { METHOD_LABEL } from "../lib/tax/_report_text.ts";
import { parseFlags, printJson, runSubcommands, UsageError } from "./_cli.ts";

const DEFAULT_TZ = "America/New_York";

const USAGE = `Usage: deno task tax <command> [options]

Capital-gains reports (Form 8949 rows, Schedule D totals, income, open lots, the lot-matching trail) from the fills
of paper and live accounts and from exchange exports. US rules: long-term when held more than one year, counted by
calendar date in --tz.

Commands:
  report   the report of one tax year: a summary, --json, or the CSV files and report.json with --out DIR
  lots     the lots held at the end of a local date, with their basis

Inputs (combine any; each may be repeated): --account NAME (the account's audit log), --trades FILE (CSV),
--ccxt FILE (ccxt fetchMyTrades JSON). Every command takes --data-dir DIR (default: $SENTINEL_DATA_DIR or
data/store) and --help.`;

const INPUT_HELP = `Inputs (at least one; each flag may be repeated and all are combined into one ledger):
  --account NAME     the fills in a paper or live account's audit log (read-only)
  --trades FILE      a CSV export: columns time, side (buy|sell), qty, asset, value (in the reporting currency),
                     optional fee; other kinds: income, transfer, fee (see README "Tax reports")
  --ccxt FILE        ccxt fetchMyTrades JSON (an array of trades)
  --map SPEC         column mapping of another export's CSV: "time=Date,side=Type,qty=Amount,asset=Coin,value=Total"
                     (plus side.<their text>=<side>, zone=UTC for times without a zone); one --map for every
                     --trades file, or one per file in the same order
  --lots FILE        specific identification: JSON mapping a sell's event id to the lot ids it uses
  --par CODES        quote currencies taken at par as the reporting currency (default ${DEFAULT_PAR.join(",")});
                     a trade quoted in anything else is crypto-to-crypto, valued from the store's price data
  --data-dir DIR     where accounts and the price store live`;

const HELP: Record<string, string> = {
  report: `Usage: deno task tax report (--account NAME | --trades FILE | --ccxt FILE)... --year 2025 --method fifo
       [--tz America/New_York] [--oversell error|zero-basis] [--json] [--out DIR]

Matches every lot of the whole history (lots bought in earlier years carry over) and reports the disposals, income
and open lots of --year. Prints a summary (Schedule D short/long/total, income, open lots, warnings); --json prints
the whole report as JSON instead; --out DIR writes form8949.csv, schedule_d.csv, income.csv, open_lots.csv,
trail.csv and report.json there (each atomically).

Options:
  --year YYYY        the tax year (a calendar year in --tz)
  --method M         lot method: ${LOT_METHODS.join(", ")} (specific needs --lots or lots in the input)
  --tz ZONE          IANA time zone the holding period and the year are counted in (default ${DEFAULT_TZ})
  --oversell P       error (default): a sell of more than is held stops the report; zero-basis: the missing part
                     gets a zero basis and is flagged in the report
  --json             print the report as JSON
  --out DIR          write the CSV files and report.json to DIR (created if missing)

${INPUT_HELP}`,
  lots: `Usage: deno task tax lots (--account NAME | --trades FILE | --ccxt FILE)... --at 2025-06-30 [--method fifo]
       [--tz America/New_York] [--oversell error|zero-basis] [--json]

The lots held at the end of the local date --at (in --tz), after matching every disposal up to then with
--method: lot id, asset, date acquired, quantity, cost basis, cost per unit, where it came from.

Options:
  --at YYYY-MM-DD    the date (its end, local time)
  --method M         lot method: ${LOT_METHODS.join(", ")} (default fifo)
  --tz ZONE          IANA time zone (default ${DEFAULT_TZ})
  --oversell P       error (default) or zero-basis
  --json             print { at, method, timeZone, lots } as JSON

${INPUT_HELP}`,
};

const INPUT_FLAGS = {
  account: { type: "string", multiple: true },
  trades: { type: "string", multiple: true },
  ccxt: { type: "string", multiple: true },
  map: { type: "string", multiple: true },
  lots: { type: "string" },
  par: { type: "string" },
  "data-dir": { type: "string" },
  tz: { type: "string" },
  method: { type: "string" },
  oversell: { type: "string" },
  json: { type: "boolean" },
  help: { type: "boolean", short: "h" },
} as const;

type Flags = Record<string, string | boolean | string[] | undefined>;

/** The report files, in the order the summary lists them. */
const CSV_FILES = ["form8949.csv", "schedule_d.csv", "income.csv", "open_lots.csv", "trail.csv"] as const;

const COMMANDS: Record<string, (args: string[]) => Promise<number>> = {
  async report(args) {
    const values = flags(args, { ...INPUT_FLAGS, year: { type: "string" }, out: { type: "string" } }, "report");
    const year = yearFlag(values.year as string | undefined);
    const method = methodFlag(values.method as string | undefined, "report");
    const timeZone = tzFlag(values.tz as string | undefined);
    const oversell = oversellFlag(values.oversell as string | undefined);
    const out = values.out as string | undefined;
    if (out !== undefined && out.trim() === "") {
      throw new UsageError("--out needs a folder path, e.g. --out reports/2025");
    }
    const events = await readLedger(values);
    const report = tax(() => buildTaxReport(events, { year, method, timeZone, oversell }));
    // One JSON text for report.json and --json: a million-fill report's is tens of megabytes.
    const json = out !== undefined || values.json ? JSON.stringify(report, null, 2) : "";
    const written = out === undefined ? [] : await writeReport(report, json, out);
    if (values.json) console.log(json);
    else console.log(summaryText(report, out, written));
    return 0;
  },

  async lots(args) {
    const values = flags(args, { ...INPUT_FLAGS, at: { type: "string" } }, "lots");
    const timeZone = tzFlag(values.tz as string | undefined);
    const date = values.at as string | undefined;
    if (date === undefined) throw new UsageError("lots needs --at YYYY-MM-DD (the lots held at the end of that date)");
    const at = endOfLocalDate("at", date, new LocalCalendar(timeZone));
    const method = values.method === undefined ? "fifo" : methodFlag(values.method as string, "lots");
    const oversell = oversellFlag(values.oversell as string | undefined);
    const events = await readLedger(values);
    const lots = tax(() => openLotsAt(events, { at, method, timeZone, oversell }));
    if (values.json) printJson({ at: date, atMs: at, method, timeZone, lots });
    else console.log(lotsText(lots, date, method, timeZone));
    return 0;
  },
};

function flags(args: string[], options: Parameters<typeof parseFlags>[1], command: string): Flags {
  const { values, positionals } = parseFlags(args, options, `deno task tax ${command}`);
  if (positionals.length > 0) {
    throw new UsageError(
      `unexpected argument ${
        JSON.stringify(positionals[0])
      }: every input is a flag (see \`deno task tax ${command} --help\`)`,
    );
  }
  return values;
}

function yearFlag(v: string | undefined): number {
  if (v === undefined) throw new UsageError("report needs --year YYYY (the tax year, e.g. --year 2025)");
  const y = Number(v);
  if (!/^\d{4}$/.test(v) || y < 1970) {
    throw new UsageError(`--year ${JSON.stringify(v)} is not a tax year: use four digits from 1970, e.g. --year 2025`);
  }
  return y;
}

function methodFlag(v: string | undefined, command: string): LotMethod {
  if (v === undefined) throw new UsageError(`${command} needs --method M: one of ${LOT_METHODS.join(", ")}`);
  const m = v.toLowerCase();
  if (!(LOT_METHODS as readonly string[]).includes(m)) {
    throw new UsageError(`--method ${JSON.stringify(v)} is not a lot method: use one of ${LOT_METHODS.join(", ")}`);
  }
  return m as LotMethod;
}

function tzFlag(v: string | undefined): string {
  const tz = v ?? DEFAULT_TZ;
  try {
    return new LocalCalendar(tz).timeZone;
  } catch {
    throw new UsageError(
      `--tz ${JSON.stringify(tz)} is not a time zone: use an IANA name such as America/New_York, Europe/Berlin or UTC`,
    );
  }
}

function oversellFlag(v: string | undefined): OversellPolicy {
  if (v === undefined) return "error";
  if (v !== "error" && v !== "zero-basis") {
    throw new UsageError(`--oversell ${JSON.stringify(v)} is not a policy: use error (the default) or zero-basis`);
  }
  return v;
}

/**
 * The last millisecond of a local calendar date. Local midnight is found from the zone's offset rather than assumed
 * at 00:00 UTC; every zone's offset is a whole number of quarter hours, so the day ends on a quarter hour of UTC and
 * a few quarter-hour steps settle a zone whose midnight is skipped or repeated by a DST change.
 */
function endOfLocalDate(flag: string, date: string, cal: LocalCalendar): number {
  let day: number;
  try {
    day = LocalCalendar.dayFromDate(date);
  } catch {
    throw new UsageError(`--${flag} ${JSON.stringify(date)} is not a date: write it as YYYY-MM-DD, e.g. 2025-06-30`);
  }
  const next = (day + 1) * 86_400_000;
  let t = next - cal.offsetMinutes(next) * 60_000;
  t = next - cal.offsetMinutes(t) * 60_000;
  const q = 900_000;
  while (cal.dayOf(t) <= day) t += q;
  while (cal.dayOf(t - q) > day) t -= q;
  return t - 1;
}

/** Every input read, in the order given (accounts, CSV files, ccxt files), with lot picks applied. */
async function readLedger(values: Flags): Promise<LedgerEvent[]> {
  const accounts = (values.account as string[] | undefined) ?? [];
  const trades = (values.trades as string[] | undefined) ?? [];
  const ccxt = (values.ccxt as string[] | undefined) ?? [];
  const dataDir = values["data-dir"] as string | undefined;
  if (accounts.length + trades.length + ccxt.length === 0) {
    const known = listAccounts(dataDir);
    throw new UsageError(
      `no input: pass --account NAME, --trades FILE or --ccxt FILE (${
        known.length ? `known accounts: ${known.join(", ")}` : "there are no accounts yet"
      })`,
    );
  }
  const maps = ((values.map as string[] | undefined) ?? []).map((m) => usage("--map", () => parseColumnMapping(m)));
  if (maps.length > 0 && trades.length === 0) {
    throw new UsageError("--map applies to --trades files; pass --trades FILE too");
  }
  if (maps.length > 1 && maps.length !== trades.length) {
    throw new UsageError(
      `${maps.length} --map for ${trades.length} --trades files: give one --map for all files, or one per file in the same order`,
    );
  }
  const par = values.par === undefined ? undefined : parFlag(values.par as string);
  // Opens the store (read-only) only when a reader first asks for a price: most ledgers never do.
  using prices = storePriceSource({ dataDir, par });
  const events: LedgerEvent[] = [];
  for (const account of accounts) {
    if (!listAccounts(dataDir).includes(account)) {
      const known = listAccounts(dataDir);
      throw new UsageError(
        `--account ${JSON.stringify(account)}: no such account in ${resolveDataDir(dataDir)} (${
          known.length ? `known accounts: ${known.join(", ")}` : "there are no accounts yet; check --data-dir"
        })`,
      );
    }
    append(events, await taxAsync(() => readAccountLedger({ dataDir, account, prices, par })));
  }
  for (const [i, file] of trades.entries()) {
    const text = readInput("--trades", file);
    const mapping: ColumnMapping | undefined = maps[maps.length === 1 ? 0 : i];
    append(events, await taxAsync(() => readTradesCsv(text, { file, mapping, prices, par })));
  }
  for (const file of ccxt) {
    const text = readInput("--ccxt", file);
    let json: unknown;
    try {
      json = JSON.parse(text);
    } catch (e) {
      throw new UsageError(
        `--ccxt ${JSON.stringify(file)} is not JSON (${(e as Error).message}): pass the array fetchMyTrades returned`,
      );
    }
    append(events, await taxAsync(() => readCcxtTrades(json, { file, prices, par })));
  }
  assertUniqueIds(events);
  if (values.lots === undefined) return events;
  const file = values.lots as string;
  let picks: unknown;
  try {
    picks = JSON.parse(readInput("--lots", file));
  } catch (e) {
    if (e instanceof UsageError) throw e;
    throw new UsageError(
      `--lots ${JSON.stringify(file)} is not JSON (${(e as Error).message}): write {"<sell id>": ["<lot id>", ...]}`,
    );
  }
  if (picks === null || typeof picks !== "object" || Array.isArray(picks)) {
    throw new UsageError(
      `--lots ${JSON.stringify(file)} must be a JSON object mapping a sell's id to an array of lot ids`,
    );
  }
  return tax(() => applyLotPicks(events, picks as Record<string, string[]>, file));
}

/** `out.push(...more)` without spreading: a spread of a 200,000-event file overflows the call stack. */
function append(out: LedgerEvent[], more: readonly LedgerEvent[]): void {
  for (const e of more) out.push(e);
}

function parFlag(v: string): string[] {
  const codes = v.split(",").map((s) => s.trim().toUpperCase()).filter((s) => s !== "");
  if (codes.length === 0 || codes.some((c) => !/^[A-Z0-9]{2,10}$/.test(c))) {
    throw new UsageError(`--par ${JSON.stringify(v)} is not a list of currency codes: write e.g. --par USD,USDT,USDC`);
  }
  return codes;
}

function readInput(flag: string, file: string): string {
  try {
    return Deno.readTextFileSync(file);
  } catch (e) {
    throw new UsageError(`${flag} ${JSON.stringify(file)} cannot be read (${(e as Error).name}): check the path`);
  }
}

/** Two inputs giving one id (the same file twice, two accounts' logs copied) would match one lot twice. */
function assertUniqueIds(events: readonly LedgerEvent[]): void {
  const seen = new Map<string, LedgerEvent>();
  for (const e of events) {
    const first = seen.get(e.id);
    if (first !== undefined) {
      throw new UsageError(
        `event id ${JSON.stringify(e.id)} comes twice (${sourceText(first)} and ${
          sourceText(e)
        }): pass each input once`,
      );
    }
    seen.set(e.id, e);
  }
}

function sourceText(e: LedgerEvent): string {
  const s = e.source;
  if (s.account !== undefined) return `${s.account}${s.seq === undefined ? "" : ` seq ${s.seq}`}`;
  return `${s.file ?? "?"}${s.line === undefined ? "" : `:${s.line}`}`;
}

// The library's input and matching errors are the user's to fix (a bad line, an oversell): one line, exit 2.
const TAX_ERRORS = new Set(["TaxInputError", "TaxMatchError"]);

function asUsage(e: unknown): unknown {
  return e instanceof Error && TAX_ERRORS.has(e.name) ? new UsageError(e.message) : e;
}

function tax<T>(fn: () => T): T {
  try {
    return fn();
  } catch (e) {
    throw asUsage(e);
  }
}

async function taxAsync<T>(fn: () => Promise<T>): Promise<T> {
  try {
    return await fn();
  } catch (e) {
    throw asUsage(e);
  }
}

function usage<T>(flag: string, fn: () => T): T {
  try {
    return fn();
  } catch (e) {
    throw new UsageError(`${flag}: ${(e as Error).message}`);
  }
}

/** Writes the CSV files and report.json into `dir`; returns the paths written. */
async function writeReport(report: TaxReport, json: string, dir: string): Promise<string[]> {
  try {
    await Deno.mkdir(dir, { recursive: true });
  } catch (e) {
    throw new UsageError(
      `--out ${JSON.stringify(dir)} cannot be created (${(e as Error).name}): pick a writable folder`,
    );
  }
  const files = taxReportCsv(report);
  const written: string[] = [];
  for (
    const name of [
      ...CSV_FILES,
      ...Object.keys(files).filter((f) => !(CSV_FILES as readonly string[]).includes(f)),
    ]
  ) {
    const text = files[name];
    if (text === undefined) continue;
    const path = join(dir, name);
    await writeFileAtomic(path, text);
    written.push(path);
  }
  const path = join(dir, "report.json");
  await writeFileAtomic(path, json + "\n");
  written.push(path);
  return written;
}

/** A table whose columns after the first are right-aligned (amounts line up on the decimal point). */
function amountTable(header: string[], rows: string[][]): string {
  const all = [header, ...rows];
  const widths = header.map((_, c) => Math.max(...all.map((r) => (r[c] ?? "").length)));
  const line = (r: string[]): string =>
    r.map((v, c) => (c === 0 ? v.padEnd(widths[c]!) : v.padStart(widths[c]!))).join("  ").trimEnd();
  return [line(header), widths.map((w) => "-".repeat(w)).join("  "), ...rows.map(line)].join("\n");
}

/** Thousands separators on a decimal text ("-1234567.50" -> "-1,234,567.50"), which stays exact. */
function money(s: string): string {
  const m = /^(-?)(\d+)(\.\d+)?$/.exec(s);
  if (m === null) return s;
  return `${m[1]}${m[2]!.replace(/\B(?=(\d{3})+(?!\d))/g, ",")}${m[3] ?? ""}`;
}

function summaryText(r: TaxReport, out: string | undefined, written: readonly string[]): string {
  const d = r.scheduleD;
  const lines: string[] = [];
  lines.push(`Tax report ${r.year} · ${METHOD_LABEL[r.method]} · ${r.timeZone} · ${r.currency}`);
  const span = r.inputs.from === null ? "no events" : `${r.inputs.from} to ${r.inputs.to}`;
  lines.push(`Inputs: ${r.inputs.events} events (${r.inputs.sources.join(", ") || "none"}), ${span}`);
  lines.push("");
  lines.push(amountTable(
    ["Schedule D", "Proceeds", "Cost basis", "Gain or loss", "Rows"],
    [
      ["Short-term (Part I)", d.short],
      ["Long-term (Part II)", d.long],
      ["Total", d.total],
    ].map(([label, t]) => {
      const x = t as TaxReport["scheduleD"]["total"];
      return [label as string, money(x.proceeds), money(x.costBasis), money(x.gain), String(x.rows)];
    }),
  ));
  lines.push("");
  const byType = Object.entries(r.income.byType).map(([k, v]) => `${k} ${money(v!)}`).join(", ");
  lines.push(
    `Income: ${money(r.income.total)} ${r.currency}${
      r.income.rows.length === 0
        ? " (none)"
        : ` from ${r.income.rows.length} receipt${plural(r.income.rows.length)} (${byType})`
    }`,
  );
  lines.push(`Open lots at the end of ${r.year}: ${r.openLots.length}${heldText(r.openLots)}`);
  if (r.warnings.length > 0) {
    lines.push(`Warnings (${r.warnings.length}):`);
    for (const w of r.warnings) lines.push(`  - ${w}`);
  } else lines.push("Warnings: none");
  lines.push(
    out === undefined
      ? "Files: none written (--out DIR writes the CSV files and report.json; --json prints the report)"
      : `Files in ${out}: ${written.map((p) => p.slice(p.lastIndexOf("/") + 1)).join(", ")}`,
  );
  return lines.join("\n");
}

function plural(n: number): string {
  return n === 1 ? "" : "s";
}

/** " (0.5 BTC, 2 ETH)": the quantity held of each asset, summed exactly. */
function heldText(lots: readonly OpenLot[]): string {
  if (lots.length === 0) return "";
  const held = new Map<string, string>();
  for (const l of lots) held.set(l.asset, addDecimal(held.get(l.asset) ?? "0", l.qty));
  const list = [...held].sort(([a], [b]) => a.localeCompare(b)).map(([a, q]) => `${q} ${a}`);
  const more = list.length > 8 ? `, and ${list.length - 8} more assets` : "";
  return ` (${list.slice(0, 8).join(", ")}${more})`;
}

/** The sum of two non-negative decimal texts, exactly (quantities keep the asset's precision). */
function addDecimal(a: string, b: string): string {
  const [ai = "0", af = ""] = a.split(".");
  const [bi = "0", bf = ""] = b.split(".");
  const dp = Math.max(af.length, bf.length);
  const sum = BigInt(ai + af.padEnd(dp, "0")) + BigInt(bi + bf.padEnd(dp, "0"));
  if (dp === 0) return sum.toString();
  const s = sum.toString().padStart(dp + 1, "0");
  const frac = s.slice(s.length - dp).replace(/0+$/, "");
  return s.slice(0, s.length - dp) + (frac ? `.${frac}` : "");
}

function lotsText(lots: readonly OpenLot[], date: string, method: LotMethod, timeZone: string): string {
  const head = `Open lots at the end of ${date} (${timeZone}) · ${METHOD_LABEL[method]}: ${lots.length}${
    heldText(lots)
  }`;
  if (lots.length === 0) return head;
  const rows = lots.map((
    l,
  ) => [l.lotId, l.asset, l.dateAcquired, l.qty, money(l.costBasis), money(l.unitCost), l.origin]);
  const header = ["Lot", "Asset", "Acquired", "Qty", "Cost basis", "Unit cost", "Origin"];
  const all = [header, ...rows];
  const widths = header.map((_, c) => Math.max(...all.map((r) => (r[c] ?? "").length)));
  const right = new Set([3, 4, 5]);
  const line = (r: string[]): string =>
    r.map((v, c) => (right.has(c) ? v.padStart(widths[c]!) : v.padEnd(widths[c]!))).join("  ").trimEnd();
  return [head, "", line(header), widths.map((w) => "-".repeat(w)).join("  "), ...rows.map(line)].join("\n");
}

if (import.meta.main) {
  await runSubcommands({ usage: USAGE, commands: COMMANDS, help: HELP });
}
