// End-to-end: every notebook in notebooks/ runs top to bottom with the real Deno kernel, driven by
// the shipped executor (`deno task notebooks:run`, jupyter/run_notebook.py: jupyter-client from Debian's
// jupyter-nbconvert through /usr/bin/python3), and shows what it promises: no error output, at least one
// figure (image/svg+xml) and its HTML tables.
// Executed copies go to .ci/out/notebooks/ (git-ignored) for a look.
import assert from "node:assert/strict";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { describeFailure, runNotebook } from "../cli/notebooks.ts";

const ROOT = fileURLToPath(new URL("..", import.meta.url));
const NOTEBOOKS_DIR = join(ROOT, "notebooks");
const OUT_DIR = join(ROOT, ".ci", "out", "notebooks");
// Debian's python has jupyter-client; the `python3` first on PATH may be another one without it.
const PYTHON = "/usr/bin/python3";
/** Seconds a single cell may take before the run fails (each notebook should take well under 20 s). */
const CELL_TIMEOUT_S = 120;

/**
 * HTML tables each notebook must show, by a marker in the text/html output: the class of the
 * lib's display (`sentinel-stats` for stats tables) or a caption written in the notebook.
 */
const EXPECTED_TABLES: Record<string, RegExp[]> = {
  "01_quickstart.ipynb": [/<th>ts<\/th>/, /<table class="sentinel-stats"/, /<caption>SMA cross vs buy and hold/],
  "02_sweep_and_walk_forward.ipynb": [
    /<caption>Best of the grid/,
    /<table class="sentinel-stats"/,
    /<caption>Walk-forward folds/,
  ],
  "03_multi_asset.ipynb": [/<table class="sentinel-stats"/, /<caption>Per asset/, /<caption>Rebalance interval/],
  "04_data_quality.ipynb": [/<caption>Quality reports/, /<caption>ADA\/BTC gaps/, /<caption>ETH\/BTC vs ADA\/BTC/],
  "05_your_own_strategy.ipynb": [/<table class="sentinel-stats"/],
  "06_llm_agents.ipynb": [
    /<caption>Record vs replay/,
    /<caption>The agent vs the rule baseline/,
    /<caption>Cost of the/,
  ],
};

interface Output {
  output_type: string;
  name?: string;
  text?: string | string[];
  data?: Record<string, string | string[]>;
  ename?: string;
  evalue?: string;
  traceback?: string[];
}
interface Cell {
  cell_type: "code" | "markdown" | "raw";
  source: string | string[];
  outputs?: Output[];
  execution_count?: number | null;
  metadata?: Record<string, unknown>;
}
interface Notebook {
  cells: Cell[];
  metadata: { kernelspec?: { name?: string; language?: string } };
  nbformat: number;
}

const text = (s: string | string[] | undefined): string => (Array.isArray(s) ? s.join("") : s ?? "");

function listNotebooks(): string[] {
  return [...Deno.readDirSync(NOTEBOOKS_DIR)]
    .filter((e) => e.isFile && e.name.endsWith(".ipynb") && !e.name.endsWith(".out.ipynb"))
    .map((e) => e.name)
    .sort();
}

function readNotebook(path: string): Notebook {
  return JSON.parse(Deno.readTextFileSync(path)) as Notebook;
}

