// What the tax pages and the tax API share: the checked query (year, lot method, time zone, oversell policy), an
// account's report built from its audit log (kept while the log does not change), and amount formatting.
import { z } from "zod";
import { AuditLog } from "../audit/mod.ts";
import {
  buildTaxReport,
  LocalCalendar,
  LOT_METHODS,
  type LotMethod,
  type OversellPolicy,
  readAccountLedger,
  storePriceSource,
  type TaxReport,
} from "../tax/mod.ts";
import { accountsDataDir, knownAccount } from "./_accounts_common.ts";
import { HttpError } from "./_errors.ts";
import type { Lab } from "./_lab.ts";

/** The zone a report is counted in when the query names none (the US default of the CLI too). */
export const DEFAULT_TAX_TZ = "America/New_York";

/** The files of a report's CSV download, as `taxReportCsv` names them. */
export const TAX_CSV_FILES = ["form8949.csv", "schedule_d.csv", "income.csv", "open_lots.csv", "trail.csv"] as const;

/** One of {@link TAX_CSV_FILES}. */
export type TaxCsvFile = (typeof TAX_CSV_FILES)[number];

function validZone(tz: string): boolean {
  try {
    new LocalCalendar(tz);
    return true;
  } catch {
    return false;
  }
}

/** The query of a report page, its JSON and its CSV files; every field optional (defaults in {@link taxParams}). */
export const TaxQuerySchema = z.strictObject({
  year: z.string().refine((v) => /^\d{4}$/.test(v) && Number(v) >= 1970, {
    error: (iss) => `year ${JSON.stringify(iss.input)} is not a tax year: use four digits from 1970, e.g. year=2025`,
  }).optional(),
  method: z.string().refine((v) => (LOT_METHODS as readonly string[]).includes(v), {
    error: (iss) => `method ${JSON.stringify(iss.input)} is not a lot method: use one of ${LOT_METHODS.join(", ")}`,
  }).optional(),
  tz: z.string().max(64).refine(validZone, {
    error: (iss) =>
      `tz ${JSON.stringify(iss.input)} is not a time zone: use an IANA name such as America/New_York or UTC`,
  }).optional(),
  oversell: z.string().refine((v) => v === "error" || v === "zero-basis", {
    error: (iss) => `oversell ${JSON.stringify(iss.input)} is not a policy: use error (the default) or zero-basis`,
  }).optional(),
});

/** The query as sent. */
export type TaxQuery = z.output<typeof TaxQuerySchema>;

/** A report's parameters with the defaults filled in. */
export interface TaxParams {
  year: number;
  method: LotMethod;
  tz: string;
  oversell: OversellPolicy;
}

/** Defaults: this year in the zone, FIFO, New York, oversells are errors. */
export function taxParams(q: TaxQuery, now: number = Date.now()): TaxParams {
  const tz = q.tz ?? DEFAULT_TAX_TZ;
  return {
    year: q.year === undefined ? Number(new LocalCalendar(tz).date(now).slice(0, 4)) : Number(q.year),
    method: (q.method ?? "fifo") as LotMethod,
    tz,
    oversell: (q.oversell ?? "error") as OversellPolicy,
  };
}

/** The query string of a report (`year=2025&method=fifo&tz=...`), for links between the pages, JSON and CSV. */
export function taxQueryString(p: TaxParams): string {
  const s = new URLSearchParams({ year: String(p.year), method: p.method, tz: p.tz });
  if (p.oversell !== "error") s.set("oversell", p.oversell);
  return s.toString();
}

// Reports kept per lab, keyed by the account's audit head: a new fill changes the head, so a stale report is never
// served, and the page, its JSON and its five CSV files build the report once.
const CACHE_SIZE = 8;
const caches = new WeakMap<Lab, Map<string, Promise<TaxReport>>>();

/**
 * The tax report of an account, from the fills in its audit log (read-only) with crypto-to-crypto trades valued
 * from the lab's store. An unknown account is a 404, a malformed name a 400; a ledger the chosen method or policy
 * cannot match (an oversell under `error`, specific identification without lot picks) is a 400 saying why.
 */
export function accountTaxReport(lab: Lab, name: string, p: TaxParams): Promise<TaxReport> {
  const account = knownAccount(lab, name);
  const dataDir = accountsDataDir(lab);
  let head: number;
  {
    using log = AuditLog.open({ dataDir, account, readOnly: true });
    head = log.head().seq;
  }
  const key = `${account}|${head}|${p.year}|${p.method}|${p.tz}|${p.oversell}`;
  let cache = caches.get(lab);
  if (cache === undefined) caches.set(lab, cache = new Map());
  let report = cache.get(key);
  if (report === undefined) {
    report = build(lab, account, p);
    cache.set(key, report);
    // Failures are not kept: the account may be fixed or its store filled with the missing prices.
    report.catch(() => cache.delete(key));
    while (cache.size > CACHE_SIZE) cache.delete(cache.keys().next().value!);
  } else {
    cache.delete(key);
    cache.set(key, report);
  }
  return report;
}

async function build(lab: Lab, account: string, p: TaxParams): Promise<TaxReport> {
  try {
    const prices = storePriceSource({ store: lab.store });
    const events = await readAccountLedger({ dataDir: accountsDataDir(lab), account, prices });
    return buildTaxReport(events, { year: p.year, method: p.method, timeZone: p.tz, oversell: p.oversell });
  } catch (e) {
    const name = (e as Error)?.name;
    if (name === "TaxMatchError" || name === "TaxInputError") {
      const hint = name === "TaxMatchError" && p.oversell === "error" && /oversel|more than/i.test((e as Error).message)
        ? " (or choose oversell=zero-basis to report the missing part at zero basis, flagged)"
        : "";
      throw new HttpError(400, `${(e as Error).message}${hint}`, [{
        path: ["account"],
        message: (e as Error).message,
      }]);
    }
    throw e;
  }
}

const MINUS = "\u2212";

/** A decimal text with thousands separators and a typographic minus (`"-1234.50"` -> `"−1,234.50"`), exact. */
export function fmtAmount(s: string): string {
  const m = /^([+-]?)(\d+)(\.\d+)?$/.exec(s);
  if (m === null) return s;
  const body = `${m[2]!.replace(/\B(?=(\d{3})+(?!\d))/g, ",")}${m[3] ?? ""}`;
  return m[1] === "-" && /[1-9]/.test(body) ? MINUS + body : body;
}

/** `pos`/`neg` of a decimal text. */
export function amountClass(s: string): string {
  if (!/[1-9]/.test(s)) return "";
  return s.startsWith("-") ? "neg" : "pos";
}
