// JSON and CSV under /api/tax: the accounts a report can be made for, an account's tax report (the TaxReport the
// CLI's --json prints) and its CSV files as downloads. Read-only: the audit log is opened read-only.
import { Hono } from "hono";
import { listAccountConfigs } from "../accounts/mod.ts";
import { taxReportCsv } from "../tax/mod.ts";
import { accountsDataDir } from "./_accounts_common.ts";
import { HttpError } from "./_errors.ts";
import type { Lab } from "./_lab.ts";
import {
  accountTaxReport,
  TAX_CSV_FILES,
  type TaxCsvFile,
  taxParams,
  TaxQuerySchema,
  taxQueryString,
} from "./_tax_common.ts";
import { zv } from "./_validate.ts";

/** JSON and CSV under /api/tax. */
export function taxApi(lab: Lab): Hono {
  const app = new Hono();

  app.get("/accounts", (c) =>
    c.json({
      accounts: listAccountConfigs({ dataDir: accountsDataDir(lab) }).map((a) => ({
        name: a.name,
        kind: a.kind ?? null,
        url: `/api/tax/accounts/${a.name}`,
        page: `/tax/accounts/${a.name}`,
      })),
    }));

  app.get("/accounts/:name", zv("query", TaxQuerySchema), async (c) => {
    const name = c.req.param("name");
    const p = taxParams(c.req.valid("query"));
    const report = await accountTaxReport(lab, name, p);
    const q = taxQueryString(p);
    return c.json({
      account: name,
      ...report,
      files: Object.fromEntries(TAX_CSV_FILES.map((f) => [f, `/api/tax/accounts/${name}/${f}?${q}`])),
      page: `/tax/accounts/${name}?${q}`,
    });
  });

  app.get("/accounts/:name/:file", zv("query", TaxQuerySchema), async (c) => {
    const name = c.req.param("name");
    const file = c.req.param("file");
    if (!(TAX_CSV_FILES as readonly string[]).includes(file)) {
      throw new HttpError(404, `no file ${JSON.stringify(file)}; the CSV files are ${TAX_CSV_FILES.join(", ")}`);
    }
    const p = taxParams(c.req.valid("query"));
    const text = taxReportCsv(await accountTaxReport(lab, name, p))[file as TaxCsvFile] ?? "";
    return c.body(text, 200, {
      "Content-Type": "text/csv; charset=utf-8",
      "Content-Disposition": `attachment; filename="${name}-${p.year}-${p.method}-${file}"`,
    });
  });

  return app;
}