// deno-lint-ignore no-control-regex
const stripAnsi = (s: string): string => s.replace(/\x1b\[[0-9;]*m/g, "");

async function execute(
  name: string,
): Promise<{ nb: Notebook; seconds: number; error: string | null; stderr: string }> {
  await Deno.mkdir(OUT_DIR, { recursive: true });
  const out = join(OUT_DIR, name);
  // The shipped executor (`deno task notebooks:run`), so CI runs notebooks the way users and schedulers do.
  const run = await runNotebook({ notebook: join(NOTEBOOKS_DIR, name), output: out, timeoutSeconds: CELL_TIMEOUT_S });
  const error = run.failed ? describeFailure(run, run.cells[0]?.of ?? 0) : null;
  return { nb: readNotebook(out), seconds: run.seconds, error, stderr: run.stderr };
}

Deno.test("the Jupyter executor is installed (Debian jupyter-nbconvert: jupyter-client, nbformat, nbconvert)", async () => {
  const { code, stderr } = await new Deno.Command(PYTHON, {
    args: ["-c", "import nbformat, jupyter_client, nbconvert"],
    stdout: "null",
    stderr: "piped",
  }).output();
  assert.equal(
    code,
    0,
    `${PYTHON} cannot import jupyter_client: install it with \`apt-get install jupyter-nbconvert\` (.ci/run does)\n` +
      new TextDecoder().decode(stderr),
  );
});

Deno.test("notebooks exist: the five tutorials", () => {
  assert.deepEqual(listNotebooks(), Object.keys(EXPECTED_TABLES).sort());
});

Deno.test("notebooks are committed clean, for the Deno kernel, importing only ../lib/<module>/mod.ts", () => {
  const imports = Object.keys(
    (JSON.parse(Deno.readTextFileSync(join(ROOT, "deno.json"))) as { imports: Record<string, string> }).imports,
  );
  for (const name of listNotebooks()) {
    const nb = readNotebook(join(NOTEBOOKS_DIR, name));
    assert.equal(nb.nbformat, 4, `${name}: nbformat`);
    assert.equal(nb.metadata.kernelspec?.name, "deno", `${name}: kernelspec.name must be "deno"`);
    for (const [i, cell] of nb.cells.entries()) {
      if (cell.cell_type !== "code") continue;
      // Outputs in git make every re-run a diff: strip them (Jupyter: Edit > Clear All Outputs).
      assert.deepEqual(cell.outputs, [], `${name} cell ${i}: has outputs; commit notebooks without outputs`);
      assert.equal(cell.execution_count, null, `${name} cell ${i}: has an execution count; clear outputs`);
      for (const m of text(cell.source).matchAll(/\bfrom\s+["']([^"']+)["']|\bimport\s*\(\s*["']([^"']+)["']/g)) {
        const spec = m[1] ?? m[2]!;
        const ok = /^\.\.\/lib\/[a-z_]+\/mod\.ts$/.test(spec) || spec.startsWith("node:") ||
          imports.some((k) => spec === k || spec.startsWith(`${k}/`));
        assert.ok(ok, `${name} cell ${i}: imports ${spec}; notebooks import only ../lib/<module>/mod.ts`);
      }
    }
  }
});

Deno.test("notebook code type-checks (each notebook's cells as one module)", async () => {
  // The kernel runs cells without type-checking, so a renamed field would only show up as a wrong
  // value. Check the cells with the project's compiler options: imports of ../lib/ are pointed at
  // the repository and Deno.jupyter comes from Deno's unstable types.
  const dir = await Deno.makeTempDir({ prefix: "sentinel-nbcheck-" });
  try {
    const lib = new URL("../lib/", import.meta.url).href;
    const files: string[] = [];
    for (const name of listNotebooks()) {
      const cells = readNotebook(join(NOTEBOOKS_DIR, name)).cells.filter((c) => c.cell_type === "code");
      const code = cells.map((c) => text(c.source)).join("\n\n").replace(/(["'])\.\.\/lib\//g, `$1${lib}`);
      const file = join(dir, name.replace(/\.ipynb$/, ".ts"));
      await Deno.writeTextFile(file, `/// <reference lib="deno.unstable" />\n${code}\nexport {};\n`);
      files.push(file);
    }
    const { code, stderr } = await new Deno.Command(Deno.execPath(), {
      args: ["check", "--config", join(ROOT, "deno.json"), ...files],
      env: { NO_COLOR: "1" },
      stdout: "null",
      stderr: "piped",
    }).output();
    assert.equal(code, 0, `notebook cells do not type-check:\n${new TextDecoder().decode(stderr).slice(0, 6000)}`);
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});

for (const name of Object.keys(EXPECTED_TABLES)) {
  Deno.test(`notebook ${name} runs top to bottom with the Deno kernel and shows figures and tables`, async () => {
    const { nb, seconds, error, stderr } = await execute(name);
    const outputs: { cell: number; out: Output }[] = [];
    for (const [i, cell] of nb.cells.entries()) for (const out of cell.outputs ?? []) outputs.push({ cell: i, out });

    const errors = outputs.filter((o) => o.out.output_type === "error");
    if (errors.length > 0) {
      const { cell, out } = errors[0]!;
      assert.fail(
        `${name} cell ${cell} failed: ${out.ename}: ${out.evalue}\n` +
          `--- cell source ---\n${text(nb.cells[cell]!.source)}\n--- traceback ---\n` +
          stripAnsi((out.traceback ?? []).join("\n")).slice(0, 4000),
      );
    }
    // A failing cell whose error output was not published still fails the run (nbclient saw the reply).
    assert.equal(error, null, `${name} failed:\n${stripAnsi(error ?? "")}`);
    const unexecuted = nb.cells.findIndex((c) => c.cell_type === "code" && c.execution_count == null);
    assert.equal(unexecuted, -1, `${name}: cell ${unexecuted} did not run\n${stderr.slice(-2000)}`);

    // Every tutorial cell shows something (a value, a print or a figure); an empty one means its
    // outputs were lost on the way, or the cell does nothing worth a cell.
    const silent = nb.cells.findIndex((c) => c.cell_type === "code" && (c.outputs ?? []).length === 0);
    assert.equal(silent, -1, `${name}: cell ${silent} produced no output`);

    const data = (mime: string): string[] =>
      outputs.flatMap(({ out }) => (out.data?.[mime] !== undefined ? [text(out.data[mime])] : []));
    const svgs = data("image/svg+xml");
    assert.ok(svgs.length >= 1, `${name}: no figure (image/svg+xml output)`);
    for (const svg of svgs) assert.match(svg, /^<svg[\s\S]*<\/svg>\s*$/, `${name}: an SVG output is not a whole <svg>`);
    const html = data("text/html").join("\n");
    for (const table of EXPECTED_TABLES[name]!) {
      assert.match(html, table, `${name}: no HTML table matching ${table}`);
    }
    console.log(`${name}: ${seconds} s, ${svgs.length} figures, ${data("text/html").length} HTML outputs`);
  });
}
