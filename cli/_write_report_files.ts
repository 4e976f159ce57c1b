// The files an `agents` report writes: the same three (Markdown, JSON, one figure) for the learning report and the
// memory comparison, so both write them the same way.

import { join } from "node:path";

/** A report that renders as Markdown, serializes as JSON and draws one figure. */
export interface WritableReport {
  toMarkdown(): string;
  figure(): { svg: string };
}

/** The file names, inside the output dir, of {@link writeReportFiles}. */
export interface ReportFileNames {
  markdown: string;
  json: string;
  svg: string;
}

/** Writes the report's Markdown, JSON and figure into `dir` (made if missing); returns the paths. */
export async function writeReportFiles(
  report: WritableReport,
  dir: string,
  names: ReportFileNames,
): Promise<string[]> {
  await Deno.mkdir(dir, { recursive: true });
  const files = [
    [join(dir, names.markdown), report.toMarkdown()],
    [join(dir, names.json), JSON.stringify(report, null, 2) + "\n"],
    [join(dir, names.svg), report.figure().svg],
  ] as const;
  for (const [path, text] of files) await Deno.writeTextFile(path, text);
  return files.map(([p]) => p);
}
